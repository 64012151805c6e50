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
    /// m and v (created on the first step).
    public internal(set) var moments: (m: Model, v: Model)?
    /// β₁ᵗ and β₂ᵗ, kept as running products.
    var powers: (Model.Scalar, Model.Scalar) = (1, 1)

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

    /// One step: t ← t + 1, m and v updated, then θ moved by the bias-corrected
    /// m̂ / (√v̂ + ε), for every parameter. Write it with
    /// `updateParameters(_:states:gradients:_:)` (Optimizer.swift), which hands the
    /// loop raw buffers of θ, m, v and g, updated in place.
    public mutating func step(_ model: inout Model, gradients: Model) {
        // BEGIN SOLUTION adam
        steps += 1
        var states = moments.map { [$0.m, $0.v] } ?? [model.zeroed(), model.zeroed()]
        moments = nil  // so m and v are the only owners of their storage
        let (eta, b1, b2, eps) = (learningRate, beta1, beta2, epsilon)
        powers = (powers.0 * b1, powers.1 * b2)
        let (correction1, correction2) = (1 - powers.0, 1 - powers.1)
        // Folding the corrections into two constants leaves one sqrt and one
        // division per element: θ ← θ − (η/c₁)·m / (√v/√c₂ + ε).
        let stepSize = eta / correction1
        let inverseRootC2 = 1 / Model.Scalar.sqrt(correction2)
        updateParameters(&model, states: &states, gradients: gradients) { t, g in
            let (w, m, v) = (t[0], t[1], t[2])
            for k in 0..<g.count {
                m[k] = b1 * m[k] + (1 - b1) * g[k]
                v[k] = b2 * v[k] + (1 - b2) * g[k] * g[k]
                w[k] -= stepSize * m[k] / (Model.Scalar.sqrt(v[k]) * inverseRootC2 + eps)
            }
        }
        moments = (states[0], states[1])
        // END SOLUTION
    }
}
