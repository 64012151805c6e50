import Foundation

/// Runs a command to its end or its time limit, its output captured in files (not
/// pipes: a chatty child can never block on a full pipe), stdin empty.
public struct ChildProcess: Sendable {
    /// How it ended.
    public enum Ending: Sendable, Equatable {
        /// It exited with this status.
        case exited(Int32)
        /// A signal ended it (a crash: 4 is a trap, 11 a bad access).
        case signalled(Int32)
        /// It was still running at its time limit and was stopped.
        case timedOut
        /// It could not be started at all, for this reason.
        case notStarted(String)
    }

    /// How it ended.
    public var ending: Ending
    /// What it printed.
    public var output: String, errors: String

    /// Runs `executable arguments…` in `directory` (default: this one), with
    /// `environment` added to what the child inherits, stopping it after `timeLimit`
    /// seconds: SIGTERM, then SIGKILL, then no more than a moment's wait (Foundation
    /// reports the end only once every process holding the child's descriptors has
    /// gone, which a grandchild could put off indefinitely).
    public static func run(
        _ executable: URL, _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
        timeLimit: Double
    ) -> ChildProcess {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("learn-child-\(UUID().uuidString)")
        let (stdoutURL, stderrURL) = (scratch.appendingPathComponent("out"), scratch.appendingPathComponent("err"))
        defer { try? FileManager.default.removeItem(at: scratch) }
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            for url in [stdoutURL, stderrURL] { try Data().write(to: url) }
            process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
            process.standardError = try FileHandle(forWritingTo: stderrURL)
            process.standardInput = FileHandle.nullDevice
            try process.run()
        } catch {
            return ChildProcess(ending: .notStarted("\(error)"), output: "", errors: "")
        }
        func wait(until deadline: Date) {
            while process.isRunning && Date() < deadline { usleep(20_000) }
        }
        wait(until: Date().addingTimeInterval(timeLimit))
        var ending: Ending
        if process.isRunning {
            process.terminate()
            wait(until: Date().addingTimeInterval(2))
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            wait(until: Date().addingTimeInterval(2))
            ending = .timedOut
        } else {
            process.waitUntilExit()
            ending =
                process.terminationReason == .uncaughtSignal
                ? .signalled(process.terminationStatus) : .exited(process.terminationStatus)
        }
        let read = { (url: URL) in (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
        return ChildProcess(ending: ending, output: read(stdoutURL), errors: read(stderrURL))
    }
}
