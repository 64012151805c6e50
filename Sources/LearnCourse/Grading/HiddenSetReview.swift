import Foundation
import Learn

/// What an instructor needs to know about a set of hidden cases before grading with
/// it: a hidden case that the reference solution fails, or that the finite-difference
/// check misjudges, would cost correct students points, and one that repeats a visible
/// case tests nothing a stub could not copy.
///
/// For each case file under the directory it checks that
/// 1. the file loads (the whole schema, as `grade` loads it);
/// 2. some graded check takes it (its kind is graded);
/// 3. it does not repeat a visible case: the same kind with the same inputs and
///    parameters;
/// 4. the reference solution — the package this runs in — matches its outputs and
///    gradients within its tolerance;
/// 5. the reference passes its finite-difference check, and
/// 6. that check is well conditioned: no element passed only because rounding noise
///    above 1e-4 of the case's largest gradient was allowed (a warning, not a problem:
///    such a case still grades correct code correctly, but a small mistake could hide
///    in its noise).
public struct HiddenSetReview: Sendable, CustomStringConvertible {
    /// The directory reviewed.
    public var directory: URL
    /// How many case files were found.
    public var caseCount = 0
    /// What makes the set unfit to grade with, one sentence each, naming the case.
    public var problems: [String] = []
    /// What an instructor should look at, one sentence each.
    public var warnings: [String] = []

    /// True when there are cases and nothing is wrong with any of them.
    public var passed: Bool { caseCount > 0 && problems.isEmpty }

    /// Reviews the cases under `directory` against the visible cases under `visible`, for
    /// grading `assignment` (every case must be of a kind its checks take; nil: any
    /// assignment's). The reference solution must be fully written (check
    /// ``Piece/unwrittenMessage(_:inPackage:)`` first): it is what the cases are run on.
    public init(directory: URL, visible: URL, assignment: Assignment? = nil) {
        self.directory = directory
        self.assignment = assignment
        let options = GradingOptions(fixtures: visible, hidden: directory)
        let (loaded, loadProblems) = GradedCases.load(options)
        problems += loadProblems
        let hidden = loaded.filter(\.hidden).map(\.fixture)
        let shown = loaded.filter { !$0.hidden }.map(\.fixture)
        caseCount = hidden.count + loadProblems.filter { $0.hasPrefix("hidden") }.count
        if hidden.isEmpty && loadProblems.isEmpty {
            problems.append("no case file (*.json) under \(directory.path)")
        }
        for fixture in hidden {
            review(fixture, visible: shown)
        }
    }

    /// The assignment the set is for; nil for any.
    let assignment: Assignment?

    mutating func review(_ fixture: FixtureCase, visible: [FixtureCase]) {
        let label = "hidden case \(fixture.label)"
        let checks = assignment.map(GradingCatalogue.checks(for:)) ?? GradingCatalogue.all
        if !checks.contains(where: { $0.selects?(fixture) == true }) {
            let of = assignment.map { " of \($0)" } ?? ""
            problems.append("\(label): no graded check\(of) takes the kind \(fixture.kind.rawValue)")
        }
        if let twin = visible.first(where: { Self.repeats(fixture, $0) }) {
            problems.append(
                "\(label) repeats the visible case \(twin.label) (same kind, inputs and parameters): "
                    + "a stub that copies the visible values would pass it")
        }
        let result = FixtureRunner.run(fixture)
        if !result.passed {
            problems.append("\(label): the reference solution does not match it:\n\(result.description)")
        }
        let reports: [GradientCheckReport]
        do {
            reports = try FixtureRunner.gradientCheck(fixture)
        } catch {
            problems.append("\(label): its finite-difference check cannot be run: \(error)")
            return
        }
        for report in reports where !report.passed {
            problems.append("\(label): the reference fails its finite-difference check: \(report)")
        }
        let scale = reports.map(\.largestMagnitude).max() ?? 0
        for report in reports where report.passed && report.largestNoise > 1e-4 * scale {
            warnings.append(
                "\(label): \(report.name) passes its finite-difference check only within rounding noise of "
                    + "\(NumberFormat.scientific(report.largestNoise)), more than 1e-4 of the case's largest gradient "
                    + "(\(NumberFormat.scientific(scale))): a mistake that small would go unseen there")
        }
    }

    /// Whether `a` computes the same thing from the same values as `b`.
    static func repeats(_ a: FixtureCase, _ b: FixtureCase) -> Bool {
        a.kind == b.kind && a.inputs == b.inputs && a.parameters == b.parameters && a.buffers == b.buffers
    }

    /// One line per problem and warning, then the verdict.
    public var description: String {
        let lines = problems.map { "problem: \($0)" } + warnings.map { "warning: \($0)" }
        let verdict =
            passed
            ? "\(caseCount) hidden cases under \(directory.path): the reference passes every one, none repeats a "
                + "visible case" + (warnings.isEmpty ? "." : "; \(warnings.count) warnings above.")
            : "\(directory.path): \(problems.count) problems in \(caseCount) hidden cases; do not grade with it yet."
        return (lines + [verdict]).joined(separator: "\n")
    }
}
