import Foundation
import Learn

/// Runs one graded check in a child process under its time limit.
enum GradeRunner {
    /// This executable, to start again as `grade --run-check ID`.
    static var executable: URL {
        let proc = URL(fileURLWithPath: "/proc/self/exe")
        if FileManager.default.fileExists(atPath: proc.path) { return proc.resolvingSymlinksInPath() }
        return URL(fileURLWithPath: CommandLine.arguments[0])
    }

    /// The check's outcome; a crash, a time-out or an unreadable answer loses all its
    /// points with the reason.
    static func run(_ check: GradedCheck, options: GradingOptions) -> GradedOutcome {
        let start = Date()
        func elapsed() -> Double { Date().timeIntervalSince(start) }
        let process = Process()
        process.executableURL = executable
        var arguments = ["grade", "--run-check", check.id, "--fixtures", options.fixtures.path]
        if let hidden = options.hidden { arguments += ["--hidden", hidden.path] }
        process.arguments = arguments
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
            return GradedOutcome(check: check, lostBecause: "could not be started: \(error)", seconds: elapsed())
        }
        let deadline = start.addingTimeInterval(check.timeLimit)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            let grace = Date().addingTimeInterval(2)
            while process.isRunning && Date() < grace { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            return GradedOutcome(
                check: check,
                lostBecause: "stopped after its time limit of \(formatNumber(check.timeLimit, decimals: 0)) s",
                seconds: elapsed())
        }
        process.waitUntilExit()
        let output = (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? ""
        if let line = output.split(separator: "\n").last(where: { $0.hasPrefix(Grade.outcomeMarker) }),
            let outcome = try? JSONDecoder().decode(
                GradedOutcome.self, from: Data(line.dropFirst(Grade.outcomeMarker.count).utf8))
        {
            return outcome
        }
        let errors = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
        let how =
            process.terminationReason == .uncaughtSignal
            ? "crashed (signal \(process.terminationStatus))" : "exited with status \(process.terminationStatus)"
        return GradedOutcome(check: check, lostBecause: how + lastWords(errors), seconds: elapsed())
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
