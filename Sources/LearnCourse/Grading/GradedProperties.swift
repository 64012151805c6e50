import Learn

/// Graded checks of pieces with no reference case, through their defining properties:
/// Dropout's mask is random, so PyTorch's values cannot be matched; an interpolation
/// is fully described by its ends and its even spacing. The grader draws the inputs,
/// the pieces compute, and the grader judges what they computed.
enum GradedProperties {
    /// What Dropout is given: a large input well away from 0, and a small one with the
    /// upstream gradient r for the backward pass.
    struct DropoutQuestion: Codable, Sendable {
        var p = 0.4
        var x: AnswerTensor
        var small: AnswerTensor
        var r: AnswerTensor
    }

    /// What Dropout made of it.
    struct DropoutEvidence: Codable, Sendable {
        /// The output of x in evaluation and in training.
        var evaluation: AnswerTensor
        var training: AnswerTensor
        /// The output of `small` in training (seed 5), and dX for r through that mask.
        var smallTraining: AnswerTensor
        var dX: AnswerTensor
        /// The finite-difference report of that backward pass.
        var gradientCheckPassed: Bool
        var gradientCheck: String
    }

    /// Evaluation is the identity; in training about p of the units are zeroed and the
    /// mean is kept (inverted scaling); backward goes through the same mask: dX = r ⊙ y ⊘ x
    /// (and agrees with finite differences, the mask fixed by the seed).
    static let dropout = GradedWork<DropoutQuestion, DropoutEvidence>(
        ask: { _ in
            var generator = SeededGenerator(seed: 3)
            let x = Matrix<Double>.uniform(rows: 200, columns: 50, bound: 1, using: &generator).map { $0 + 2 }
            let small = Matrix<Double>.uniform(rows: 4, columns: 6, bound: 1, using: &generator)
            let r = Matrix<Double>.uniform(rows: 4, columns: 6, bound: 1, using: &generator)
            return DropoutQuestion(x: AnswerTensor(x), small: AnswerTensor(small), r: AnswerTensor(r))
        },
        answer: { question in
            guard let x = question.x.matrix, let small = question.small.matrix, let r = question.r.matrix else {
                throw GradingError(problem: "the question is malformed")
            }
            var layer = Dropout<Double>(probability: question.p, seed: 1)
            let evaluation = layer.forward(x, mode: .evaluation).y
            let training = layer.forward(x, mode: .training).y
            func fresh() -> Dropout<Double> { Dropout(probability: question.p, seed: 5) }
            var forwardLayer = fresh()
            let (y, mask) = forwardLayer.forward(small, mode: .training)
            var grads = fresh()
            let dX = fresh().backward(into: &grads, r, cache: mask)
            let report = GradientChecker().check("x", at: small, analytic: dX) { value in
                var layer = fresh()
                return (layer.forward(value, mode: .training).y * r).sum()
            }
            return DropoutEvidence(
                evaluation: AnswerTensor(evaluation), training: AnswerTensor(training), smallTraining: AnswerTensor(y),
                dX: AnswerTensor(dX), gradientCheckPassed: report.passed, gradientCheck: "\(report)")
        },
        judge: { question, evidence, _ in
            var problems: [String] = []
            let p = question.p
            guard let x = question.x.matrix, let small = question.small.matrix, let r = question.r.matrix else {
                throw GradingError(problem: "the question is malformed")
            }
            func shaped(_ t: AnswerTensor, like m: Matrix<Double>) -> Matrix<Double>? {
                t.matrix.flatMap { $0.rows == m.rows && $0.columns == m.columns ? $0 : nil }
            }
            guard let evaluation = shaped(evidence.evaluation, like: x), let y = shaped(evidence.training, like: x),
                let ySmall = shaped(evidence.smallTraining, like: small), let dX = shaped(evidence.dX, like: small)
            else {
                return [Deduction(points: 2, reason: "an output or dX is not shaped like the input")]
            }
            if evaluation != x { problems.append("in evaluation the output is not the input") }
            let dropped = Double(y.elements.filter { $0 == 0 }.count) / Double(y.count)
            if !(abs(dropped - p) <= 0.03) {
                problems.append(
                    "with p = \(p) a fraction \(NumberFormat.fixed(dropped, decimals: 3)) of units was zeroed")
            }
            let ratio = y.sum() / x.sum()
            if !(abs(ratio - 1) <= 0.03) {
                problems.append(
                    "in training the output's sum is \(NumberFormat.fixed(ratio, decimals: 3))× the input's, not ≈ 1× "
                        + "(survivors must be scaled by 1/(1 − p))")
            }
            // Each unit is dropped (y = 0) or scaled (y = x/(1 − p)); dX = r ⊙ y ⊘ x.
            let kept = (0..<small.count).allSatisfy { k in
                let scale = ySmall.elements[k] / small.elements[k]
                return scale == 0 || abs(scale - 1 / (1 - p)) <= 1e-12 / (1 - p)
            }
            let throughMask = (0..<small.count).allSatisfy { k in
                let expected = r.elements[k] * ySmall.elements[k] / small.elements[k]
                return abs(dX.elements[k] - expected) <= 1e-12 * max(abs(expected), 1)
            }
            if !kept { problems.append("in training a unit is neither dropped nor scaled by 1/(1 − p)") }
            if !throughMask {
                problems.append("backward: dX is not r through the forward pass's mask, scaled by 1/(1 − p)")
            }
            if !evidence.gradientCheckPassed { problems.append("backward: \(evidence.gradientCheck)") }
            return problems.isEmpty ? [] : [Deduction(points: 2, reason: problems.joined(separator: "; "))]
        })

