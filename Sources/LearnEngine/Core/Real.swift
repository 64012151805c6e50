/// The numbers Learn computes with: `Float` for training, `Double` for gradient checks.
///
/// A finite-difference check in `Float` cannot see a subtle gradient bug (its rounding
/// error is larger than the bug), so every equation is generic over `Real` and the
/// checks run in `Double`. Training runs in `Float`, twice as fast.
///
/// The bulk operations (`exp`, `sigmoid`, `tanh` over a buffer, and `gemm`) are
/// requirements rather than extensions so that each conformance supplies its own
/// vectorised kernel: a generic caller pays one call per *array*, never per element.
///
/// Legend used by every doc comment in the library:
/// `N` batch, `T` time steps, `D` input features, `H` hidden units, `K` classes.
///
/// The name is the one swift-numerics gives its own floating-point protocol
/// (`RealModule.Real`), on purpose: it reads as the maths does in every signature a
/// student meets (`Matrix<T: Real>`), Learn depends on no package, so the two never
/// meet inside it, and a program that imports both writes `Learn.Real` where it means
/// this one — Swift's module-qualified names resolve the clash, while a longer name
/// would be paid for on every line of the library.
public protocol Real: BinaryFloatingPoint, SIMDScalar, Sendable, Codable
where Self.RawSignificand: FixedWidthInteger {
    /// The SIMD vector the matrix kernel works in (one AVX2 register on x86-64).
    associatedtype Vector: SIMD where Vector.Scalar == Self

    /// eˣ
    static func exp(_ x: Self) -> Self
    /// The natural logarithm.
    static func log(_ x: Self) -> Self
    /// The hyperbolic tangent.
    static func tanh(_ x: Self) -> Self
    /// The square root.
    static func sqrt(_ x: Self) -> Self

    /// `y[i] = exp(x[i])` for a whole buffer. `x` and `y` may be the same memory.
    static func exp(_ x: UnsafePointer<Self>, into y: UnsafeMutablePointer<Self>, count: Int)
    /// `y[i] = σ(x[i]) = 1 / (1 + e^(−x[i]))` for a whole buffer.
    static func sigmoid(_ x: UnsafePointer<Self>, into y: UnsafeMutablePointer<Self>, count: Int)
    /// `y[i] = tanh(x[i])` for a whole buffer.
    static func tanh(_ x: UnsafePointer<Self>, into y: UnsafeMutablePointer<Self>, count: Int)

    /// The general matrix multiply `C ← op(A)·op(B)` (or `C ← C + op(A)·op(B)` when
    /// `accumulate`), row-major. See ``GEMM`` for the algorithm; conformances only
    /// instantiate it for their own type, which is what makes it fast.
    static func gemm(_ problem: GEMMProblem<Self>)
}

extension Real {
    /// The logistic function σ(x) = 1 / (1 + e^(−x)), computed without overflow:
    /// for x < 0 it uses eˣ / (1 + eˣ) so the exponential never exceeds 1.
    @inlinable
    public static func sigmoid(_ x: Self) -> Self {
        if x >= 0 {
            return 1 / (1 + exp(-x))
        }
        let e = exp(x)
        return e / (1 + e)
    }
}
