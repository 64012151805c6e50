/// The generator's practical loss: instead of minimising log(1 − D(G(z))), maximise
/// log D(G(z)), i.e. minimise
///
///     L_G = −mean log D(G(z)) = mean softplus(−ℓ_fake)
///
/// Both losses push D(G(z)) up and share their fixed point, but their gradients differ
/// where it matters. With D = σ(ℓ):
///
///     ∂L_G/∂ℓ = (σ(ℓ) − 1)/N = −(1 − D(G(z)))/N
///
/// When D confidently rejects a sample (D ≈ 0) this is ≈ −1/N — the strongest possible
/// signal — where the saturating ``MinimaxLoss`` generator term gives −D/N ≈ 0.
/// Shapes: logits N×1.
public enum NonSaturatingLoss {
    /// L_G = −mean log D(G(z)), from D's logits on the samples.
    public static func generator<T>(fakeLogits: Matrix<T>) -> T {
        Softplus.mean(-fakeLogits)
    }

    /// ∂L_G/∂ℓ = (σ(ℓ) − 1)/N.
    public static func generatorBackward<T>(fakeLogits: Matrix<T>) -> Matrix<T> {
        unimplemented("the non-saturating generator loss — generatorBackward")
    }
}
