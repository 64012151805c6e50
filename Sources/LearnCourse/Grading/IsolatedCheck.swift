import Foundation
import Learn

/// Runs a graded check in a child process under its time limit, so that a check which
/// crashes (a stub's `unimplemented`, a trap in the student's code) or hangs costs its
/// own points and nothing else.
///
/// The child is any command that runs the check and prints its ``GradedOutcome`` as
/// JSON on a line starting with ``marker`` (`Course grade --run-check ID` does).
/// Whatever else it prints is ignored; if no such line comes, the check loses all its
/// points with the reason: the signal and the `Fatal error` line of a crash, the exit
/// status, or the time limit.
public enum IsolatedCheck {
    /// The prefix of the line that carries the child's answer.
    public static let marker = "GRADED-OUTCOME "

    /// The line the child prints for `outcome`.
    public static func answer(_ outcome: GradedOutcome) -> String {
        marker + String(decoding: (try? JSONEncoder().encode(outcome)) ?? Data(), as: UTF8.self)
    }

    /// Runs `executable arguments…` for `check` and returns its outcome; `environment`
    /// adds to (or overrides) the variables the child inherits.
    public static func run(
        _ check: GradedCheck, executable: URL, arguments: [String], environment: [String: String] = [:]
    ) -> GradedOutcome {
        let start = Date()
        func lost(_ reason: String) -> GradedOutcome {
            GradedOutcome(check: check, lostBecause: reason, seconds: Date().timeIntervalSince(start))
        }
        let child = ChildProcess.run(executable, arguments, environment: environment, timeLimit: check.timeLimit)
        switch child.ending {
        case .notStarted(let why): return lost("could not be started: \(why)")
        case .timedOut: return lost("stopped after its time limit of \(String(format: "%g", check.timeLimit)) s")
        case .exited, .signalled: break
        }
        if let line = child.output.split(separator: "\n").last(where: { $0.hasPrefix(marker) }),
            let outcome = try? JSONDecoder().decode(GradedOutcome.self, from: Data(line.dropFirst(marker.count).utf8)),
            outcome.id == check.id
        {
            return outcome
        }
        let how: String
        switch child.ending {
        case .signalled(let signal): how = "crashed (signal \(signal))"
        case .exited(let status): how = "exited with status \(status)"
        default: how = "ended"
        }
        return lost(how + lastWords(child.errors))
    }

    /// The message a crash left (a `fatalError`, a failed precondition), if any.
    static func lastWords(_ errors: String) -> String {
        let lines = errors.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        if let fatal = lines.first(where: { $0.contains("Fatal error") || $0.contains("Precondition failed") }) {
            return ": " + fatal
        }
        return lines.last.map { ": " + $0 } ?? ""
    }
}
