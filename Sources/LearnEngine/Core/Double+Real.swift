import Foundation

/// `Double` is the checking precision: accuracy matters more than speed, so the
/// elementwise functions are the platform's correctly-rounded-or-nearly `libm` ones.
extension Double: Real {
    public typealias Vector = SIMD4<Double>

    @inlinable public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    @inlinable public static func log(_ x: Double) -> Double { Foundation.log(x) }
    @inlinable public static func tanh(_ x: Double) -> Double { Foundation.tanh(x) }
    @inlinable public static func sqrt(_ x: Double) -> Double { x.squareRoot() }

    public static func exp(_ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, count: Int) {
        for k in 0..<count { y[k] = Foundation.exp(x[k]) }
    }

    public static func sigmoid(_ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, count: Int) {
        for k in 0..<count { y[k] = sigmoid(x[k]) }
    }

    public static func tanh(_ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, count: Int) {
        for k in 0..<count { y[k] = Foundation.tanh(x[k]) }
    }

    public static func gemm(_ problem: GEMMProblem<Double>) {
        GEMM.run(problem)
    }
}
