import Foundation

/// `Float` is the training precision. Its bulk `exp`, `sigmoid` and `tanh` run eight
/// lanes at a time through ``VectorMath``: the C library's `tanhf` costs ~14 ns per
/// element, more than the matrix multiplies of an LSTM step; the vector form ~0.4 ns.
extension Float: Real {
    public typealias Vector = SIMD8<Float>

    @inlinable public static func exp(_ x: Float) -> Float { Foundation.exp(x) }
    @inlinable public static func log(_ x: Float) -> Float { Foundation.log(x) }
    @inlinable public static func tanh(_ x: Float) -> Float { Foundation.tanh(x) }
    @inlinable public static func sqrt(_ x: Float) -> Float { x.squareRoot() }

    public static func exp(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        VectorMath.map(x, into: y, count: count, VectorMath.exp)
    }

    public static func sigmoid(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        VectorMath.map(x, into: y, count: count, VectorMath.sigmoid)
    }

    public static func tanh(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        VectorMath.map(x, into: y, count: count, VectorMath.tanh)
    }

    public static func gemm(_ problem: GEMMProblem<Float>) {
        GEMM.run(problem)
    }
}
