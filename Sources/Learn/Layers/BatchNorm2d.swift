/// Batch normalisation of images (PyTorch's `BatchNorm2d`): each channel shifted and
/// scaled to zero mean and unit variance over the whole batch and every pixel, then
/// given a learned scale γ_c and shift β_c.
///
/// Training (statistics of this batch, per channel c, over the M = N·H·W numbers of
/// that channel in every image and at every pixel):
///
///     μ_c  = (1/M) Σ_{n,i,j} x_{n,c,i,j}
///     σ²_c = (1/M) Σ_{n,i,j} (x_{n,c,i,j} − μ_c)²          (biased, as PyTorch normalises)
///     x̂_{n,c,i,j} = (x_{n,c,i,j} − μ_c) / √(σ²_c + ε)
///     y_{n,c,i,j} = γ_c x̂_{n,c,i,j} + β_c
///
/// and the running averages move towards the batch:
/// `running ← (1 − momentum)·running + momentum·batch`, the running variance taking the
/// *unbiased* σ²·M/(M−1), as PyTorch does. Evaluation uses the running averages in place
/// of μ and σ².
///
/// It is ``BatchNorm`` with a channel in place of a feature and the M pixels of the
/// batch in place of its N rows: in `FeatureMaps/pixelRows()` layout, (N·H·W) × C,
/// a channel is a column, and every formula is BatchNorm's with N replaced by M.
///
/// Defaults as PyTorch: momentum 0.1, ε = 1e-5, γ = 1, β = 0.
/// Shapes: `x`, `y` N×C×H×W; `gamma`, `beta`, running statistics 1×C.
public struct BatchNorm2d<T: Real>: FeatureMapLayer {
    /// γ, the learned scale, 1×C.
    public var gamma: Matrix<T>
    /// β, the learned shift, 1×C.
    public var beta: Matrix<T>
    /// The running mean, used in evaluation (state, not trained).
    public var runningMean: Matrix<T>
    /// The running (unbiased) variance, used in evaluation (state, not trained).
    public var runningVariance: Matrix<T>
    /// How far one batch moves the running averages.
    public var momentum: T
    /// ε, added to the variance so a constant channel does not divide by zero.
    public var epsilon: T

