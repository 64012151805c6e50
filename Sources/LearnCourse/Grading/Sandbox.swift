import Foundation

/// Where a student's code runs when someone else grades it: a box that sees only the
/// files it is given, no other process, no network, and that ends — with everything
/// started inside it — when its command does.
///
/// The box is made by util-linux alone (`setpriv`, `unshare`, `prlimit`, all on
/// Debian's and Ubuntu's base images) and needs root:
///
/// - **namespaces**: a PID namespace (the grader and every other process are out of
///   sight, and when its first process ends the kernel kills the rest), a mount
///   namespace, and empty network, IPC and host-name namespaces;
/// - **files**: a fresh read-only root holding the system folders (`/usr`, `/etc`, …),
///   the toolchain's libraries and what ``exposed`` names — nothing else of the machine,
///   so neither the instructor's sources nor the hidden cases nor another student's
///   work is there to read — a new `/proc` that shows only the box, the four harmless
///   devices, and a `/tmp` of ``Limits/scratch`` bytes, gone with the box; every mount
///   `nosuid,nodev`;
/// - **identity**: a user of its own (``uid``), no groups, no capabilities, and
///   `no_new_privs` (no setuid program can raise it);
/// - **limits**: memory, CPU time, processes, file size and open files (``Limits``),
///   and the wall time the caller gives.
///
/// `setpriv --pdeathsig KILL` and `unshare --kill-child` tie the box to the grader:
/// a grader killed mid-check takes the box with it. The box's first process is a small
/// shell of the grader's (``script``) that runs the command, then counts what the
/// command left running (``Outcome/stragglers``) on a descriptor the command never
/// holds, before the box ends and the kernel kills them.
public struct Sandbox: Sendable {
    /// What the box may use.
    public struct Limits: Sendable, Equatable {
        /// Address space per process, bytes.
        public var memory: Int
        /// CPU seconds per process.
        public var cpuSeconds: Int
        /// Processes and threads of the box's user (counted over all its processes on
        /// the machine: boxes that run at once have users of their own, ``Sandbox/init(job:exposed:limits:environment:)``).
        public var processes: Int
        /// The largest file it may write, bytes (its output to the grader included).
        public var fileSize: Int
        /// The size of its `/tmp`, bytes: all it can write.
        public var scratch: Int
        /// Descriptors open at once.
        public var openFiles: Int = 256

        /// Limits as given.
        public init(memory: Int, cpuSeconds: Int, processes: Int, fileSize: Int, scratch: Int) {
            (self.memory, self.cpuSeconds, self.processes, self.fileSize, self.scratch) = (
                memory, cpuSeconds, processes, fileSize, scratch
            )
        }

        /// A graded check's: far above what any check needs (a GAN run takes under 1 GB).
        public static func check(memory: Int) -> Limits {
            Limits(memory: memory, cpuSeconds: 1_200, processes: 128, fileSize: 256 << 20, scratch: 64 << 20)
        }

        /// A build's: the compiler's many processes, the package's `.build`.
        public static func build(memory: Int, cpuSeconds: Int) -> Limits {
            Limits(memory: memory, cpuSeconds: cpuSeconds, processes: 512, fileSize: 1 << 30, scratch: 256 << 20)
        }

        /// Unpacking an archive: its files no larger than `fileSize`, all of them within `scratch`.
        public static func unpacking(fileSize: Int, scratch: Int) -> Limits {
            Limits(memory: 1 << 30, cpuSeconds: 60, processes: 64, fileSize: fileSize, scratch: scratch)
        }
    }

    /// A path of the machine shown in the box, at the same place.
    public struct Exposure: Sendable, Equatable {
        /// The path (a file or a folder).
        public var path: String
        /// Whether the box may write to it (a build writes its `.build`).
        public var writable: Bool

        /// `path`, read-only unless `writable`.
        public init(_ path: String, writable: Bool = false) {
            (self.path, self.writable) = (path, writable)
        }
    }

