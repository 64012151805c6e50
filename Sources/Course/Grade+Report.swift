import Foundation
import CommandLineOptions
import Learn
import LearnCourse

/// The points table of `Course grade`: per part and task the points earned, every
/// check's line, and under each check that lost points the reasons.
struct GradeReport {
    let checks: [GradedCheck]
    let outcomes: [GradedOutcome]
    /// Case files no check could grade (unreadable, or of a kind no check takes).
    let caseProblems: [String]

    /// Every check in full and every case graded.
    var allPassed: Bool { outcomes.allSatisfy(\.passed) && caseProblems.isEmpty }

    /// The report; `blaming` adds, where failures point at a shared piece, the sentence
    /// naming it (the pieces' Swift files: not for answers computed elsewhere).
    func text(hidden: URL?, blaming: Bool = true) -> String {
        var lines: [String] = []
        let pairs = Array(zip(checks, outcomes))
        let blame = blaming ? Blame.sentences(for: outcomes, in: checks) : [:]
        for part in [1, 2, 3] {
            let inPart = pairs.filter { $0.0.task.part == part }
            guard !inPart.isEmpty else { continue }
            let (earned, worth) = total(inPart)
            lines.append("\(AssignmentTask.partName(part)): \(earned)/\(worth) points")
            for task in AssignmentTask.allCases where task.part == part {
                let inTask = inPart.filter { $0.0.task == task }
                guard !inTask.isEmpty else { continue }
                let (e, w) = total(inTask)
                lines.append("  \(task.title): \(e)/\(w)")
                for (check, outcome) in inTask {
                    let score = "\(outcome.earned)/\(check.points)".padding(toLength: 6, withPad: " ", startingAt: 0)
                    lines.append("    \(outcome.passed ? "✓" : "✗") \(score) \(check.title)  [\(check.id)]")
                    if let sentence = blame[check.id] { lines.append("         ⚑ \(sentence)") }
                    if let left = outcome.stragglers {
                        lines.append(
                            "         ! its pieces left \(left) process\(left == 1 ? "" : "es") running; killed")
                    }
                    for deduction in outcome.deductions {
                        let reasons = deduction.reason.split(separator: "\n")
                        lines.append("         −\(deduction.points): \(reasons.first ?? "")")
                        lines += reasons.dropFirst().map { "             \($0)" }
                    }
                }
            }
            lines.append("")
        }
        if !caseProblems.isEmpty {
            lines.append("Case files that could not be graded (each fails the report):")
            lines += caseProblems.map { "  ✗ \($0)" }
            lines.append("")
        }
        let (earned, worth) = total(pairs)
        let lost = outcomes.filter { !$0.passed }.count
        var verdict = "Total: \(earned)/\(worth) points. "
        if allPassed {
            verdict += "Every check passed" + (hidden == nil ? "." : ", hidden cases included.")
        } else {
            verdict += "\(lost) of \(outcomes.count) checks lost points"
            verdict += caseProblems.isEmpty ? "" : "; \(caseProblems.count) case files could not be graded"
            verdict += " (reasons above)."
        }
        lines.append(verdict)
        return lines.joined(separator: "\n")
    }

    func total(_ pairs: [(GradedCheck, GradedOutcome)]) -> (earned: Int, worth: Int) {
        (pairs.reduce(0) { $0 + $1.1.earned }, pairs.reduce(0) { $0 + $1.0.points })
    }
}
