import Foundation
import Learn

/// The `results.json` Gradescope reads after `run_autograder` (its documented format):
/// the score, the time taken, a text for the whole submission, and one test per graded
/// check with its points and reasons.
///
///     {"score": 61, "execution_time": 94, "output": "…", "output_format": "md",
///      "stdout_visibility": "hidden",
///      "tests": [{"name": "(5) cell state c: outputs and gradients match PyTorch's [cell-state.fixtures]",
///                 "number": "1.9", "score": 2, "max_score": 2, "status": "passed", "output": "",
///                 "output_format": "md", "tags": ["part1", "part1-task1"], "visibility": "visible"}, …]}
///
/// The scores of the tests add up to `score`; a submission that could not be graded
/// still gets a file, with score 0, every test at 0 and the reason as `output`.
public struct GradescopeResults: Codable, Sendable, Equatable {
    /// Who sees a test (or the run's output) and when — Gradescope's four settings.
    public enum Visibility: String, Codable, Sendable, CaseIterable {
        /// Shown to the student at once.
        case visible
        /// Never shown to the student.
        case hidden
        /// Shown once the assignment's due date has passed.
        case afterDueDate = "after_due_date"
        /// Shown once the instructor publishes the grades.
        case afterPublished = "after_published"
    }

    /// One graded check.
    public struct Test: Codable, Sendable, Equatable {
        /// The check's title and id, e.g. `"(5) cell state c: … [cell-state.fixtures]"`.
        public var name: String
        /// `part.index`, e.g. `"1.3"`: the check's place in the catalogue, for ordering.
        public var number: String
        /// The points earned.
        public var score: Double
        /// The check's points: what full marks are.
        public var maxScore: Double
        /// `"passed"` with full points, `"failed"` otherwise.
        public var status: String
        /// The reasons for every point lost, in Markdown.
        public var output: String
        /// `"md"`: Gradescope renders ``output`` as Markdown.
        public var outputFormat: String = "md"
        /// The part and the task: `["part1", "part1-task1"]`.
        public var tags: [String]
        /// Who sees the test: the checks of hidden cases get the caller's `hiddenVisibility`,
        /// the others ``Visibility/visible``.
        public var visibility: Visibility

        enum CodingKeys: String, CodingKey {
            case name, number, score, status, output, tags, visibility
            case maxScore = "max_score"
            case outputFormat = "output_format"
        }
    }

    /// The submission's points: the sum of the tests' scores.
    public var score: Double
    /// Seconds, whole.
    public var executionTime: Int
    /// The text for the whole submission, in Markdown: the parts' points, what was
    /// taken from the submission, compiler errors, the next piece to write.
    public var output: String
    /// `"md"`: Gradescope renders ``output`` as Markdown.
    public var outputFormat: String = "md"
    /// Who sees `run_autograder`'s own output (the instructor always does).
    public var stdoutVisibility: Visibility
    /// One per graded check, in the catalogue's order.
    public var tests: [Test]

    enum CodingKeys: String, CodingKey {
        case score, output, tests
        case executionTime = "execution_time"
        case outputFormat = "output_format"
        case stdoutVisibility = "stdout_visibility"
    }

    /// The results of `outcomes` (one per check of `checks`, in order; empty when the
    /// submission could not be graded, and then every test scores 0 with `output` as
    /// the reason). Checks in `hiddenChecks` — those that grade hidden cases — get
    /// `hiddenVisibility`, the others are visible.
    public init(
        checks: [GradedCheck], outcomes: [GradedOutcome], hiddenChecks: Set<String>, hiddenVisibility: Visibility,
        stdoutVisibility: Visibility, output: String, seconds: Double
    ) {
        ensure(
            outcomes.isEmpty || outcomes.map(\.id) == checks.map(\.id),
            "Gradescope results: the outcomes (\(outcomes.map(\.id))) are not those of the checks")
        var numbers: [Int: Int] = [:]
        tests = checks.enumerated().map { k, check in
            numbers[check.task.part, default: 0] += 1
            let outcome = outcomes.isEmpty ? nil : outcomes[k]
            let earned = outcome?.earned ?? 0
            return Test(
                name: "\(check.title) [\(check.id)]", number: "\(check.task.part).\(numbers[check.task.part]!)",
                score: Double(earned), maxScore: Double(check.points),
                status: outcome?.passed == true ? "passed" : "failed",
                output: outcome.map(Self.markdown) ?? "Not graded: see the submission's output above.",
                tags: ["part\(check.task.part)", check.task.rawValue],
                visibility: hiddenChecks.contains(check.id) ? hiddenVisibility : .visible)
        }
        score = tests.reduce(0) { $0 + $1.score }
        executionTime = Int(seconds.rounded())
        self.output = output
        self.stdoutVisibility = stdoutVisibility
    }

    /// The deductions of `outcome` as Markdown: a paragraph per deduction, its first line
    /// as text and the rest (cases, tensors, values, aligned) as a code block.
    static func markdown(_ outcome: GradedOutcome) -> String {
        guard !outcome.passed else {
            return "Passed: \(outcome.points) of \(outcome.points) point\(outcome.points == 1 ? "" : "s")."
        }
        return outcome.deductions.map { deduction in
            let lines = deduction.reason.split(separator: "\n", omittingEmptySubsequences: false)
            var text = "**−\(deduction.points)**: \(lines.first ?? "")"
            let rest = lines.dropFirst().joined(separator: "\n")
            if !rest.isEmpty { text += "\n\n```\n" + rest + "\n```" }
            return text
        }.joined(separator: "\n\n")
    }

    /// The file's bytes: sorted keys, so that two runs on the same submission compare.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
