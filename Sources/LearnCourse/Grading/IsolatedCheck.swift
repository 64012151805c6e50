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
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        // Files, not pipes: a chatty child can never block on a full pipe.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "learn-grade-\(UUID().uuidString)")
        let (stdoutURL, stderrURL) = (directory.appendingPathComponent("out"), directory.appendingPathComponent("err"))
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for url in [stdoutURL, stderrURL] { try Data().write(to: url) }
            process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
            process.standardError = try FileHandle(forWritingTo: stderrURL)
            process.standardInput = FileHandle.nullDevice
            try process.run()
        } catch {
            return lost("could not be started: \(error)")
        }
        func wait(until deadline: Date) {
            while process.isRunning && Date() < deadline { usleep(20_000) }
        }
        wait(until: start.addingTimeInterval(check.timeLimit))
        if process.isRunning {
            // SIGTERM, then SIGKILL, then no more than a moment's wait: Foundation reports
            // the end only once every process holding the child's descriptors has gone,
            // which a grandchild could put off indefinitely.
            process.terminate()
            wait(until: Date().addingTimeInterval(2))
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            wait(until: Date().addingTimeInterval(2))
            let limit = String(format: "%g", check.timeLimit)
            return lost("stopped after its time limit of \(limit) s")
        }
        process.waitUntilExit()
        let output = (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? ""
        if let line = output.split(separator: "\n").last(where: { $0.hasPrefix(marker) }),
            let outcome = try? JSONDecoder().decode(GradedOutcome.self, from: Data(line.dropFirst(marker.count).utf8)),
            outcome.id == check.id
        {
            return outcome
        }
        let errors = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
        let how =
            process.terminationReason == .uncaughtSignal
            ? "crashed (signal \(process.terminationStatus))" : "exited with status \(process.terminationStatus)"
        return lost(how + lastWords(errors))
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
