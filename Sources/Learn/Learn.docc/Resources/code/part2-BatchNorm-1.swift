/// Batch normalisation over features (PyTorch's `BatchNorm1d`): each feature is
/// shifted and scaled to zero mean and unit variance, then given a learned scale γ and
/// shift β.
///
/// Training (statistics of this batch, per feature j, over the N rows):
///
///     μ_j  = (1/N) Σ_n x_nj
///     σ²_j = (1/N) Σ_n (x_nj − μ_j)²                (biased, as PyTorch normalises)
///     x̂_nj = (x_nj − μ_j) / √(σ²_j + ε)
///     y_nj = γ_j x̂_nj + β_j
///
/// and the running averages move towards the batch:
/// `running ← (1 − momentum)·running + momentum·batch`, where the running variance
/// takes the *unbiased* σ²·N/(N−1), as PyTorch does. Evaluation uses the running
/// averages in place of μ and σ², so a single example gives a stable output.
///
/// Defaults as PyTorch: momentum 0.1, ε = 1e-5, γ = 1, β = 0.
/// Shapes: `x`, `y` N×F; `gamma`, `beta`, running statistics 1×F.
public struct BatchNorm<T: Real>: Layer {
    /// γ, the learned scale, 1×F.
    public var gamma: Matrix<T>
    /// β, the learned shift, 1×F.
    public var beta: Matrix<T>
    /// The running mean, used in evaluation (state, not trained).
    public var runningMean: Matrix<T>
    /// The running (unbiased) variance, used in evaluation (state, not trained).
    public var runningVariance: Matrix<T>
    /// How far one batch moves the running averages.
    public var momentum: T
    /// ε, added to the variance so a constant feature does not divide by zero.
    public var epsilon: T

    /// A layer over `features` features with PyTorch's defaults.
    public init(features: Int, momentum: T = 0.1, epsilon: T = 1e-5) {
        ensure(features > 0, "BatchNorm needs at least one feature, got \(features)")
        ensure(momentum >= 0 && momentum <= 1, "BatchNorm momentum must lie in [0, 1], got \(momentum)")
        ensure(epsilon > 0, "BatchNorm epsilon must be positive, got \(epsilon)")
        gamma = Matrix(rows: 1, columns: features, repeating: 1)
        beta = Matrix(rows: 1, columns: features)
        runningMean = Matrix(rows: 1, columns: features)
        runningVariance = Matrix(rows: 1, columns: features, repeating: 1)
        (self.momentum, self.epsilon) = (momentum, epsilon)
    }

    /// The trainable matrices, γ and β, by the names a checkpoint gives them.
    public var parameters: [(name: String, path: WritableKeyPath<Self, Matrix<T>>)] {
        [("gamma", \.gamma), ("beta", \.beta)]
    }

    /// The running statistics: state to save, not to train.
    public var buffers: [(name: String, path: WritableKeyPath<Self, Matrix<T>>)] {
        [("runningMean", \.runningMean), ("runningVariance", \.runningVariance)]
    }

    /// What the backward pass needs: x̂, 1/√(σ² + ε) per feature, and the mode.
    public struct Cache: Sendable {
        /// x̂ = (x − μ) / √(σ² + ε), N×F: dγ_j = Σ_n dY_nj x̂_nj.
        public var xHat: Matrix<T>
        /// 1/√(σ²_j + ε), one per feature (F values): the scale of ∂L/∂x.
        public var inverseStd: [T]
        /// The forward pass's mode: in training μ and σ² depend on the batch and the
        /// backward pass differentiates through them; in evaluation they are constants.
        public var mode: Mode
    }

    public mutating func forward(_ x: Matrix<T>, mode: Mode) -> (y: Matrix<T>, cache: Cache) {
        let (n, features) = (x.rows, x.columns)
        ensure(features == gamma.columns, "BatchNorm expects N×\(gamma.columns) input, got \(x.shapeDescription)")
        var mean = runningMean.elements
        var variance = runningVariance.elements
        if mode == .training {
            ensure(n > 1, "BatchNorm needs at least 2 rows to train (the variance of one row is 0)")
            let columnSums = x.sumOverRows().elements
            mean = columnSums.map { $0 / T(n) }
            variance = [T](repeating: 0, count: features)
            for i in 0..<n {
                for j in 0..<features {
                    let d = x[i, j] - mean[j]
                    variance[j] += d * d
                }
            }
            variance = variance.map { $0 / T(n) }
            for j in 0..<features {
                runningMean.elements[j] = (1 - momentum) * runningMean.elements[j] + momentum * mean[j]
                let unbiased = variance[j] * T(n) / T(n - 1)
                runningVariance.elements[j] = (1 - momentum) * runningVariance.elements[j] + momentum * unbiased
            }
        }
        let inverseStd = variance.map { 1 / T.sqrt($0 + epsilon) }
        var xHat = x
        var y = x
        for i in 0..<n {
            for j in 0..<features {
                let h = (x[i, j] - mean[j]) * inverseStd[j]
                xHat[i, j] = h
                y[i, j] = gamma.elements[j] * h + beta.elements[j]
            }
        }
        return (y, Cache(xHat: xHat, inverseStd: inverseStd, mode: mode))
    }

    /// Backward. The parameters are an affine map of x̂:
    ///
    ///     dγ_j += Σ_n dY_nj x̂_nj,    dβ_j += Σ_n dY_nj,    dx̂ = dY ⊙ γ
    ///
    /// In evaluation μ and σ² are constants, so `dX = dx̂ / √(σ² + ε)`. In training they
    /// depend on every row of the batch; differentiating through μ and σ² gives
    ///
    ///     dX_nj = (1/N) / √(σ²_j + ε) · (N dx̂_nj − Σ_m dx̂_mj − x̂_nj Σ_m dx̂_mj x̂_mj)
    ///
    /// (the two sums remove the parts of the gradient that would only shift the batch
    /// mean or scale the batch variance — which normalisation undoes anyway).
    public func backward(into grads: inout Self, _ dY: Matrix<T>, cache: Cache) -> Matrix<T> {
        unimplemented("the BatchNorm layer — backward")
    }
}