    /// The user the box runs as: one of its own, with no home and no files outside.
    public var uid: UInt32
    /// What it sees of the machine beyond the system folders.
    public var exposed: [Exposure]
    /// What it may use.
    public var limits: Limits
    /// Its environment (nothing of the grader's is passed on).
    public var environment: [String: String]

    /// The users the boxes run as: 64 000 + the job, none of them a user of the machine.
    public static let firstUID: UInt32 = 64_000

    /// A box for job `job` (0 for a single grading) that sees `exposed`.
    public init(job: Int = 0, exposed: [Exposure], limits: Limits, environment: [String: String] = [:]) {
        uid = Self.firstUID + UInt32(job)
        self.exposed = exposed
        self.limits = limits
        self.environment = [
            "PATH": "/usr/bin:/bin", "HOME": "/tmp", "TMPDIR": "/tmp", "LANG": "C.UTF-8",
        ].merging(environment) { $1 }
    }

    /// How a command in the box ended.
    public struct Outcome: Sendable {
        /// The command's run, its ending as the command's own (not the box's).
        public var run: ChildProcess
        /// How many processes it left running; the box's end killed them.
        public var stragglers: Int
    }

    /// Runs `executable arguments…` in the box with `input` as its standard input, for at
    /// most `timeLimit` seconds of wall time.
    public func run(
        _ executable: String, _ arguments: [String], input: Data = Data(), timeLimit: Double,
        outputLimit: Int = 256 << 20
    ) -> Outcome {
        let root: PrivateFolder
        do {
            root = try PrivateFolder(prefix: "learn-box")
        } catch {
            return Outcome(
                run: ChildProcess(
                    ending: .notStarted("\(error)"), outputData: Data(), errors: "", report: "",
                    outputTruncated: false, stragglers: 0), stragglers: 0)
        }
        defer { rmdir(root.url.path) }  // the box's mounts end with its namespace
        let (tool, words) = command(executable, arguments, root: root.url.path)
        var run = ChildProcess.run(
            tool, words, environment: .only(environment), input: input, timeLimit: timeLimit,
            outputLimit: outputLimit)
        let report = run.report.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .newlines)) }
        var stragglers = 0
        if report.count == 2 {
            stragglers = Int(report[1])
            // The shell says how the command ended: 128 + n for signal n.
            run.ending = report[0] > 128 && report[0] < 160 ? .signalled(report[0] - 128) : .exited(report[0])
        } else if case .exited = run.ending {
            // The box ended before its command did: it could not be set up.
            let said = run.errors.split(separator: "\n").last.map(String.init) ?? "no reason given"
            run.ending = .notStarted("the sandbox could not be set up: \(said)")
        }
        return Outcome(run: run, stragglers: stragglers)
    }

    /// The command line that makes the box at `root` (an empty folder) and runs
    /// `executable arguments…` in it.
    public func command(_ executable: String, _ arguments: [String], root: String) -> (URL, [String]) {
        var words = [
            "--pdeathsig", "KILL", "--", "/usr/bin/unshare", "--pid", "--fork", "--kill-child", "--mount", "--net",
            "--ipc", "--uts", "--propagation", "private", "--", "/bin/sh", "-c", Self.script, "sandbox", root,
            "\(uid)", "\(limits.scratch)", "\(limits.memory)", "\(limits.cpuSeconds)", "\(limits.processes)",
            "\(limits.fileSize)", "\(limits.openFiles)",
        ]
        for exposure in Self.systemExposures + exposed {
            words += [exposure.path, exposure.writable ? "rw" : "ro"]
        }
        words += ["--", executable] + arguments
        return (URL(fileURLWithPath: "/usr/bin/setpriv"), words)
    }

    /// The box's first process, as root in its namespaces. Every path is an argument,
    /// never part of the text: `$1` the new root, then the user and the limits, then
    /// pairs of path and `ro`/`rw` up to `--`, then the command. It reports on
    /// descriptor 3, which the command does not get: its exit status and how many
    /// processes it left.
    public static let script = #"""
        set -eu
        root=$1 uid=$2 scratch=$3 as=$4 cpu=$5 nproc=$6 fsize=$7 nofile=$8
        shift 8
        mount -t tmpfs -o mode=0755,size=1m,nosuid,nodev tmpfs "$root"
        expose() {
          if [ -L "$1" ]; then
            mkdir -p "$root${1%/*}"; ln -s "$(readlink "$1")" "$root$1"; return
          fi
          if [ -d "$1" ]; then mkdir -p "$root$1"; else mkdir -p "$root${1%/*}"; : > "$root$1"; fi
          mount --bind "$1" "$root$1"
          mount -o "remount,bind,$2,nosuid,nodev" "$root$1"
        }
        mkdir -p "$root/proc" "$root/tmp" "$root/dev"
        mount -t tmpfs -o "mode=1777,size=$scratch,nr_inodes=65536,nosuid,nodev" tmpfs "$root/tmp"
        while [ "$1" != "--" ]; do expose "$1" "$2"; shift 2; done
        shift
        mount -t proc -o nosuid,nodev,noexec,hidepid=2 proc "$root/proc"
        for d in null zero urandom random; do : > "$root/dev/$d"; mount --bind "/dev/$d" "$root/dev/$d"; done
        mount -o remount,bind,ro,nosuid,nodev "$root"
        set +e
        /usr/sbin/chroot "$root" /usr/bin/setpriv --reuid="$uid" --regid="$uid" --clear-groups --no-new-privs \
          --inh-caps=-all --bounding-set=-all -- /usr/bin/prlimit --as="$as" --cpu="$cpu" --nproc="$nproc" \
          --fsize="$fsize" --nofile="$nofile" --core=0 -- /usr/bin/env -C /tmp "$@" 3>&-
        status=$?
        left=0
        for p in "$root"/proc/[0-9]*; do [ "${p##*/}" = 1 ] || left=$((left + 1)); done
        echo "$status $left" >&3
        exit "$status"
        """#

    /// The system folders every box sees, read-only, and the folders of the libraries
    /// this process has loaded that lie outside them (the Swift runtime's, from
    /// `/proc/self/maps`), so that a program of this toolchain starts in the box.
    public static var systemExposures: [Exposure] {
        let system = ["/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]
        var paths = system.filter { FileManager.default.fileExists(atPath: $0) || isSymlink($0) }
        let maps = (try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8)) ?? ""
        for line in maps.split(separator: "\n") {
            guard let slash = line.firstIndex(of: "/"), line.hasSuffix(".so") || line.contains(".so.") else { continue }
            let folder = (String(line[slash...]) as NSString).deletingLastPathComponent
            if !system.contains(where: { folder == $0 || folder.hasPrefix($0 + "/") }) && !paths.contains(folder) {
                paths.append(folder)
            }
        }
        return paths.map { Exposure($0) }
    }

    static func isSymlink(_ path: String) -> Bool {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
    }

    /// Why no box can be made here, or nil when one can be tried (``SandboxProbe`` then
    /// proves it holds).
    public static var unavailableReason: String? {
        if getuid() != 0 {
            return "the sandbox needs root (namespaces, a private root, another user); this runs as uid \(getuid())"
        }
        for tool in ["/usr/bin/setpriv", "/usr/bin/unshare", "/usr/bin/prlimit", "/usr/sbin/chroot", "/bin/sh"]
        where !FileManager.default.isExecutableFile(atPath: tool) {
            return "the sandbox needs \(tool) (util-linux and coreutils), which is missing"
        }
        return nil
    }

    /// The memory each of `jobs` boxes may use: 8 GiB, or less so that all of them fit
    /// in half the machine's memory.
    public static func memoryPerBox(jobs: Int) -> Int {
        let half = Int(ProcessInfo.processInfo.physicalMemory / 2)
        return min(8 << 30, max(1 << 30, half / max(jobs, 1)))
    }
}
