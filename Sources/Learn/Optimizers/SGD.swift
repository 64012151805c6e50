/// Stochastic gradient descent with momentum, with PyTorch's semantics
/// (`torch.optim.SGD`, dampening 0, no Nesterov):
///
///     v ← μ v + g            (v starts at 0, so the first step is plain SGD)
///     θ ← θ − η v
///
/// See also: ``RMSProp``.
public struct SGD<Model: Parameterized>: Optimizer, Sendable {
    /// η, the step size.
    public var learningRate: Model.Scalar
    /// μ, how much of the previous step is carried into this one (0 for plain SGD).
    public var momentum: Model.Scalar
    /// v, the running velocity (created on the first step).
    public private(set) var velocity: Model?

    /// An optimiser with step size η and momentum μ ∈ [0, 1).
    public init(learningRate: Model.Scalar, momentum: Model.Scalar = 0) {
        ensure(learningRate > 0, "SGD learning rate must be positive, got \(learningRate)")
        ensure((0..<1).contains(momentum), "SGD momentum must lie in [0, 1), got \(momentum)")
        (self.learningRate, self.momentum) = (learningRate, momentum)
    }

    /// One step: v ← μ v + g, then θ ← θ − η v, for every element of every parameter.
    /// Write the rule once, for one element, with
    /// `model.update(by: gradients, keeping: &velocity) { theta, v, g in … }`: it runs on
    /// each element θ of the model with its velocity v (zero on the first step) and
    /// gradient g, and keeps v for the next step.
    public mutating func step(_ model: inout Model, gradients: Model) {
        // BEGIN SOLUTION sgd
        let (eta, mu) = (learningRate, momentum)
        model.update(by: gradients, keeping: &velocity) { theta, v, g in
            v = mu * v + g
            theta -= eta * v
        }
        // END SOLUTION
    }
}
