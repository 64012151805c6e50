import Foundation
import CommandLineOptions
import Learn
import LearnCourse

/// `Course verify [--answers FILE] [DIR]`: checks an implementation against the
/// reference cases of `Fixtures/cases` (PyTorch's values, in float64) and prints one
/// line per case, then `N passed, M failed`.
///
/// Without `--answers` the implementation is Learn itself, run through
/// ``FixtureRunner``. With it, the implementation is anyone's: the outputs and
/// gradients are read from a JSON answers file (see ``VerifyAnswers``) and compared with
/// the same tolerance rule, ``FixtureTolerance``.
///
/// A broken case file or answer fails its own line and never stops the others.
/// Exit codes: 0 every case passed, 1 any failed, 2 the command line was wrong.
/// See also: `Fixtures/README.md`, *Checking your own answers*.
enum Verify {
    static let name = "verify"
    static let summary = "checks Learn, or your own answers (--answers FILE), against Fixtures/cases"

    static let answers = Option<String>.text(
        "--answers", "FILE", summary: "compare the outputs and gradients in FILE (JSON, below) instead of Learn's")
    static let hidden = Option<String>.text(
        "--hidden", "DIR", summary: "with --answers: also the hidden cases under DIR (keys hidden/…)")

    static var helpText: String {
        """
        usage: Course verify [DIR] [--assignment 2|3]
               Course verify --answers FILE [DIR] [--hidden DIR] [--assignment 2|3]

        Checks every case file (*.json) under DIR — default: the package's Fixtures/cases,
        reference values computed by PyTorch in float64 — and prints one line per case:
        PASS or FAIL, its name and kind, and the worst relative error against the case's
        tolerance; for a failure also the tensor, the worst element's (row, column) and
        both values. A file that cannot be read or checked fails with the reason; the
        other files are still checked. The last line is "N passed, M failed".

        An element passes when |actual − expected| / max(|expected|, floor) ≤ relative,
        with the case's own tolerance {relative, floor}.

        With --assignment only the cases of the kinds that assignment's checks take are
        checked. Without it, Learn is checked on every case, in a starter kit on the
        cases of the kit's assignment; an answers file against the package's own
        assignment (3 outside a starter kit).

        options:
        \(Option<Bool>.help.help.line)
        \(AssignmentOption.option.help.line)
        \(answers.help.line)
        \(hidden.help.line)

        Without --answers the implementation checked is Learn. With it, the outputs and
        gradients your own implementation (a PyTorch notebook, say) computed for each case
        are read from FILE, one JSON object:

          {"cases": {
             "layers/linear-worked-example": {
               "outputs":   {"y": {"shape": [1, 2], "values": [-1.25, 1.5]}},
               "gradients": {"x": {"shape": [1, 2], "values": [4.5, -1.0]},
                             "w": {"shape": [2, 2], "values": [1.0, 2.0, 2.0, 4.0]},
                             "b": {"shape": [1, 2], "values": [1.0, 2.0]}}}}}

        - a case's key is its file's path relative to DIR, without ".json";
        - tensors are named, shaped [rows, columns] and ordered (row-major) exactly as the
          case's own "outputs" and "gradients" (a loss is [1, 1]); every one of them must
          be given, other names are ignored; a case without an answer fails;
        - write NaN and infinities as the strings "NaN", "Infinity", "-Infinity" (bare NaN
          is not JSON: in Python use json.dump(..., allow_nan=False) to catch them);
        - "finiteDifferences": {"checked": N, "worstRelativeError": E} reports how the
          gradients agreed with finite differences of your forward pass (the gradient
          checks' points need E ≤ 1e-6); "error": "…" says the case could not be computed.

        Then the answers are graded: every check of the grading catalogue that works on
        reference cases is judged from the file as Course grade judges the pieces, for
        the same points (the training runs and the properties need the Swift pieces).
        Scripts/pytorch/learn_answers.py writes such a file from a PyTorch implementation
        (Scripts/pytorch/README.md). With --hidden DIR the instructor's hidden cases are
        checked and graded too; their keys are hidden/<path relative to that DIR>.

        exit status: 0 every case passed, 1 any failed, 2 the command line was wrong.
        """
    }