    /// A layer over images of `channels` channels with PyTorch's defaults.
    public init(channels: Int, momentum: T = 0.1, epsilon: T = 1e-5) {
        ensure(channels > 0, "BatchNorm2d needs at least one channel, got \(channels)")
        ensure(momentum >= 0 && momentum <= 1, "BatchNorm2d momentum must lie in [0, 1], got \(momentum)")
        ensure(epsilon > 0, "BatchNorm2d epsilon must be positive, got \(epsilon)")
        gamma = Matrix(rows: 1, columns: channels, repeating: 1)
        beta = Matrix(rows: 1, columns: channels)
        runningMean = Matrix(rows: 1, columns: channels)
        runningVariance = Matrix(rows: 1, columns: channels, repeating: 1)
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

    /// What the backward pass needs: x̂, 1/√(σ² + ε) per channel, and the mode.
    public struct Cache: Sendable {
        /// x̂ in pixel rows, (N·H·W) × C: dγ_c = Σ dY x̂ over column c.
        public var xHat: Matrix<T>
        /// 1/√(σ²_c + ε), one per channel (C values): the scale of ∂L/∂x.
        public var inverseStd: [T]
        /// The forward pass's mode: in training μ and σ² depend on the batch and the
        /// backward pass differentiates through them; in evaluation they are constants.
        public var mode: Mode
    }

    public mutating func forward(_ x: FeatureMaps<T>, mode: Mode) -> (y: FeatureMaps<T>, cache: Cache) {
        ensure(
            x.channels == gamma.columns,
            "BatchNorm2d expects N×\(gamma.columns)×H×W input (C = \(gamma.columns)), got \(x.shapeDescription)")
        // BEGIN SOLUTION batchNorm2d
        // A channel is a column of the pixel rows: its statistics are over M = N·H·W rows.
        let pixels = x.pixelRows()
        let (m, channels) = (pixels.rows, pixels.columns)
        var mu = runningMean.elements
        var sigma2 = runningVariance.elements
        if mode == .training {
            ensure(m > 1, "BatchNorm2d needs more than one value per channel to train (N·H·W = \(m))")
            mu = pixels.sumOverRows().elements.map { $0 / T(m) }
            sigma2 = [T](repeating: 0, count: channels)
            for r in 0..<m {
                for c in 0..<channels {
                    let d = pixels[r, c] - mu[c]
                    sigma2[c] += d * d
                }
            }
            sigma2 = sigma2.map { $0 / T(m) }
            for c in 0..<channels {
                runningMean.elements[c] = (1 - momentum) * runningMean.elements[c] + momentum * mu[c]
                let unbiased = sigma2[c] * T(m) / T(m - 1)
                runningVariance.elements[c] = (1 - momentum) * runningVariance.elements[c] + momentum * unbiased
            }
        }
        let inverseSigma = sigma2.map { 1 / T.sqrt($0 + epsilon) }
        var xHat = pixels
        var yPixels = pixels
        for r in 0..<m {
            for c in 0..<channels {
                let h = (pixels[r, c] - mu[c]) * inverseSigma[c]
                xHat[r, c] = h
                yPixels[r, c] = gamma.elements[c] * h + beta.elements[c]
            }
        }
        let y = FeatureMaps(pixelRows: yPixels, batchSize: x.batchSize, height: x.height, width: x.width)
        return (y, Cache(xHat: xHat, inverseStd: inverseSigma, mode: mode))
        // END SOLUTION
    }

    /// Backward, BatchNorm's with M = N·H·W in place of N (derivation in ``BatchNorm``):
    ///
    ///     dγ_c += Σ dY x̂,    dβ_c += Σ dY,    dx̂ = dY ⊙ γ        (sums over n, i, j)
    ///
    /// in evaluation `dX = dx̂ / √(σ² + ε)`; in training, through μ and σ²,
    ///
    ///     dX = (1/M) / √(σ²_c + ε) · (M dx̂ − Σ dx̂ − x̂ Σ dx̂ ⊙ x̂)
    public func backward(into grads: inout Self, _ dY: FeatureMaps<T>, cache: Cache) -> FeatureMaps<T> {
        ensure(
            dY.count == cache.xHat.count && dY.channels == gamma.columns,
            "BatchNorm2d backward: dY must have the forward's shape (\(cache.xHat.count) elements, C = "
                + "\(gamma.columns)), got \(dY.shapeDescription)")
        // BEGIN SOLUTION batchNorm2d
        let dYPixels = dY.pixelRows()
        let (m, channels) = (dYPixels.rows, dYPixels.columns)
        grads.beta += dYPixels.sumOverRows()
        grads.gamma += (dYPixels * cache.xHat).sumOverRows()
        var dXHat = dYPixels
        for r in 0..<m {
            for c in 0..<channels { dXHat[r, c] *= gamma.elements[c] }
        }
        var dX = dXHat
        if cache.mode == .training {
            let sumOfDXHat = dXHat.sumOverRows().elements
            let sumOfDXHatXHat = (dXHat * cache.xHat).sumOverRows().elements
            for r in 0..<m {
                for c in 0..<channels {
                    let centred = T(m) * dXHat[r, c] - sumOfDXHat[c] - cache.xHat[r, c] * sumOfDXHatXHat[c]
                    dX[r, c] = centred * cache.inverseStd[c] / T(m)
                }
            }
        } else {
            for r in 0..<m {
                for c in 0..<channels { dX[r, c] *= cache.inverseStd[c] }
            }
        }
        return FeatureMaps(pixelRows: dX, batchSize: dY.batchSize, height: dY.height, width: dY.width)
        // END SOLUTION
    }
}
