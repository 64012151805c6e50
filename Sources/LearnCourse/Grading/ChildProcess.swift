import Foundation

/// Runs a command to its end or its time limit, and is the only way the grader hears
/// from it: what the command reads comes from a file only this process can open, and
/// what it prints goes to files only this process can open, read back no further than
/// a limit.
///
/// The files live in a fresh folder of mode 0700 (`mkdtemp`), each created with
/// `O_EXCL | O_NOFOLLOW`: nothing another user does — a symlink planted at a guessed
/// name, a file replaced — can redirect them. The command gets its own process group;
/// when it ends, or at its time limit, every process left in the group is killed with
/// it (``stragglers`` says whether there were any). A command that leaves its group
/// (`setsid`) is out of reach here: confine it in a ``Sandbox``, whose PID namespace
/// ends with it.
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

    /// The environment the command starts with.
    public enum Environment: Sendable {
        /// This process's, with these variables added or replaced.
        case inherited(adding: [String: String])
        /// Exactly these variables.
        case only([String: String])
    }

    /// How it ended.
    public var ending: Ending
    /// What it wrote to its standard output, at most the run's output limit.
    public var outputData: Data
    /// What it wrote to its standard error, at most the run's output limit.
    public var errors: String
    /// What it wrote to descriptor 3, when it was given one (``Sandbox`` reports there).
    public var report: String
    /// True when the standard output held more than the limit (the rest was not read).
    public var outputTruncated: Bool
    /// How many processes of its group were still running after it ended (they were killed).
    public var stragglers: Int

    /// The standard output as text.
    public var output: String { String(decoding: outputData, as: UTF8.self) }

    /// Runs `executable arguments…` in `directory` (default: this one) with `input` as
    /// its standard input, stopping it and its whole process group after `timeLimit`
    /// seconds (SIGKILL: nothing it does can put the end off). At most `outputLimit`
    /// bytes of each output are read back.
    public static func run(
        _ executable: URL, _ arguments: [String], in directory: URL? = nil,
        environment: Environment = .inherited(adding: [:]), input: Data = Data(), timeLimit: Double,
        outputLimit: Int = 256 << 20
    ) -> ChildProcess {
        func notStarted(_ why: String) -> ChildProcess {
            ChildProcess(
                ending: .notStarted(why), outputData: Data(), errors: "", report: "", outputTruncated: false,
                stragglers: 0)
        }
        let scratch: PrivateFolder
        do {
            scratch = try PrivateFolder(prefix: "learn-child")
        } catch {
            return notStarted("\(error)")
        }
        defer { scratch.remove() }
        let files: [Int32]
        do {
            files = try ["in", "out", "err", "report"].map { try scratch.create($0) }
        } catch {
            return notStarted("\(error)")
        }
        defer { for file in files { close(file) } }
        guard PrivateFolder.write(input, to: files[0]) else {
            return notStarted("its input could not be written: \(String(cString: strerror(errno)))")
        }
        lseek(files[0], 0, SEEK_SET)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (descriptor, target) in zip(files, [0, 1, 2, 3] as [Int32]) {
            posix_spawn_file_actions_adddup2(&actions, descriptor, target)
        }
        // No other descriptor of this process reaches the child.
        if let closeFrom = SpawnExtensions.closeFrom { _ = closeFrom(&actions, 4) }
        if let directory {
            guard let changeDirectory = SpawnExtensions.changeDirectory else {
                return notStarted("this C library cannot start a process in another folder")
            }
            _ = changeDirectory(&actions, directory.path)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var everySignal = sigset_t()
        var none = sigset_t()
        sigfillset(&everySignal)
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &everySignal)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setpgroup(&attributes, 0)  // a group of its own, led by the child
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let variables: [String: String]
        switch environment {
        case .inherited(let adding): variables = ProcessInfo.processInfo.environment.merging(adding) { $1 }
        case .only(let exactly): variables = exactly
        }
        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = variables.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable.path, &actions, &attributes, argv, envp)
        guard spawned == 0 else { return notStarted(String(cString: strerror(spawned))) }

        var status: Int32 = 0
        var ending: Ending?
        let deadline = Date().addingTimeInterval(timeLimit)
        while ending == nil {
            let waited = waitpid(pid, &status, WNOHANG)
            if waited == pid {
                ending = decode(status)
            } else if waited < 0 && errno != EINTR {
                ending = .notStarted("its end could not be awaited: \(String(cString: strerror(errno)))")
            } else if Date() >= deadline {
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                ending = .timedOut
            } else {
                usleep(5_000)
            }
        }
        // Whatever the group still holds goes now.
        let stragglers = members(ofGroup: pid)
        if stragglers > 0 { kill(-pid, SIGKILL) }
        let (output, truncated) = PrivateFolder.read(files[1], limit: outputLimit)
        return ChildProcess(
            ending: ending ?? .timedOut, outputData: output,
            errors: PrivateFolder.readEnds(files[2], each: 256 << 10),
            report: String(decoding: PrivateFolder.read(files[3], limit: 4096).bytes, as: UTF8.self),
            outputTruncated: truncated, stragglers: stragglers)
    }

    /// How many processes are in the process group `group` (`/proc/PID/stat`'s fifth
    /// field, after the parenthesised name, which may itself hold spaces).
    static func members(ofGroup group: pid_t) -> Int {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { entry in
            guard Int32(entry) != nil, let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && Int32(fields[2]) == group
        }.count
    }

    /// A wait status as an ending (the C macros `WIFEXITED` and kin are not imported).
    static func decode(_ status: Int32) -> Ending {
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }
}

