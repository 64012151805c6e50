import Learn

/// Where a rectifier's input is exactly 0 its derivative jumps — 1 on the right, the
/// slope α (0 for ReLU) on the left — and both one-sided values are correct. PyTorch,
/// which writes the cases, takes the left one; an implementation that takes the right
/// one (`x >= 0`) must not lose points for it. So at those elements the gradient of x
/// is also compared with the other side's value, and the closer one counts.
extension FixtureRunner {
    /// For a ReLU or LeakyReLU case, the gradients of x with every kink taken from the
    /// left and from the right; empty for every other case (and one without kinks).
    static func kinkAlternatives(_ fixture: FixtureCase) -> [String: [Matrix<Double>]] {
        guard fixture.kind == .relu || fixture.kind == .leakyReLU,
            let x = fixture.inputs["x"], let expected = fixture.gradients["x"],
            case .weightedSum(_, let r) = fixture.objective, r.count == x.count, expected.count == x.count,
            x.elements.contains(0)
        else { return [:] }
        var slope = 0.0
        if fixture.kind == .leakyReLU, case .number(let given)? = fixture.options["slope"] { slope = given }
        func side(_ derivative: Double) -> Matrix<Double> {
            var m = expected
            for k in 0..<x.count where x.elements[k] == 0 { m.elements[k] = r.elements[k] * derivative }
            return m
        }
        return ["x": [side(slope), side(1)]]
    }
}
