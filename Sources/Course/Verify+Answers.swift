import CommandLineOptions
import Foundation
import Learn
import LearnCourse

/// `Course verify --answers FILE [DIR] [--hidden DIR]`: an outside implementation's
/// outputs and gradients — a PyTorch notebook's, through `Scripts/pytorch/learn_answers.py`
/// — compared with each case's expected values as `grade` compares the pieces', then
/// graded: every check on reference cases takes its evidence from the file and is
/// judged for the same points and reasons (``GradedCheck/evidence(from:options:)``).
///
///     {"cases": {"<path relative to DIR, without .json>":
///                  {"outputs":   {"<name>": {"shape": [rows, columns], "values": [...]}, …},
///                   "gradients": {…},
///                   "finiteDifferences": {"checked": N, "worstRelativeError": E}}}}
///
/// Hidden cases are keyed `hidden/<path relative to the hidden DIR>`. One malformed case
/// fails that case only; a file that is not JSON at all, or has no `cases`, is a thrown
/// error. See also: ``Verify``, ``FixtureTolerance``.
enum VerifyAnswers {
    /// One verdict per case under `directory` and then `hidden`, in path order.
    static func check(
        _ given: AnswersFile, against directory: URL, hidden: URL?, assignment: Assignment
    ) throws -> [CaseVerdict] {
        var used = Set<String>()
        var verdicts: [CaseVerdict] = []
        for (folder, isHidden) in [(directory, false)] + (hidden.map { [($0, true)] } ?? []) {
            for url in try FixtureCase.caseFiles(under: folder) {
                let key = AnswersFile.key(of: url, under: folder, hidden: isHidden)
                used.insert(key)
                do {
                    let fixture = try FixtureCase.load(from: url)
                    guard GradingCatalogue.takes(fixture, in: assignment) else { continue }
                    var verdict = CaseVerdict(given.result(for: fixture, key: key), directory: folder)
                    verdict.label = key
                    verdicts.append(verdict)
                } catch {
                    let reason = "\(error)".replacingOccurrences(of: folder.path + "/", with: "")
                    verdicts.append(CaseVerdict(label: key, kind: nil, tolerance: nil, problem: reason))
                }
            }
        }
        // Keys that match no case are most likely mistyped: say so, without failing.
        let unknown = given.cases.keys.filter { !used.contains($0) }.sorted()
        if !unknown.isEmpty {
            printError(
                "Course verify: note: \(unknown.count) answer(s) match no case file under \(directory.path) "
                    + "(keys are paths relative to it, without .json; hidden/… for --hidden): "
                    + unknown.prefix(5).joined(separator: ", ") + (unknown.count > 5 ? ", …" : ""))
        }
        return verdicts
    }

    /// The points the file earns: each check that can take its evidence from a file,
    /// judged as `grade` judges it; prints the report and the checks that need the
    /// pieces themselves (training runs, properties).
    static func grade(_ given: AnswersFile, assignment: Assignment, options: GradingOptions) {
        var graded: [(GradedCheck, GradedOutcome)] = []
        var needPieces: [GradedCheck] = []
        for check in GradingCatalogue.checks(for: assignment) {
            let start = Date()
            let deductions: [Deduction]
            do {
                guard let evidence = try check.evidence(from: given, options: options) else {
                    needPieces.append(check)
                    continue
                }
                deductions = try check.judge(evidence, question: check.question(options), options: options)
            } catch {
                deductions = [Deduction(points: check.points, reason: "could not be judged: \(error)")]
            }
            graded.append(
                (check, GradedOutcome(check: check, deductions: deductions, seconds: Date().timeIntervalSince(start))))
        }
        let report = GradeReport(
            checks: graded.map(\.0), outcomes: graded.map(\.1), caseProblems: GradingCatalogue.caseProblems(options))
        print()
        print("Points from the answers (the grading catalogue's checks on reference cases):")
        print()
        print(report.text(hidden: options.hidden, blaming: false))
        for (part, worth) in assignment.points {
            let left = needPieces.filter { $0.task.part == part }
            guard !left.isEmpty else { continue }
            let points = left.reduce(0) { $0 + $1.points }
            print(
                "\(AssignmentTask.partName(part)): \(worth - points) of its "
                    + "\(worth) points can be earned from answers; the other \(points) "
                    + "run the pieces themselves: " + left.map { "\($0.id) (\($0.points))" }.joined(separator: ", "))
        }
    }
}