/// glibc's `posix_spawn` extensions (2.29 and 2.34 on), which Swift does not import:
/// found at run time, nil where the C library lacks them.
enum SpawnExtensions {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias ChangeDirectory =
        @convention(c) (
            UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>
        ) -> Int32

    /// `posix_spawn_file_actions_addclosefrom_np`.
    static let closeFrom: CloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")
    /// `posix_spawn_file_actions_addchdir_np`.
    static let changeDirectory: ChangeDirectory? = symbol("posix_spawn_file_actions_addchdir_np")

    static func symbol<T>(_ name: String) -> T? {
        guard let address = dlsym(dlopen(nil, RTLD_NOW), name) else { return nil }
        return unsafeBitCast(address, to: T.self)
    }
}

/// A folder of this process's own (mode 0700, an unguessable name) for files that
/// cross to a child process: every file in it is created with `O_EXCL | O_NOFOLLOW`.
public struct PrivateFolder: Sendable {
    /// Its path.
    public let url: URL

    /// Makes a fresh folder named `prefix-PID-XXXXXX` in the temporary directory (the
    /// process's id, so that ``removeStale(in:)`` can tell a folder a killed process left).
    public init(prefix: String, in parent: URL = FileManager.default.temporaryDirectory) throws(SubmissionError) {
        var template = Array(parent.appendingPathComponent("\(prefix)-\(getpid())-XXXXXX").path.utf8CString)
        guard let made = mkdtemp(&template) else {
            throw SubmissionError(
                "cannot make a private folder in \(parent.path): \(String(cString: strerror(errno)))")
        }
        url = URL(fileURLWithPath: String(cString: made))
    }

    /// Creates the file `name` in it, open for reading and writing; refuses one already there.
    public func create(_ name: String) throws(SubmissionError) -> Int32 {
        let path = url.appendingPathComponent(name).path
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw SubmissionError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        return descriptor
    }

    /// Writes `data` to the file `name` (new) and closes it.
    public func write(_ data: Data, as name: String) throws(SubmissionError) -> URL {
        let descriptor = try create(name)
        defer { close(descriptor) }
        guard Self.write(data, to: descriptor) else {
            throw SubmissionError("cannot write \(name) in \(url.path): \(String(cString: strerror(errno)))")
        }
        return url.appendingPathComponent(name)
    }

    /// Removes the folders named `learn-…-PID-XXXXXX` in `parent` whose process is gone
    /// (a grader killed mid-check cannot clean up after itself); returns their names.
    @discardableResult
    public static func removeStale(in parent: URL = FileManager.default.temporaryDirectory) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        var removed: [String] = []
        for name in names where name.hasPrefix("learn-") {
            let parts = name.split(separator: "-")
            guard parts.count >= 3, parts.last?.count == 6, let pid = Int32(parts[parts.count - 2]), pid > 0,
                kill(pid, 0) != 0 && errno == ESRCH
            else { continue }
            if (try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))) != nil {
                removed.append(name)
            }
        }
        return removed.sorted()
    }

    /// Removes it with everything in it.
    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes all of `data` to `descriptor`; false on a failure (errno says which).
    static func write(_ data: Data, to descriptor: Int32) -> Bool {
        data.withUnsafeBytes { buffer in
            var written = 0
            while written < buffer.count {
                let result = Foundation.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if result < 0 && errno == EINTR { continue }
                guard result > 0 else { return false }
                written += result
            }
            return true
        }
    }

    /// The first and the last `each` bytes of `descriptor` as text, with a line saying
    /// how much was left out between them: a flood of output costs the reader nothing,
    /// and a crash's last words, at the end, are kept.
    static func readEnds(_ descriptor: Int32, each: Int) -> String {
        let size = Int(lseek(descriptor, 0, SEEK_END))
        let head = read(descriptor, limit: each).bytes
        guard size > 2 * each else {
            return String(decoding: size > each ? read(descriptor, limit: size).bytes : head, as: UTF8.self)
        }
        lseek(descriptor, off_t(size - each), SEEK_SET)
        var tail = [UInt8](repeating: 0, count: each)
        let count = max(0, Foundation.read(descriptor, &tail, each))
        return String(decoding: head, as: UTF8.self) + "\n… (\(size - 2 * each) bytes left out) …\n"
            + String(decoding: tail[..<count], as: UTF8.self)
    }

    /// At most `limit` bytes of `descriptor` from its start, and whether there was more.
    static func read(_ descriptor: Int32, limit: Int) -> (bytes: Data, truncated: Bool) {
        lseek(descriptor, 0, SEEK_SET)
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while data.count <= limit {
            let count = Foundation.read(descriptor, &chunk, min(chunk.count, limit + 1 - data.count))
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            data.append(contentsOf: chunk[..<count])
        }
        let truncated = data.count > limit
        return (truncated ? data.prefix(limit) : data, truncated)
    }
}
