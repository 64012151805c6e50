/// Whether a network is learning or being used.
///
/// Two layers behave differently: ``BatchNorm`` normalises with the batch's own
/// statistics while training and with its running averages in evaluation, and
/// ``Dropout`` drops units only while training.
public enum Mode: Sendable {
    /// Learning: batch statistics, running averages updated, dropout active.
    case training
    /// Being used: running averages, no dropout, the same output for the same input.
    case evaluation
}

/// One layer of a feed-forward network: a forward pass that returns its output and a
/// cache, and a backward pass that turns the output's gradient into the input's,
/// adding the layer's own parameter gradients into a value of its type.
///
/// Shapes: `x` N×F_in, `y` N×F_out (one example per row).
/// See also: ``DenseBlock`` and ``NormalizedBlock``, which chain layers, and the networks
/// built of them, ``Generator`` and ``Discriminator``.
public protocol Layer<Scalar>: Parameterized {
    /// What ``backward(into:_:cache:)`` needs from the forward pass.
    associatedtype Cache: Sendable
    /// y = layer(x). Mutating because some layers keep state between calls:
    /// BatchNorm's running statistics, Dropout's random generator.
    mutating func forward(_ x: Matrix<Scalar>, mode: Mode) -> (y: Matrix<Scalar>, cache: Cache)
    /// Returns ∂L/∂x from `dY` = ∂L/∂y and adds ∂L/∂θ into `grads`.
    func backward(into grads: inout Self, _ dY: Matrix<Scalar>, cache: Cache) -> Matrix<Scalar>
}

/// A layer without trainable parameters (an activation, dropout).
public protocol ParameterFreeLayer: Layer {}

extension ParameterFreeLayer {
    /// None: these layers only transform.
    public var parameters: [(name: String, path: WritableKeyPath<Self, Matrix<Scalar>>)] { [] }
}