    /// Runs the command on the words after `verify`; returns the exit status.
    static func main(_ words: [String]) -> Int32 {
        // --help wins over everything else, as for the chapters.
        if words.contains("--help") || words.contains("-h") {
            print(helpText)
            return 0
        }
        do {
            let (directory, answersFile, hiddenCases, chosen) = try readArguments(words)
            guard let answersFile else {
                // In a starter kit the cases are those of the kit's assignment: the
                // other assignment's pieces are the reference's, not the student's.
                let kit = StarterKit.manifest(inPackage: PackageDirectory.root)?.assignment
                let verdicts = try learnVerdicts(under: directory, assignment: chosen ?? kit)
                printVerdicts(verdicts)
                return verdicts.allSatisfy(\.passed) ? 0 : 1
            }
            let assignment = chosen ?? Assignment.of(package: PackageDirectory.root)
            let given = try AnswersFile(contentsOf: answersFile)
            let verdicts = try VerifyAnswers.check(
                given, against: directory, hidden: hiddenCases, assignment: assignment)
            printVerdicts(verdicts)
            VerifyAnswers.grade(
                given, assignment: assignment, options: GradingOptions(fixtures: directory, hidden: hiddenCases))
            return verdicts.allSatisfy(\.passed) ? 0 : 1
        } catch let error as UsageError {
            printError("Course verify: \(error) (see Course verify --help)")
            return 2
        } catch {
            printError("Course verify: \(error)")
            return 1
        }
    }

    /// Learn on every case under `directory` (of `assignment`'s kinds, when given); a
    /// case whose pieces are not written yet (in a starter kit) says so instead of
    /// running into their stubs.
    static func learnVerdicts(under directory: URL, assignment: Assignment? = nil) throws -> [CaseVerdict] {
        let files = try FixtureCase.caseFiles(under: directory).filter { url in
            guard let assignment, let fixture = try? FixtureCase.load(from: url) else { return true }
            return GradingCatalogue.takes(fixture, in: assignment)
        }
        return files.map { url in
            guard let fixture = try? FixtureCase.load(from: url),
                let unwritten = Piece.unwrittenMessage(GradingCatalogue.pieces(for: fixture))
            else {
                return CaseVerdict(FixtureRunner.run(file: url), directory: directory)
            }
            return CaseVerdict(
                label: fixture.label, kind: fixture.kind.rawValue, tolerance: fixture.tolerance, problem: unwritten)
        }
    }

    /// The directory (checked to exist and to hold case files) and the answers file, if any.
    static func readArguments(
        _ words: [String]
    ) throws(UsageError) -> (directory: URL, answers: URL?, hidden: URL?, assignment: Assignment?) {
        let accepted = [Option<Bool>.help.help, answers.help, hidden.help, AssignmentOption.option.help]
        let (options, positional) = splittingPositional(words, valued: accepted)
        let arguments = try Arguments(options, accepting: accepted)
        guard positional.count <= 1 else {
            throw UsageError(
                message: "expected at most one directory, got \(positional.count): "
                    + positional.map { "'\($0)'" }.joined(separator: ", "))
        }
        let directory = try caseDirectory(
            positional.first.map { URL(fileURLWithPath: $0) } ?? FixtureCase.defaultDirectory)
        let answersFile = try arguments.value(answers).map { URL(fileURLWithPath: $0) }
        if let answersFile, !FileManager.default.isReadableFile(atPath: answersFile.path) {
            throw UsageError(message: "no readable answers file '\(answersFile.path)'")
        }
        let hiddenCases = try arguments.value(hidden).map { path throws(UsageError) in
            try caseDirectory(URL(fileURLWithPath: path))
        }
        if hiddenCases != nil && answersFile == nil {
            throw UsageError(message: "--hidden goes with --answers (Course grade --hidden grades Learn with them)")
        }
        return (directory, answersFile, hiddenCases, try arguments.value(AssignmentOption.option))
    }

    /// `directory`, checked to be a directory holding case files (`verify DIR`,
    /// `grade --hidden DIR`): a mistyped path is a usage error, not an empty success.
    static func caseDirectory(_ directory: URL) throws(UsageError) -> URL {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory),
            isDirectory.boolValue
        else {
            throw UsageError(message: "'\(directory.path)' is not a directory")
        }
        guard let files = try? FixtureCase.caseFiles(under: directory), !files.isEmpty else {
            throw UsageError(message: "'\(directory.path)' holds no case files (*.json)")
        }
        return directory
    }

    /// One line per case, the names aligned, then the summary on a line of its own.
    static func printVerdicts(_ verdicts: [CaseVerdict]) {
        let width = verdicts.map(\.title.count).max() ?? 0
        for verdict in verdicts { print(verdict.line(width: width)) }
        let passed = verdicts.filter(\.passed).count
        print("\(passed) passed, \(verdicts.count - passed) failed")
    }
}

