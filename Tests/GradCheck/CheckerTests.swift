import Foundation
import Learn
import LearnTesting
import Testing

/// The checker is public API, so it is tested on functions whose derivatives are
/// known — and it must reject a gradient that is wrong.
@Suite("The gradient checker itself")
struct CheckerTests {
    let x = random(3, 4, seed: 7)

    @Test("accepts the exact gradient of Σ x² (which is 2x)")
    func acceptsSumOfSquares() {
        let report = checker.check("Σx²", at: x, analytic: 2.0 * x) { $0.squaredNorm() }
        #expect(report.passed, "\(report)")
        #expect(report.count == 12)
        #expect(report.worstError < 1e-9)
    }

    @Test("accepts the exact gradient of Σ sin(x)·exp(x)")
    func acceptsSinExp() {
        let analytic = x.map { Foundation.cos($0) * Foundation.exp($0) + Foundation.sin($0) * Foundation.exp($0) }
        let report = checker.check("Σ sin·exp", at: x, analytic: analytic) {
            $0.map { Foundation.sin($0) * Foundation.exp($0) }.sum()
        }
        #expect(report.passed, "\(report)")
    }

    /// Ways to get the gradient of Σ x² wrong, from gross to subtle.
    enum Mistake: String, CaseIterable, CustomTestStringConvertible {
        case forgotTheFactorTwo = "x instead of 2x"
        case flippedSign = "the sign flipped"
        case tinyErrorInOneElement = "2x off by 1e-5 in one element"

        var testDescription: String { rawValue }

        func gradient(at x: Matrix<Double>) -> Matrix<Double> {
            switch self {
            case .forgotTheFactorTwo: return x
            case .flippedSign: return -2.0 * x
            case .tinyErrorInOneElement:
                var g = 2.0 * x
                g[1, 2] += 1e-5
                return g
            }
        }
    }

    @Test("rejects a wrong gradient", arguments: Mistake.allCases)
    func rejectsWrongGradient(_ mistake: Mistake) {
        let report = checker.check(mistake.rawValue, at: x, analytic: mistake.gradient(at: x)) { $0.squaredNorm() }
        #expect(!report.passed, "the checker passed a wrong gradient: \(report)")
        #expect(report.description.hasPrefix("FAIL"))
    }

    @Test("names the worst element and both values when it fails")
    func reportsTheWorstElement() {
        var wrong = 2.0 * x
        wrong[2, 3] += 0.5
        let report = checker.check("Σx²", at: x, analytic: wrong) { $0.squaredNorm() }
        #expect(report.worstIndex.row == 2 && report.worstIndex.column == 3)
        #expect(abs(report.worstAnalytic - report.worstNumeric - 0.5) < 1e-8)
        #expect(report.failures == 1)
    }

    @Test("fails on a NaN gradient rather than passing it")
    func rejectsNaN() {
        var wrong = 2.0 * x
        wrong[0, 0] = .nan
        let report = checker.check("Σx²", at: x, analytic: wrong) { $0.squaredNorm() }
        #expect(!report.passed)
    }

    @Test("checks every parameter of a model and names each", .requires(.prediction))
    func checksModels() {
        var generator = SeededGenerator(seed: 3)
        let model = Prediction<Double>(hiddenSize: 3, classes: 4, using: &generator)
        // L = Σ W_ph² + Σ b_p², so ∂L/∂θ = 2θ.
        let gradients = Prediction(wph: 2.0 * model.wph, bp: 2.0 * model.bp)
        let reports = checker.check(model, gradients: gradients) { $0.wph.squaredNorm() + $0.bp.squaredNorm() }
        #expect(reports.map(\.name) == ["wph", "bp"])
        expectAllPass(reports)
    }
}
