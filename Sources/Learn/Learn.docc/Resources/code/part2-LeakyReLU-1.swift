/// The leaky rectifier, elementwise:
///
///     y = x        if x > 0
///     y = α·x      otherwise          (α = 0.2 in the GAN)
///
/// Its derivative is 1 or α — never 0 — so a unit that has gone negative still
/// passes some gradient back, which keeps a GAN's generator learning.
/// Backward: `dX = dY ⊙ (x > 0 ? 1 : α)`. See also: ``ReLU`` (α = 0).
public struct LeakyReLU<T: Real>: ParameterFreeLayer {
    /// The scalar type of the layer's inputs and outputs.
    public typealias Scalar = T

    /// α, the slope for negative inputs.
    public var slope: T

    /// A leaky rectifier with slope α for negative inputs.
    public init(slope: T = 0.2) {
        ensure(slope >= 0 && slope < 1, "LeakyReLU slope must lie in [0, 1), got \(slope)")
        self.slope = slope
    }

    /// The cache is the input: its sign picks the derivative.
    public mutating func forward(_ x: Matrix<T>, mode: Mode) -> (y: Matrix<T>, cache: Matrix<T>) {
        let a = slope
        return (x.map { $0 > 0 ? $0 : a * $0 }, x)
    }

    public func backward(into grads: inout Self, _ dY: Matrix<T>, cache x: Matrix<T>) -> Matrix<T> {
        unimplemented("the LeakyReLU layer — backward")
    }
}
