/// Equations (8) and (9), fused: the softmax of the scores and the cross-entropy
/// against the true class, averaged over the batch (PyTorch's `CrossEntropyLoss`).
///
///     ŷ_k = e^(p_k) / Σ_j e^(p_j)                              (8)
///     L   = −(1/N) Σ_n log ŷ_{n, y_n}                           (9)
///
/// Fusing the two is both exact and stable. Exact, because the Jacobian of softmax
/// and the derivative of −log collapse to `∂L/∂p = (ŷ − onehot(y)) / N`. Stable,
/// because `−log ŷ_y = log Σ_j e^(p_j) − p_y` is computed with the row maximum m
/// subtracted from every score first (log-sum-exp): `log Σ_j e^(p_j − m) − (p_y − m)`,
/// so no exponential can overflow, a confident wrong answer gives a large finite loss
/// (never `log(0)`), and large scores lose no precision.
///
/// Shapes: `p` N×K, labels N integers in 0..<K, `ŷ` N×K.
/// See also: ``Prediction`` (which makes p).
public enum SoftmaxCrossEntropy {
    /// What the backward pass needs: the probabilities and the labels.
    public struct Cache<T: Real>: Sendable {
        /// ŷ, N×K: each row sums to 1.
        public var probabilities: Matrix<T>
        /// The true class of each row.
        public var labels: [Int]
    }

    /// Softmax of each row, with the row maximum subtracted so `exp` cannot overflow.
    public static func softmax<T>(_ p: Matrix<T>) -> Matrix<T> {
        // BEGIN SOLUTION softmaxCrossEntropy
        var y = p
        for n in 0..<p.rows {
            let row = n * p.columns..<(n + 1) * p.columns
            let m = p.elements[row].max() ?? 0
            var total: T = 0
            for k in row {
                y.elements[k] = T.exp(p.elements[k] - m)
                total += y.elements[k]
            }
            for k in row { y.elements[k] /= total }
        }
        return y
        // END SOLUTION
    }

    /// The mean cross-entropy of the softmax of `p` against `labels`.
    public static func forward<T>(_ p: Matrix<T>, labels: [Int]) -> (loss: T, cache: Cache<T>) {
        // BEGIN SOLUTION softmaxCrossEntropy
        ensure(
            labels.count == p.rows,
            "softmax cross-entropy: \(labels.count) labels for \(p.rows) rows of scores")
        var loss: T = 0
        for n in 0..<p.rows {
            let y = labels[n]
            ensure(
                (0..<p.columns).contains(y),
                "softmax cross-entropy: label \(y) in row \(n) is outside 0..<\(p.columns)")
            let row = p.elements[n * p.columns..<(n + 1) * p.columns]
            let m = row.max() ?? 0
            // −log ŷ_y = log Σ_j e^(p_j − m) − (p_y − m). Subtracting m from p_y here,
            // rather than adding it back to the log-sum, keeps full precision when the
            // scores are large (1000 + 2.3 − 1000 would lose the 2.3's low digits).
            loss += T.log(row.reduce(0) { $0 + T.exp($1 - m) }) - (p[n, y] - m)
        }
        let count = T(max(p.rows, 1))
        return (loss / count, Cache(probabilities: softmax(p), labels: labels))
        // END SOLUTION
    }

    /// `∂L/∂p = (ŷ − onehot(y)) / N`.
    ///
    /// Derivation for one row: L = −p_y + log Σ_j e^(p_j), so
    /// ∂L/∂p_k = −[k = y] + e^(p_k)/Σ_j e^(p_j) = ŷ_k − [k = y]; the mean divides by N.
    public static func backward<T>(cache: Cache<T>) -> Matrix<T> {
        // BEGIN SOLUTION softmaxCrossEntropy
        var dP = cache.probabilities
        for (n, y) in cache.labels.enumerated() { dP[n, y] -= 1 }
        let scale = 1 / T(max(dP.rows, 1))
        return scale * dP
        // END SOLUTION
    }
}
