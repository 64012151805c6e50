/// `y = tanh(x)` as a layer: the generator's output, which puts pixels in (−1, 1).
/// Backward `dX = dY ⊙ (1 − y²)`, from ``Activation``.
public struct Tanh<T: Real>: ParameterFreeLayer {
    /// The scalar type of the layer's inputs and outputs.
    public typealias Scalar = T

    /// The layer.
    public init() {}

    /// The cache is the output, from which the derivative follows.
    public mutating func forward(_ x: Matrix<T>, mode: Mode) -> (y: Matrix<T>, cache: Matrix<T>) {
        // BEGIN SOLUTION squashing
        let y = Activation.tanh.forward(x)
        return (y, y)
        // END SOLUTION
    }

    public func backward(into grads: inout Self, _ dY: Matrix<T>, cache y: Matrix<T>) -> Matrix<T> {
        // BEGIN SOLUTION squashing
        Activation.tanh.backward(dY, output: y)
        // END SOLUTION
    }
}

/// `y = σ(x)` as a layer. Backward `dX = dY ⊙ y(1 − y)`, from ``Activation``.
///
/// The GAN's discriminator does *not* end with this layer: its losses take the
/// logit x and apply σ inside, where log σ can be computed stably
/// (see ``MinimaxLoss``).
public struct Sigmoid<T: Real>: ParameterFreeLayer {
    /// The scalar type of the layer's inputs and outputs.
    public typealias Scalar = T

    /// The layer.
    public init() {}

    /// The cache is the output, from which the derivative follows.
    public mutating func forward(_ x: Matrix<T>, mode: Mode) -> (y: Matrix<T>, cache: Matrix<T>) {
        // BEGIN SOLUTION squashing
        let y = Activation.sigmoid.forward(x)
        return (y, y)
        // END SOLUTION
    }

    public func backward(into grads: inout Self, _ dY: Matrix<T>, cache y: Matrix<T>) -> Matrix<T> {
        // BEGIN SOLUTION squashing
        Activation.sigmoid.backward(dY, output: y)
        // END SOLUTION
    }
}
