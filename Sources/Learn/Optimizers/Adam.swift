/// Adam with PyTorch's semantics (`torch.optim.Adam`, no weight decay, no AMSGrad):
///
///     m ← β₁ m + (1 − β₁) g              (the mean of recent gradients)
///     v ← β₂ v + (1 − β₂) g²             (the mean of recent squared gradients)
///     m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)   (bias correction: m and v start at 0)
///     θ ← θ − η m̂ / (√v̂ + ε)
///
/// ε sits outside the square root. Unlike ``RMSProp``'s first steps, bias correction
/// makes the first step exactly η·sign(g) in size. The GAN uses η = 2e-4, β₁ = 0.5.
public struct Adam<Model: Parameterized>: Optimizer, Sendable {
    /// η, the step size.
    public var learningRate: Model.Scalar
    /// β₁, the decay of the mean of gradients.
    public var beta1: Model.Scalar
    /// β₂, the decay of the mean of squared gradients.
    public var beta2: Model.Scalar
    /// ε, keeping the division finite.
    public var epsilon: Model.Scalar
    /// t, the number of steps taken.
    public internal(set) var steps = 0
    /// m, the mean of recent gradients (created on the first step).
    public internal(set) var m: Model?
    /// v, the mean of recent squared gradients (created on the first step).
    public internal(set) var v: Model?
    /// β₁ᵗ, kept as a running product (1 before the first step).
    public internal(set) var beta1Power: Model.Scalar = 1
    /// β₂ᵗ, kept as a running product (1 before the first step).
    public internal(set) var beta2Power: Model.Scalar = 1

    /// An optimiser with PyTorch's defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
    public init(
        learningRate: Model.Scalar, beta1: Model.Scalar = 0.9, beta2: Model.Scalar = 0.999,
        epsilon: Model.Scalar = 1e-8
    ) {
        ensure(learningRate > 0, "Adam learning rate must be positive, got \(learningRate)")
        ensure((0..<1).contains(beta1), "Adam beta1 must lie in [0, 1), got \(beta1)")
        ensure((0..<1).contains(beta2), "Adam beta2 must lie in [0, 1), got \(beta2)")
        ensure(epsilon > 0, "Adam epsilon must be positive, got \(epsilon)")
        (self.learningRate, self.beta1, self.beta2, self.epsilon) = (learningRate, beta1, beta2, epsilon)
    }

    /// One step: t ← t + 1, then m, v and θ as above, for every element of every
    /// parameter. Write the rule once, for one element, with
    /// `model.update(by: gradients, keeping: &m, &v) { theta, m, v, g in … }`: it runs on
    /// each element θ with its moments m and v (zero on the first step) and gradient g,
    /// and keeps both for the next step. β₁ᵗ and β₂ᵗ are ``beta1Power`` and
    /// ``beta2Power``, which the step advances.
    public mutating func step(_ model: inout Model, gradients: Model) {
        // BEGIN SOLUTION adam
        steps += 1
        beta1Power *= beta1
        beta2Power *= beta2
        let (eta, b1, b2, eps) = (learningRate, beta1, beta2, epsilon)
        let (correction1, correction2) = (1 - beta1Power, 1 - beta2Power)
        model.update(by: gradients, keeping: &m, &v) { theta, m, v, g in
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            let mHat = m / correction1
            let vHat = v / correction2
            theta -= eta * mHat / (Model.Scalar.sqrt(vHat) + eps)
        }
        // END SOLUTION
    }
}
