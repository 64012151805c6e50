import Learn
/// Finite differences on a fixture case: the library's backward pass against its own
/// forward pass, element by element, on the case's inputs and parameters.
///
/// Comparing with PyTorch's gradients says whether the numbers are right; this says
/// whether the backward pass is the derivative of the forward pass, with no reference
/// values at all — so it also grades hidden cases, and it tells a wrong backward apart
/// from a wrong forward (only the latter passes it while failing the fixture).
extension FixtureRunner {
    /// One report per tensor the case has a gradient for; empty for a case without an
    /// objective (an optimiser's trajectory). Throws when the case cannot be computed.
    public static func gradientCheck(
        _ fixture: FixtureCase, checker: GradientChecker = GradientChecker()
    ) throws -> [GradientCheckReport] {
        if case .none = fixture.objective { return [] }
        let computed = try compute(fixture)
        var reports: [GradientCheckReport] = []
        for name in computed.gradients.keys.sorted(by: naturalOrder) {
            guard let analytic = computed.gradients[name] else { continue }
            let isInput = fixture.inputs[name] != nil
            guard let at = isInput ? fixture.inputs[name] : fixture.parameters[name] else { continue }
            reports.append(
                // Named as the fixture comparison names the same gradient: one name per tensor.
                checker.check("gradients.\(name)", at: at, analytic: analytic) { value in
                    var perturbed = fixture
                    if isInput { perturbed.inputs[name] = value } else { perturbed.parameters[name] = value }
                    return (try? objective(perturbed, compute(perturbed, forwardOnly: true))) ?? .nan
                })
        }
        return reports
    }

    /// The value of the case's objective from what the library computed.
    static func objective(_ fixture: FixtureCase, _ computed: FixtureComputation) throws -> Double {
        switch fixture.objective {
        case .output(let name):
            guard let y = computed.outputs[name], y.count == 1 else { throw fixture.failure("no 1×1 output \(name)") }
            return y.elements[0]
        case .weightedSum(let name, let weights):
            guard let y = computed.outputs[name], y.rows == weights.rows, y.columns == weights.columns else {
                throw fixture.failure("no output \(name) shaped like the objective's weights")
            }
            return (y * weights).sum()
        case .none:
            throw fixture.failure("a case without an objective has no gradients to check")
        }
    }
}