    /// What the interpolation is given: its ends and the numbers of steps to try.
    struct InterpolationQuestion: Codable, Sendable {
        var za: AnswerTensor
        var zb: AnswerTensor
        var steps = [7, 0, 2]
    }

    /// z(α) = (1 − α) z_a + α z_b: s + 2 rows, the ends z_a and z_b, evenly spaced in
    /// between (every step is (z_b − z_a)/(s + 1)), all to rounding.
    static let interpolation = GradedWork<InterpolationQuestion, [AnswerTensor]>(
        ask: { _ in
            var generator = SeededGenerator(seed: 11)
            let za = Matrix<Double>.normal(rows: 1, columns: 100, using: &generator)
            let zb = Matrix<Double>.normal(rows: 1, columns: 100, using: &generator)
            return InterpolationQuestion(za: AnswerTensor(za), zb: AnswerTensor(zb))
        },
        answer: { question in
            guard let za = question.za.matrix, let zb = question.zb.matrix else {
                throw GradingError(problem: "the question is malformed")
            }
            return question.steps.map { AnswerTensor(LatentInterpolation.line(from: za, to: zb, steps: $0)) }
        },
        judge: { question, paths, _ in
            guard let za = question.za.matrix, let zb = question.zb.matrix, paths.count == question.steps.count else {
                throw GradingError(
                    problem: "the answering process gave \(paths.count) paths, not \(question.steps.count)")
            }
            var problems: [String] = []
            for (steps, given) in zip(question.steps, paths) {
                guard let path = given.matrix, path.rows == steps + 2, path.columns == za.columns else {
                    problems.append("with \(steps) steps the path is \(given.shape), expected [\(steps + 2), 100]")
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
                        let error = abs(step - expected) / max(abs(expected), 1e-3)
                        worst = error.isNaN ? .infinity : max(worst, error)
                    }
                }
                if !(worst <= 1e-9) {
                    problems.append(
                        "with \(steps) steps the rows are not evenly spaced (worst relative error of a step \(NumberFormat.scientific(worst)))"
                    )
                }
            }
            return problems.isEmpty ? [] : [Deduction(points: 3, reason: problems.joined(separator: "; "))]
        })
}