/// The verdict on one case, whoever computed the values: Learn (from a
/// ``FixtureResult``) or an answers file (``VerifyAnswers``).
struct CaseVerdict {
    /// `"group/name"`.
    var label: String
    /// The case's kind; nil when the file could not be loaded.
    var kind: String?
    var tolerance: FixtureTolerance?
    /// One per expected output and gradient.
    var tensors: [TensorVerdict] = []
    /// Why the case could not be checked at all.
    var problem: String?

    var passed: Bool { problem == nil && !tensors.isEmpty && tensors.allSatisfy(\.passed) }

    /// `"layers/linear (linear)"`.
    var title: String { kind.map { "\(label) (\($0))" } ?? label }

    /// Learn's result on a case, file paths under `directory` shortened in messages.
    init(_ result: FixtureResult, directory: URL) {
        label = result.label
        kind = result.kind?.rawValue
        tolerance = result.problem == nil ? result.tolerance : nil
        tensors = result.comparisons.map(TensorVerdict.init)
        problem = result.problem.map { $0.replacingOccurrences(of: directory.path + "/", with: "") }
    }

    init(label: String, kind: String?, tolerance: FixtureTolerance?, tensors: [TensorVerdict] = [], problem: String?) {
        (self.label, self.kind, self.tolerance, self.tensors, self.problem) = (label, kind, tolerance, tensors, problem)
    }

    /// `PASS  layers/linear (linear)  worst relative error 1.1e-16 ≤ 1e-10 (floor 1e-04), 5 tensors`,
    /// or a FAIL line naming the worst tensor, element and both values, or the problem.
    func line(width: Int) -> String {
        let head = (passed ? "PASS  " : "FAIL  ") + title.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
        // Keep it one line whatever the reason's text holds.
        if let problem { return head + "could not be checked: " + problem.replacingOccurrences(of: "\n", with: " ") }
        guard let tolerance, let worst = worstTensor else { return head + "nothing to compare" }
        let bound = "\(NumberFormat.scientific(tolerance.relative)) (floor \(NumberFormat.scientific(tolerance.floor)))"
        if passed {
            return head
                + "worst relative error \(NumberFormat.scientific(worst.relativeError)) ≤ \(bound), \(tensors.count) tensors"
        }
        let failing = tensors.filter { !$0.passed }.count
        var detail = "\(worst.tensor) [\(worst.shape)]"
        if let problem = worst.problem {
            detail += ": \(problem)"
        } else {
            detail +=
                " worst at (\(worst.row), \(worst.column)): \(worst.source) \(worst.actual), "
                + "expected \(worst.expected), relative error \(NumberFormat.scientific(worst.relativeError)) > \(bound)"
        }
        return head + detail + "; \(failing) of \(tensors.count) tensors fail"
    }

    /// The tensor to show: one that could not be compared, else the largest error (NaN first).
    var worstTensor: TensorVerdict? {
        if let missing = tensors.first(where: { $0.problem != nil }) { return missing }
        return tensors.max { a, b in
            !a.relativeError.isNaN && (b.relativeError.isNaN || a.relativeError < b.relativeError)
        }
    }
}

/// One expected tensor against the computed one: the worst element and how many fail.
struct TensorVerdict {
    /// `"gradients.wfx"`.
    var tensor: String
    /// `"4×3"`, the expected shape.
    var shape: String
    /// Who computed `actual`: "Learn" or "the answer" (``FixtureComparison/source``).
    var source: String
    var count = 0, failureCount = 0
    var row = 0, column = 0
    var expected = 0.0, actual = 0.0, relativeError = 0.0
    /// Set when no comparison was possible (no value, another shape).
    var problem: String?

    var passed: Bool { problem == nil && count > 0 && failureCount == 0 }

    /// A comparison, as the library made it: of Learn's values or of an answer's.
    init(_ c: FixtureComparison) {
        (tensor, shape, source) = (c.tensor, c.shape, c.source)
        (count, failureCount, row, column) = (c.count, c.failureCount, c.worstRow, c.worstColumn)
        (expected, actual, relativeError, problem) = (c.expected, c.actual, c.relativeError, c.problem)
    }
}
