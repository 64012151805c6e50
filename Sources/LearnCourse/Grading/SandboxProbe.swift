import Foundation

/// The sandbox's self-test: before any student's code runs, the grader's own build is
/// started in a box made exactly as the students' will be, tries what a dishonest
/// submission would, and reports; the grader refuses to grade when anything got through.
///
/// The probe tries to read each secret it is named (the hidden cases, the instructor's
/// sources, the submission's folder), to see the grader's process and command line,
/// to reach the network, to write outside its `/tmp`, and to become root; it reports
/// who it is and what it was allowed. ``problems(_:secrets:box:)`` judges the report.
public enum SandboxProbe {
    /// What the probe found.
    public struct Report: Codable, Sendable, Equatable {
        /// Its user id.
        public var uid: UInt32
        /// Its group id.
        public var gid: UInt32
        /// Whether no setuid program can raise its privileges.
        public var noNewPrivileges: Bool
        /// Whether it holds any capability.
        public var capabilities: Bool
        /// The secrets it could see (any of the paths it was named).
        public var secretsSeen: [String]
        /// Other processes it could see in `/proc`.
        public var processesSeen: Int
        /// Whether it could read the first process's command line (the grader's, without a PID namespace).
        public var firstCommandLineRead: Bool
        /// Addresses it could start a connection to.
        public var reached: [String]
        /// Paths outside `/tmp` it could create a file in.
        public var written: [String]
        /// Whether `setuid(0)` succeeded.
        public var becameRoot: Bool
        /// The names of its environment variables.
        public var environment: [String]
    }

    /// Runs the probe (in the box): tries each thing and returns what it found.
    public static func probe(secrets: [String]) -> Report {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        func field(_ name: String) -> String? {
            status.split(separator: "\n").first { $0.hasPrefix(name + ":") }.map {
                $0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces)
            }
        }
        let me = "\(getpid())"
        let processes = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter {
            Int($0) != nil && $0 != me && $0 != "self"
        }
        var written: [String] = []
        // (Its own /tmp is the one place it may write.)
        let folders = ["/", "/usr", "/etc", "/dev"] + secrets.map { ($0 as NSString).deletingLastPathComponent }
        for folder in folders where folder != "/tmp" && !folder.hasPrefix("/tmp/") {
            let path = (folder as NSString).appendingPathComponent(".learn-probe-\(me)")
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
            if descriptor >= 0 {
                close(descriptor)
                unlink(path)
                written.append(folder)
            }
        }
        return Report(
            uid: getuid(), gid: getgid(), noNewPrivileges: field("NoNewPrivs") == "1",
            capabilities: (field("CapEff").flatMap { UInt64($0, radix: 16) } ?? 1) != 0,
            secretsSeen: secrets.filter(canOpen),
            processesSeen: processes.count,
            firstCommandLineRead: FileManager.default.contents(atPath: "/proc/1/cmdline") != nil,
            reached: ["127.0.0.1", "192.0.2.1"].filter(canConnect), written: written, becameRoot: setuid(0) == 0,
            environment: ProcessInfo.processInfo.environment.keys.sorted())
    }

    /// Whether `path` (a file or a folder) can be opened for reading.
    static func canOpen(_ path: String) -> Bool {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor >= 0 { close(descriptor) }
        return descriptor >= 0
    }

    /// Whether a TCP connection to `address` port 80 can be started: refused or under
    /// way both mean a network is there; an unreachable network means none is.
    static func canConnect(_ address: String) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        var target = sockaddr_in()
        target.sin_family = sa_family_t(AF_INET)
        target.sin_port = in_port_t(UInt16(80).bigEndian)
        inet_pton(AF_INET, address, &target.sin_addr)
        let result = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0 || errno == EINPROGRESS || errno == ECONNREFUSED
    }

    /// What in `report` shows the box does not hold, each in a sentence; empty when it holds.
    public static func problems(_ report: Report, secrets: [String], box: Sandbox) -> [String] {
        var problems: [String] = []
        if report.uid == 0 || report.gid == 0 { problems.append("it ran as root (uid \(report.uid))") }
        if report.uid != box.uid { problems.append("it ran as uid \(report.uid), not the box's \(box.uid)") }
        if !report.noNewPrivileges { problems.append("a setuid program could raise its privileges") }
        if report.capabilities { problems.append("it held capabilities") }
        if report.becameRoot { problems.append("setuid(0) succeeded") }
        for secret in report.secretsSeen { problems.append("it could see \(secret)") }
        if report.processesSeen > 0 { problems.append("it could see \(report.processesSeen) other processes") }
        if report.firstCommandLineRead { problems.append("it could read the command line of process 1") }
        for address in report.reached { problems.append("it could reach \(address) over the network") }
        for folder in report.written { problems.append("it could write in \(folder)") }
        // (PWD is set by the box's own `env -C /tmp`.)
        let extra = Set(report.environment).subtracting(box.environment.keys).subtracting(["PWD"])
        if !extra.isEmpty {
            problems.append("it was given variables of the grader's: " + extra.sorted().joined(separator: ", "))
        }
        return problems
    }

    /// Runs the probe — `binary sandbox-probe SECRET…`, this grader's own build — in a
    /// box like `box`, and returns the self-test's line for the report; throws with
    /// every problem when the box does not hold or cannot be made.
    public static func selfTest(binary: URL, secrets: [String], box: Sandbox) throws(SubmissionError) -> String {
        if let reason = Sandbox.unavailableReason { throw SubmissionError(reason) }
        var probeBox = box
        probeBox.exposed = [Sandbox.Exposure(binary.resolvingSymlinksInPath().path)]
        let start = Date()
        let outcome = probeBox.run(
            binary.resolvingSymlinksInPath().path, ["sandbox-probe"] + secrets, timeLimit: 30, outputLimit: 1 << 20)
        guard outcome.run.ending == .exited(0),
            let report = try? JSONDecoder().decode(Report.self, from: outcome.run.outputData)
        else {
            let said = Submission.said(outcome.run.errors) ?? "no message"
            throw SubmissionError("the sandbox's self-test could not run (\(outcome.run.ending)): \(said)")
        }
        let problems = problems(report, secrets: secrets, box: probeBox)
        guard problems.isEmpty else {
            throw SubmissionError("the sandbox does not hold: " + problems.joined(separator: "; "))
        }
        return "sandbox: self-test passed in \(String(format: "%.2f", Date().timeIntervalSince(start))) s — "
            + "uid \(report.uid), no capabilities, no new privileges; own PID, mount and network namespaces; "
            + "it saw no other process, none of \(secrets.count) secret paths, no network, and could write only its /tmp"
    }
}
