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

    // MARK: - No false negatives: kinks, rounding noise, exact zeros

    /// A 3×4 input with four elements exactly 0: ReLU's kink.
    static let kinked: Matrix<Double> = {
        var x = random(3, 4, seed: 11)
        for k in [0, 5, 6, 11] { x.elements[k] = 0 }
        return x
    }()
    static let weights = random(3, 4, seed: 12)

    static func relu(_ x: Matrix<Double>) -> Double {
        GradientChecker.weightedSum(x.map { max($0, 0) }, by: weights)
    }

    /// R where x > 0 (or ≥ 0), 0 elsewhere; `atKink` overrides the value at x = 0.
    static func reluGradient(atKink: (Double) -> Double) -> Matrix<Double> {
        kinked.combined(with: weights, operation: "the ReLU gradient") { x, r in x > 0 ? r : (x == 0 ? atKink(r) : 0) }
    }

    @Test("accepts either one-sided derivative at a kink, where the central difference averages the two")
    func acceptsOneSidedDerivativesAtAKink() {
        for (side, atKink) in [("left", { (_: Double) in 0.0 }), ("right", { (r: Double) in r })] {
            let report = checker.check("relu", at: Self.kinked, analytic: Self.reluGradient(atKink: atKink), Self.relu)
            #expect(report.passed, "\(side): \(report)")
            #expect(report.carefulPasses == 4, "\(side): \(report)")
            var strict = checker
            strict.refinementBudget = 0
            #expect(
                !strict.check("relu", at: Self.kinked, analytic: Self.reluGradient(atKink: atKink), Self.relu).passed)
        }
    }

    @Test("rejects a value at a kink that is neither one-sided derivative, and a wrong slope beside it")
    func rejectsWrongValuesAtAKink() {
        let doubled = checker.check("relu", at: Self.kinked, analytic: Self.reluGradient { 2 * $0 }, Self.relu)
        #expect(!doubled.passed && doubled.failures == 4, "\(doubled)")
        // The slope of the negative side taken as 1 (the identity's): wrong away from the kinks.
        let identity = checker.check("relu", at: Self.kinked, analytic: Self.weights, Self.relu)
        #expect(!identity.passed, "\(identity)")
    }

    /// f(x) = Σ r_i (x_i − mean x) at x ≈ 1e4: ∂f/∂x_i = r_i − mean r exactly, but
    /// x − mean x loses four digits, so a two-point difference is noise to ~1e-6.
    static let offset = random(1, 12, seed: 13).map { 1e4 + $0 }
    static let r = random(1, 12, seed: 14)

    static func centred(_ x: Matrix<Double>) -> Double {
        let mean = x.sum() / Double(x.count)
        return GradientChecker.weightedSum(x.map { $0 - mean }, by: r)
    }

    @Test("accepts a correct gradient where rounding noise swamps the two-point difference (an input offset of 1e4)")
    func acceptsUnderRoundingNoise() {
        let mean = Self.r.sum() / Double(Self.r.count)
        let exact = Self.r.map { $0 - mean }
        var strict = checker
        strict.refinementBudget = 0
        #expect(!strict.check("x", at: Self.offset, analytic: exact, Self.centred).passed, "the noise must be real")
        let report = checker.check("x", at: Self.offset, analytic: exact, Self.centred)
        #expect(report.passed, "\(report)")
        #expect(report.largestNoise > 0 && report.largestNoise < 1e-4, "\(report)")
    }

    @Test("rejects a wrong gradient under the same noise: r without its mean, and r − mean off by 1e-3")
    func rejectsUnderRoundingNoise() {
        let mean = Self.r.sum() / Double(Self.r.count)
        let forgotTheMean = checker.check("x", at: Self.offset, analytic: Self.r, Self.centred)
        #expect(!forgotTheMean.passed, "\(forgotTheMean)")
        let slightlyOff = checker.check("x", at: Self.offset, analytic: Self.r.map { $0 - mean + 1e-3 }, Self.centred)
        #expect(!slightlyOff.passed, "\(slightlyOff)")
    }

    @Test("accepts a gradient that is 0 in exact arithmetic, and rejects one of 1e-4 there (the noise here is ~1e-6)")
    func acceptsExactZero() {
        // A shift b added to every x_i cancels in x − mean x: ∂f/∂b = 0 exactly.
        let b = Matrix<Double>(rows: 1, columns: 1, repeating: 0.5)
        let shifted = { (b: Matrix<Double>) in Self.centred(Self.offset.map { $0 + b.elements[0] }) }
        let zero = checker.check("b", at: b, analytic: Matrix(rows: 1, columns: 1), shifted)
        #expect(zero.passed, "\(zero)")
        let small = checker.check("b", at: b, analytic: Matrix(rows: 1, columns: 1, repeating: 1e-4), shifted)
        #expect(!small.passed, "\(small)")
    }

    @Test("stops looking carefully at a tensor once it has failed ten elements: a wrong gradient costs little more")
    func boundsTheCarefulLook() {
        let x = random(10, 10, seed: 15)
        var evaluations = 0
        let report = checker.check("Σx²", at: x, analytic: x) {
            evaluations += 1
            return $0.squaredNorm()
        }
        #expect(report.failures == 100, "\(report)")
        #expect(evaluations == 2 * 100 + 1 + 10 * 10, "\(evaluations) evaluations")
    }
}
