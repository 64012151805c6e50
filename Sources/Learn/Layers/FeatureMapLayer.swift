/// One layer of a convolutional network: the same contract as ``Layer``, on a batch of
/// images (`FeatureMaps`, N×C×H×W) instead of a matrix of rows.
///
/// A forward pass returns its output and a cache; a backward pass turns the output's
/// gradient into the input's, adding the layer's own parameter gradients into a value
/// of its type. Shapes: `x` N×C_in×H₁×W₁, `y` N×C_out×H₂×W₂.
///
/// See also: ``Conv2d``, ``MaxPool2d``, ``BatchNorm2d``, and ``Flatten``, the step from
/// images to the rows a ``Linear`` layer reads.
public protocol FeatureMapLayer<Scalar>: Parameterized {
    /// What ``backward(into:_:cache:)`` needs from the forward pass.
    associatedtype Cache: Sendable
    /// y = layer(x). Mutating because BatchNorm2d updates its running statistics.
    mutating func forward(_ x: FeatureMaps<Scalar>, mode: Mode) -> (y: FeatureMaps<Scalar>, cache: Cache)
    /// Returns ∂L/∂x from `dY` = ∂L/∂y and adds ∂L/∂θ into `grads`.
    func backward(into grads: inout Self, _ dY: FeatureMaps<Scalar>, cache: Cache) -> FeatureMaps<Scalar>
}
