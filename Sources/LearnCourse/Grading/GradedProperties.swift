import Learn
/// Graded checks of pieces with no reference case, through their defining properties:
/// Dropout's mask is random, so PyTorch's values cannot be matched; an interpolation
/// is fully described by its ends and its even spacing.
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
            problems.append("with p = \(p) a fraction \(NumberFormat.fixed(dropped, decimals: 3)) of units was zeroed")
        }
        let ratio = y.sum() / x.sum()
        if !(abs(ratio - 1) <= 0.03) {
            problems.append(
                "in training the output's sum is \(NumberFormat.fixed(ratio, decimals: 3))× the input's, not ≈ 1× "
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

    /// z(α) = (1 − α) z_a + α z_b: s + 2 rows, the ends z_a and z_b, evenly spaced in
    /// between (every step is (z_b − z_a)/(s + 1)), all to rounding.
    @Sendable static func interpolation(_ options: GradingOptions) throws -> [Deduction] {
        var problems: [String] = []
        var generator = SeededGenerator(seed: 11)
        let za = Matrix<Double>.normal(rows: 1, columns: 100, using: &generator)
        let zb = Matrix<Double>.normal(rows: 1, columns: 100, using: &generator)
        for steps in [7, 0, 2] {
            let path = LatentInterpolation.line(from: za, to: zb, steps: steps)
            guard path.rows == steps + 2, path.columns == za.columns else {
                problems.append("with \(steps) steps the path is \(path.shapeDescription), expected \(steps + 2)×100")
                continue
            }
            // Ends to rounding (z_a + 1·(z_b − z_a) may miss z_b by an ulp, which is fine).
            func off(_ row: [Double], _ z: Matrix<Double>) -> Bool {
                zip(row, z.row(0)).contains { !(abs($0 - $1) <= 1e-12 * max(abs($1), 1)) }
            }
            if off(path.row(0), za) { problems.append("with \(steps) steps the first row is not z_a") }
            if off(path.row(steps + 1), zb) { problems.append("with \(steps) steps the last row is not z_b") }
            var worst = 0.0
            for k in 1..<path.rows {
                for j in 0..<za.columns {
                    let step = path[k, j] - path[k - 1, j]
                    let expected = (zb[0, j] - za[0, j]) / Double(steps + 1)
                    worst = max(worst, abs(step - expected) / max(abs(expected), 1e-3))
                }
            }
            if !(worst <= 1e-9) {
                problems.append(
                    "with \(steps) steps the rows are not evenly spaced (worst relative error of a step \(NumberFormat.scientific(worst)))"
                )
            }
        }
        return problems.isEmpty ? [] : [Deduction(points: 3, reason: problems.joined(separator: "; "))]
    }
}
