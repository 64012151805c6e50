/// The rectifier `y = max(x, 0)`: a ``LeakyReLU`` with slope 0, built from it rather
/// than derived again. Backward: `dX = dY ⊙ (x > 0 ? 1 : 0)`.
public struct ReLU<T: Real>: ParameterFreeLayer {
    /// The scalar type of the layer's inputs and outputs.
    public typealias Scalar = T

    var leaky = LeakyReLU<T>(slope: 0)

    /// The rectifier.
    public init() {}

    public mutating func forward(_ x: Matrix<T>, mode: Mode) -> (y: Matrix<T>, cache: Matrix<T>) {
        // BEGIN SOLUTION relu
        leaky.forward(x, mode: mode)
        // END SOLUTION
    }

    public func backward(into grads: inout Self, _ dY: Matrix<T>, cache: Matrix<T>) -> Matrix<T> {
        // BEGIN SOLUTION relu
        var noParameters = leaky  // the slope is not trained: nothing is added here
        return leaky.backward(into: &noParameters, dY, cache: cache)
        // END SOLUTION
    }
}
