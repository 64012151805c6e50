import Foundation
import Learn

/// The graded checks that run reference cases: visible ones from `Fixtures/cases` and
/// an instructor's hidden ones, told apart in every reason so a student knows which
/// failed without seeing it.
enum GradedCases {
    /// A loaded case and where it came from.
    struct Loaded {
        var fixture: FixtureCase
        var hidden: Bool
        var label: String { (hidden ? "hidden case " : "case ") + fixture.label }
    }

    /// Every loadable case of both directories, and a sentence for each file that is not.
    static func load(_ options: GradingOptions) -> (cases: [Loaded], problems: [String]) {
        var cases: [Loaded] = []
        var problems: [String] = []
        for (directory, hidden) in [(options.fixtures, false), (options.hidden, true)] {
            guard let directory else { continue }
            guard let files = try? FixtureCase.caseFiles(under: directory) else {
                problems.append("the \(hidden ? "hidden " : "")cases directory \(directory.path) cannot be read")
                continue
            }
            for file in files {
                do {
                    cases.append(Loaded(fixture: try FixtureCase.load(from: file), hidden: hidden))
                } catch {
                    problems.append("\(hidden ? "hidden case" : "case") file \(error)")
                }
            }
        }
        return (cases, problems)
    }

    /// The selected cases; throws when there are none (no points for checking nothing).
    static func selected(
        _ options: GradingOptions, where select: (FixtureCase) -> Bool
    ) throws -> [Loaded] {
        let cases = load(options).cases.filter { select($0.fixture) }
        guard cases.contains(where: { !$0.hidden }) else {
            throw GradingError(problem: "no reference case for this check under \(options.fixtures.path)")
        }
        return cases
    }

    /// All points lost unless every selected case's outputs and gradients match; one
    /// reason per failing case, naming the tensor, the worst element and both values.
    static func matchReferences(
        _ options: GradingOptions, points: Int, where select: (FixtureCase) -> Bool
    ) throws -> [Deduction] {
        let failures = try selected(options, where: select).compactMap { loaded -> String? in
            let result = FixtureRunner.run(loaded.fixture)
            // "FAIL group/name (kind): …", then one line per failing tensor.
            return result.passed ? nil : (loaded.hidden ? "hidden case: " : "") + result.description
        }
        return deductions(points, failures)
    }

    /// All points lost unless, in every selected case, each gradient the library
    /// computes agrees with central differences of the objective.
    static func finiteDifferences(
        _ options: GradingOptions, points: Int, where select: (FixtureCase) -> Bool
    ) throws -> [Deduction] {
        var failures: [String] = []
        var checked = 0
        for loaded in try selected(options, where: select) {
            do {
                let reports = try FixtureRunner.gradientCheck(loaded.fixture)
                checked += reports.count
                failures += reports.filter { !$0.passed }.map { "\(loaded.label): \($0)" }
            } catch {
                failures.append("\(loaded.label): could not be run: \(error)")
            }
        }
        if checked == 0 && failures.isEmpty { failures.append("no gradient was checked") }
        return deductions(points, failures)
    }

    /// One deduction of all `points`, naming every failure; none when nothing failed.
    static func deductions(_ points: Int, _ failures: [String]) -> [Deduction] {
        guard !failures.isEmpty else { return [] }
        return [Deduction(points: points, reason: failures.joined(separator: "\n"))]
    }
}

/// Why a check could not run at all.
public struct GradingError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var problem: String
    /// The problem.
    public var description: String { problem }
}
