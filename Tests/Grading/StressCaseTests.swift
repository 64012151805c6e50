import Foundation
import Learn
import LearnCourse
import LearnTesting
import Testing

/// No false negatives: on valid cases made to be hard — kinks at 0, logits of ±1e4,
/// T = 1 and 40, sizes of 1, K = 2, a layer wider than the matrix kernel's blocks,
/// BatchNorm with a constant column, an input offset of 1e4 or a running variance of
/// 1e-12, optimisers over 50 steps of zero gradients — the reference solution earns
/// every point. The set in `Tests/Grading/StressCases` was made with
/// `python3 Fixtures/generate.py --hidden --seed 2026 --groups adversarial --out …`.
@Suite("The reference on the stress cases")
struct StressCaseTests {
    static let directory = PackageDirectory.root.appendingPathComponent("Tests/Grading/StressCases")
    static let caseChecks = GradingCatalogue.checks(for: .three).filter { $0.selects != nil }

    static func cases() throws -> [FixtureCase] {
        try FixtureCase.caseFiles(under: directory).map(FixtureCase.load(from:))
    }

    @Test("every stress case loads and is taken by a check; together they reach every case check")
    func casesAreGraded() throws {
        let cases = try Self.cases()
        #expect(cases.count == 23)
        #expect(GradingCatalogue.caseProblems(GradingOptions(hidden: Self.directory)).isEmpty)
        let reached = Set(
            cases.flatMap { fixture in Self.caseChecks.filter { $0.selects?(fixture) == true }.map(\.id) })
        let missed = Self.caseChecks.map(\.id).filter { !reached.contains($0) }
        // The gates f and o, the cell and hidden states and the prediction get hard cases
        // through the whole LSTM; every other case check has one of its own.
        #expect(
            Set(missed)
                == [
                    "gate-f.fixtures", "gate-f.gradients", "gate-o.fixtures", "gate-o.gradients",
                    "cell-state.fixtures", "cell-state.gradients", "hidden-state.fixtures",
                    "hidden-state.gradients", "prediction.fixtures", "prediction.gradients",
                    "rnn-hidden-state.fixtures", "rnn-hidden-state.gradients", "squashing.fixtures",
                    "squashing.gradients", "discriminator.fixtures", "discriminator.gradients",
                ], "\(missed)")
    }

    @Test("the reference earns the check's full points with the stress cases as hidden cases", arguments: caseChecks)
    func referenceEarnsFullPoints(_ check: GradedCheck) async {
        guard await written(check.pieces) else { return }
        let outcome = check.run(GradingOptions(hidden: Self.directory))
        for deduction in outcome.deductions {
            Issue.record("\(check.id): −\(deduction.points) of \(outcome.points): \(deduction.reason)")
        }
    }

    @Test(
        "the cases are hard: under the plain two-point rule the reference fails the finite-difference check of four",
        .requires(Piece.allCases))
    func casesAreHard() throws {
        var plain = GradientChecker()
        plain.refinementBudget = 0
        var failing: [String] = []
        for fixture in try Self.cases()
        where try !FixtureRunner.gradientCheck(fixture, checker: plain).allSatisfy(\.passed) {
            failing.append(fixture.name)
        }
        #expect(
            failing.sorted()
                == [
                    "batch-norm-offset-1e4", "leaky-relu-kinks", "linear-wide", "relu-kinks",
                ], "\(failing)")
    }

    @Test("check-hidden's review finds the set fit to grade with", .requires(Piece.allCases))
    func reviewPasses() {
        let review = HiddenSetReview(directory: Self.directory, visible: FixtureCase.defaultDirectory)
        #expect(review.passed && review.caseCount == 23, "\(review)")
    }

    @Test(
        "check-hidden's review refuses a case that repeats a visible one and a case the reference fails",
        .requires(.cellState))
    func reviewRefuses() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("review-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let visible = FixtureCase.defaultDirectory.appendingPathComponent("equations/cell-state.json")
        let text = try String(contentsOf: visible, encoding: .utf8)
        try text.write(to: directory.appendingPathComponent("copy.json"), atomically: true, encoding: .utf8)
        // The same case with one expected output changed: the reference cannot match it.
        let start = try #require(text.range(of: "\"c\": {\"shape\": [4, 3], \"values\": ["))
        let end = try #require(text[start.upperBound...].firstIndex(of: ","))
        let spoiled = text.replacingCharacters(in: start.upperBound..<end, with: "9.5")
        try spoiled.write(to: directory.appendingPathComponent("spoiled.json"), atomically: true, encoding: .utf8)
        let review = HiddenSetReview(directory: directory, visible: FixtureCase.defaultDirectory)
        #expect(!review.passed)
        #expect(review.problems.contains { $0.contains("repeats the visible case equations/cell-state") }, "\(review)")
        #expect(review.problems.contains { $0.contains("does not match") }, "\(review)")
    }
}
