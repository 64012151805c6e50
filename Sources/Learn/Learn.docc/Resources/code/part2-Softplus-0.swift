/// softplus(z) = log(1 + eᶻ), the primitive both GAN losses are built from, because
/// with D = σ(ℓ) for a logit ℓ:
///
///     −log D       = −log σ(ℓ)      = softplus(−ℓ)
///     −log(1 − D)  = −log σ(−ℓ)     = softplus(ℓ)
///
/// Computed as `max(z, 0) + log(1 + e^(−|z|))`: the exponential is at most 1, so
/// nothing overflows for z = ±100 (or ±10⁶), and log's argument is in (1, 2], never 0.
/// Its derivative is σ(z). See also: ``MinimaxLoss``, ``NonSaturatingLoss``.
public enum Softplus {
    /// softplus(z), stable for any finite z.
    public static func value<T: Real>(_ z: T) -> T {
        max(z, 0) + T.log(1 + T.exp(-abs(z)))
    }

    /// The mean of softplus over a column of logits (N×1), as each loss term needs.
    public static func mean<T: Real>(_ z: Matrix<T>) -> T {
        ensure(z.rows > 0, "softplus mean of an empty batch")
        return z.elements.reduce(0) { $0 + value($1) } / T(z.count)
    }

    /// ∂/∂z of `mean(softplus(z))`: σ(z)/N, elementwise.
    public static func meanGradient<T: Real>(_ z: Matrix<T>) -> Matrix<T> {
        let n = T(z.count)
        return z.map { T.sigmoid($0) / n }
    }
}
