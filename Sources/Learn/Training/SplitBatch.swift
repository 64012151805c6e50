/// Training on two cores by splitting the batch: data parallelism in one file.
///
/// The examples of a batch do not meet until the loss averages them. So the first half
/// of the rows can run forward and backward through time on one core while the second
/// half runs on the other, each through the model's own serial code, and the two
/// results combine exactly. With L₀ and L₁ the mean losses of halves of n₀ and n₁ rows
/// (N = n₀ + n₁):
///
///     L     = (n₀·L₀ + n₁·L₁) / N
///     ∂L/∂θ = (n₀·∂L₀/∂θ + n₁·∂L₁/∂θ) / N
///
/// Why split the batch rather than the work inside one time step? Each half runs a
/// whole sequence with no hand-offs, where splitting a step's gates or matrix products
/// meets the other core hundreds of times per sequence; every meeting waits for the
/// slower core, and on a shared machine that is often a long wait.
///
/// The sums are rounded in a different order than in one pass over the whole batch, so
/// the results agree to rounding (about 1e-7 relative in Float), not bit for bit; the
/// split is always the same, so a seeded run still repeats exactly.
extension SequenceClassifier {
    /// The smallest batch worth splitting: below it, handing half to the other core
    /// costs more than it saves.
    public static var smallestSplitBatch: Int { 32 }

    /// ``lossAndGradients(_:labels:)`` with the batch split between two cores; the
    /// same result up to rounding (see the extension's documentation).
    public func lossAndGradientsSplittingBatch(
        _ xs: [Matrix<Scalar>], labels: [Int]
    ) -> (loss: Scalar, gradients: Self) {
        let n = labels.count
        guard n >= Self.smallestSplitBatch else { return lossAndGradients(xs, labels: labels) }
        let (first, second) = (0..<n / 2, n / 2..<n)
        let (a, b) = Parallel.two(
            { lossAndGradients(xs.map { $0.slicingRows(first) }, labels: Array(labels[first])) },
            { lossAndGradients(xs.map { $0.slicingRows(second) }, labels: Array(labels[second])) })
        let (wa, wb) = (Scalar(first.count) / Scalar(n), Scalar(second.count) / Scalar(n))
        var gradients = a.gradients
        for parameter in parameters {
            let (ga, gb) = (a.gradients[keyPath: parameter.path], b.gradients[keyPath: parameter.path])
            gradients[keyPath: parameter.path] = ga.combined(with: gb, operation: "combining halves") {
                wa * $0 + wb * $1
            }
        }
        return (wa * a.loss + wb * b.loss, gradients)
    }

    /// ``predict(_:)`` with the batch split between two cores: each row's prediction
    /// depends on that row alone, so the result is exactly the same.
    public func predictSplittingBatch(_ xs: [Matrix<Scalar>]) -> [Int] {
        let n = xs.first?.rows ?? 0
        guard n >= Self.smallestSplitBatch else { return predict(xs) }
        let (first, second) = (0..<n / 2, n / 2..<n)
        let (a, b) = Parallel.two(
            { predict(xs.map { $0.slicingRows(first) }) },
            { predict(xs.map { $0.slicingRows(second) }) })
        return a + b
    }
}
