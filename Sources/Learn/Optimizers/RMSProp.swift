/// RMSProp with PyTorch's semantics (`torch.optim.RMSprop`, no momentum, not centred):
///
///     s ← α s + (1 − α) g²
///     θ ← θ − η g / (√s + ε)
///
/// The running average s starts at 0 and is *not* bias-corrected, so on the first
/// step √s = √(1 − α)·|g| ≈ 0.1|g| and every parameter moves by about 10η — a known
/// quirk worth seeing once (see the unit tests). ε sits outside the square root.
///
/// See also: ``SGD``, ``clipGlobalNorm(_:maxNorm:)``.
public struct RMSProp<Model: Parameterized>: Optimizer, Sendable {
    /// η, the step size (the course default is 1e-3).
    public var learningRate: Model.Scalar
    /// α, the decay of the running average of squared gradients.
    public var alpha: Model.Scalar
    /// ε, added to √s so a parameter with a zero gradient history cannot divide by 0.
    public var epsilon: Model.Scalar
    /// s, the running average of g² (created on the first step).
    public private(set) var squareAverage: Model?

    /// An optimiser with PyTorch's defaults α = 0.99 and ε = 1e-8.
    public init(learningRate: Model.Scalar, alpha: Model.Scalar = 0.99, epsilon: Model.Scalar = 1e-8) {
        ensure(learningRate > 0, "RMSProp learning rate must be positive, got \(learningRate)")
        ensure((0..<1).contains(alpha), "RMSProp alpha must lie in [0, 1), got \(alpha)")
        ensure(epsilon > 0, "RMSProp epsilon must be positive, got \(epsilon)")
        (self.learningRate, self.alpha, self.epsilon) = (learningRate, alpha, epsilon)
    }

    /// One step: s ← α s + (1 − α) g², then θ ← θ − η g / (√s + ε), for every element
    /// of every parameter. Write the rule once, for one element, with
    /// `model.update(by: gradients, keeping: &squareAverage) { theta, s, g in … }`: it
    /// runs on each element θ with its average s (zero on the first step) and gradient
    /// g, and keeps s for the next step.
    public mutating func step(_ model: inout Model, gradients: Model) {
        // BEGIN SOLUTION rmsProp
        let (eta, a, eps) = (learningRate, alpha, epsilon)
        model.update(by: gradients, keeping: &squareAverage) { theta, s, g in
            s = a * s + (1 - a) * g * g
            theta -= eta * g / (Model.Scalar.sqrt(s) + eps)
        }
        // END SOLUTION
    }
}
