/// Graded checks of a piece with no reference case: Dropout's mask is random, so
/// PyTorch's values cannot be matched; its defining properties can.
enum GradedProperties {
    /// Evaluation is the identity; in training about p of the units are zeroed and the
    /// mean is kept (inverted scaling); backward goes through the same mask
    /// (finite differences with the mask fixed by the seed).
    @Sendable static func dropout(_ options: GradingOptions) throws -> [Deduction] {
        var problems: [String] = []
        let p = 0.4
        var generator = SeededGenerator(seed: 3)
        let x = Matrix<Double>.uniform(rows: 200, columns: 50, bound: 1, using: &generator).map { $0 + 2 }

        var layer = Dropout<Double>(probability: p, seed: 1)
        if layer.forward(x, mode: .evaluation).y != x { problems.append("in evaluation the output is not the input") }

        let y = layer.forward(x, mode: .training).y
        let dropped = Double(y.elements.filter { $0 == 0 }.count) / Double(y.count)
        if !(abs(dropped - p) <= 0.03) {
            problems.append("with p = \(p) a fraction \(formatNumber(dropped, decimals: 3)) of units was zeroed")
        }
        let ratio = y.sum() / x.sum()
        if !(abs(ratio - 1) <= 0.03) {
            problems.append(
                "in training the output's sum is \(formatNumber(ratio, decimals: 3))× the input's, not ≈ 1× "
                    + "(survivors must be scaled by 1/(1 − p))")
        }

        // Backward, with the mask of a fresh layer of the same seed each time.
        let small = Matrix<Double>.uniform(rows: 4, columns: 6, bound: 1, using: &generator)
        let r = Matrix<Double>.uniform(rows: 4, columns: 6, bound: 1, using: &generator)
        func fresh() -> Dropout<Double> { Dropout(probability: p, seed: 5) }
        var forwardLayer = fresh()
        let (_, mask) = forwardLayer.forward(small, mode: .training)
        var grads = fresh()
        let dX = fresh().backward(into: &grads, r, cache: mask)
        let report = GradientChecker().check("x", at: small, analytic: dX) { value in
            var layer = fresh()
            return (layer.forward(value, mode: .training).y * r).sum()
        }
        if !report.passed { problems.append("backward: \(report)") }
        return problems.isEmpty ? [] : [Deduction(points: 2, reason: problems.joined(separator: "; "))]
    }
}
