/// Equation (10), the GAN's minimax game, written as two losses to minimise:
///
///     min_G max_D V(D, G) = E_x[log D(x)] + E_z[log(1 − D(G(z)))]
///
/// **The discriminator** ascends V, i.e. minimises
///
///     L_D = −mean log D(x) − mean log(1 − D(G(z)))
///         = mean softplus(−ℓ_real) + mean softplus(ℓ_fake)
///
/// where ℓ are D's logits (D = σ(ℓ)). Each term is log 2 ≈ 0.693 when D answers 0.5
/// everywhere: the balanced game. The gradients are `∂L_D/∂ℓ_real = (σ(ℓ) − 1)/N` and
/// `∂L_D/∂ℓ_fake = σ(ℓ)/N`.
///
/// **The generator**, in the original game, minimises `L_G = mean log(1 − D(G(z)))`
/// `= −mean softplus(ℓ_fake)`, whose gradient is
///
///     ∂L_G/∂ℓ = −σ(ℓ)/N = −D(G(z))/N
///
/// Early in training D easily rejects the samples, D(G(z)) ≈ 0, so this gradient is ≈ 0:
/// the generator *saturates* and barely learns exactly when it most needs to. Hence
/// ``NonSaturatingLoss``, which has the same fixed point but a gradient ≈ −1/N there.
///
/// All terms are computed from logits through ``Softplus``: no `log(0)`, no overflow.
/// Shapes: logits N×1.
public enum MinimaxLoss {
    /// The discriminator's loss, its two terms kept apart for logging.
    public struct DiscriminatorTerms<T: Real>: Sendable {
        /// −mean log D(x): small when D accepts the real images.
        public var real: T
        /// −mean log(1 − D(G(z))): small when D rejects the samples.
        public var fake: T
        /// The loss D minimises, `real + fake`.
        public var total: T { real + fake }
    }

    /// L_D from D's logits on a real batch and on a generated batch.
    public static func discriminator<T>(realLogits: Matrix<T>, fakeLogits: Matrix<T>) -> DiscriminatorTerms<T> {
        DiscriminatorTerms(real: Softplus.mean(-realLogits), fake: Softplus.mean(fakeLogits))
    }

    /// ∂L_D/∂ℓ_real = (σ(ℓ) − 1)/N and ∂L_D/∂ℓ_fake = σ(ℓ)/N.
    public static func discriminatorBackward<T>(
        realLogits: Matrix<T>, fakeLogits: Matrix<T>
    ) -> (dReal: Matrix<T>, dFake: Matrix<T>) {
        (-Softplus.meanGradient(-realLogits), Softplus.meanGradient(fakeLogits))
    }

    /// The generator's original, saturating loss `L_G = mean log(1 − D(G(z)))`.
    public static func generator<T>(fakeLogits: Matrix<T>) -> T {
        -Softplus.mean(fakeLogits)
    }

    /// ∂L_G/∂ℓ = −σ(ℓ)/N: vanishes as D(G(z)) → 0.
    public static func generatorBackward<T>(fakeLogits: Matrix<T>) -> Matrix<T> {
        -Softplus.meanGradient(fakeLogits)
    }
}
