import Foundation

/// How a submission someone else wrote is handled while it is graded: unpacked, built
/// and run in a ``Sandbox`` each, under limits, or — when the grader is told so
/// (`--no-sandbox`) — in plain processes of the grader's user, with a warning in the
/// report.
///
/// What each box sees:
/// - **unpacking**: the archive (or folder), read-only; the trusted `tar` and `unzip`
///   unpack it into the box's `/tmp`, and only regular files of at most
///   ``fileLimit`` bytes come out, as a tar stream on standard output, which the
///   grader unpacks without owners, modes or links (``unpack(_:into:)``);
/// - **building**: the copy of the package, writable, and the toolchain; the compiler
///   runs as the box's user, and all its processes end with the box;
/// - **a check**: the built `Course`, the copy's `Package.swift` and MNIST — no case
///   file, no source, nothing of the grader's.
public struct Confinement: Sendable {
    /// Whether the boxes are made.
    public var sandboxed: Bool
    /// The job (0 for one submission; 1… for `--class`): the box's user is its own.
    public var job: Int
    /// The memory (address space) each process may use.
    public var memory: Int

    /// The largest file taken from a submission: far above any piece file.
    public static let fileLimit = 1 << 20
    /// The most bytes a submission may unpack to.
    public static let unpackedLimit = 512 << 20
    /// The most files a submission may hold.
    public static let fileCountLimit = 20_000

    /// Boxes for `job`, or plain processes when not `sandboxed`.
    public init(sandboxed: Bool, job: Int = 0, jobs: Int = 1) {
        (self.sandboxed, self.job) = (sandboxed, job)
        memory = Sandbox.memoryPerBox(jobs: jobs)
    }

    /// The box a check of the build in `kit` runs in.
    public func checkBox(kit: URL) -> Sandbox {
        Sandbox(
            job: job,
            exposed: [
                .init(Self.binary(in: kit).path), .init(kit.appendingPathComponent("Package.swift").path),
                .init(kit.appendingPathComponent("Fixtures/MNIST").path),
            ], limits: .check(memory: memory),
            environment: ProcessInfo.processInfo.environment.filter { $0.key == "LEARN_GEMM_KERNEL" })
    }

    /// Who answers a check: the build in `kit`, confined.
    public func answerer(kit: URL) -> IsolatedCheck.Answerer {
        let binary = Self.binary(in: kit)
        if sandboxed {
            return .sandboxed(checkBox(kit: kit), executable: binary.path) { ["grade", "--answer-check", $0.id] }
        }
        let limits = ["--as=\(memory)", "--fsize=\(IsolatedCheck.evidenceLimit)", "--nproc=4096", "--core=0", "--"]
        return .process(URL(fileURLWithPath: "/usr/bin/prlimit")) {
            limits + [binary.path, "grade", "--answer-check", $0.id]
        }
    }

    /// The kit's `Course`, its symlinks resolved (the box shows the file itself).
    public static func binary(in kit: URL) -> URL {
        kit.appendingPathComponent(".build/release/Course").resolvingSymlinksInPath()
    }

    /// Builds the `Course` product of `kit` within `timeLimit` seconds.
    public func build(_ kit: URL, timeLimit: Double) -> Sandbox.Outcome {
        let arguments = ["build", "-c", "release", "--product", "Course", "--package-path", kit.path]
        guard sandboxed, let toolchain = Self.toolchain else {
            let run = ChildProcess.run(
                URL(fileURLWithPath: "/usr/bin/env"), ["swift"] + arguments, in: kit, timeLimit: timeLimit)
            return Sandbox.Outcome(run: run, stragglers: run.stragglers)
        }
        let box = Sandbox(
            job: job, exposed: [.init(toolchain.root), .init(kit.path, writable: true)],
            limits: .build(memory: memory, cpuSeconds: Int(timeLimit) * 2),
            environment: ["PATH": toolchain.bin + ":/usr/bin:/bin"])
        // The box's user builds: the copy is its own (symlinks are changed, never followed).
        let owned = ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/chown"), ["-R", "-P", "\(box.uid):\(box.uid)", kit.path], timeLimit: 120)
        guard owned.ending == .exited(0) else { return Sandbox.Outcome(run: owned, stragglers: 0) }
        return box.run(toolchain.bin + "/swift", arguments, timeLimit: timeLimit)
    }

    /// The toolchain `swift` on the PATH belongs to: its root (shown to the build's box)
    /// and the folder of `swift`.
    static var toolchain: (root: String, bin: String)? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":").map(String.init)
        where FileManager.default.isExecutableFile(atPath: folder + "/swift") {
            let bin = (folder as NSString).standardizingPath
            let root = bin.hasSuffix("/usr/bin") ? String(bin.dropLast("/usr/bin".count)) : bin
            return (root.isEmpty ? "/" : root, bin)
        }
        return nil
    }

    /// Unpacks `path` — a `.zip`, a `.tar.gz` or a folder — into `folder` (new, this
    /// process's): the submission's regular files of at most ``fileLimit`` bytes under
    /// `folder/files`, and the names and sizes of the larger ones, which are left out,
    /// in the returned list. Refuses an archive that would unpack to more than
    /// ``unpackedLimit`` bytes or ``fileCountLimit`` files before writing any of it.
    public func unpack(_ path: URL, into folder: URL) throws(SubmissionError) -> [String] {
        let kind: String
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path.path, isDirectory: &isDirectory) else {
            throw SubmissionError("\(path.path) does not exist")
        }
        let name = path.lastPathComponent.lowercased()
        if isDirectory.boolValue {
            kind = "folder"
        } else if name.hasSuffix(".zip") {
            kind = "zip"
        } else if name.hasSuffix(".tar.gz") || name.hasSuffix(".tgz") {
            kind = "tgz"
        } else {
            throw SubmissionError("\(path.path) is neither a folder nor a .zip or .tar.gz archive")
        }
        let source = path.resolvingSymlinksInPath().path
        let arguments = [
            "-c", Self.unpackScript, "unpack", source, kind, "\(Self.fileLimit)", "\(Self.unpackedLimit)",
            "\(Self.fileCountLimit)",
        ]
        let streamLimit = 64 << 20
        let run: ChildProcess
        if sandboxed {
            let box = Sandbox(
                job: job, exposed: [.init(source)],
                limits: .unpacking(fileSize: Self.unpackedLimit, scratch: Self.unpackedLimit + (16 << 20)))
            run = box.run("/bin/sh", arguments, timeLimit: 120, outputLimit: streamLimit).run
        } else {
            let scratch: PrivateFolder
            scratch = try PrivateFolder(prefix: "learn-unpack")
            defer { scratch.remove() }
            run = ChildProcess.run(
                URL(fileURLWithPath: "/bin/sh"), arguments, in: scratch.url,
                environment: .inherited(adding: ["TMPDIR": scratch.url.path]), timeLimit: 120,
                outputLimit: streamLimit)
        }
        guard run.ending == .exited(0) else {
            throw SubmissionError(
                "\(path.path) could not be unpacked: \(Submission.said(run.errors) ?? "\(run.ending)")")
        }
        guard !run.outputTruncated else {
            throw SubmissionError(
                "\(path.path) holds more than \(streamLimit >> 20) MB in files of \(Self.fileLimit >> 20) MB or less")
        }
        let stream = try PrivateFolder(prefix: "learn-stream")
        defer { stream.remove() }
        let file = try stream.write(run.outputData, as: "files.tar")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        } catch {
            throw SubmissionError("cannot create \(folder.path): \(error.localizedDescription)")
        }
        let unpacked = ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/tar"),
            [
                "-x", "-f", file.path, "-C", folder.path, "--no-same-owner", "--no-same-permissions",
                "--no-overwrite-dir",
            ],
            timeLimit: 120)
        guard unpacked.ending == .exited(0) else {
            throw SubmissionError("\(path.path)'s files could not be taken: \(Submission.said(unpacked.errors) ?? "")")
        }
        let skipped = (try? String(contentsOf: folder.appendingPathComponent("skipped.txt"), encoding: .utf8)) ?? ""
        return skipped.split(separator: "\n").map(String.init)
    }

    /// Unpacks in the box's `/tmp` and writes the tar stream of what may be taken: `$1`
    /// the archive or folder, `$2` its kind, `$3` the largest file taken, `$4` and `$5`
    /// the most bytes and files an archive may unpack to.
    static let unpackScript = #"""
        set -eu
        in=$1 kind=$2 largest=$3 most=$4 count=$5
        out=$TMPDIR/unpacked
        fail() { echo "$*" >&2; exit 3; }
        listed() {
          [ "$2" -le "$count" ] || fail "it holds $2 files, more than the $count allowed"
          [ "$1" -le "$most" ] || fail "it unpacks to $1 bytes, more than the $most allowed"
        }
        case $kind in
          zip)
            zipinfo -h "$in" >/dev/null 2>&1 || fail "it is not a zip archive that can be read"
            set -- $(zipinfo -t "$in" | tail -n 1)
            listed "$3" "$1"
            mkdir "$out"; unzip -qq -o "$in" -d "$out" </dev/null || [ $? -eq 1 ] || fail "unzip could not unpack it"
            ;;
          tgz)
            tar -tzf "$in" >/dev/null 2>&1 || fail "it is not a .tar.gz that can be read"
            set -- $(tar -tvzf "$in" | awk '{ n += 1; s += $3 } END { printf "%.0f %.0f\n", s, n }')
            listed "$1" "$2"
            mkdir "$out"
            tar -xzf "$in" -C "$out" --no-same-owner --no-same-permissions || fail "tar could not unpack it"
            ;;
          folder) out=$in ;;
        esac
        cd "$out"
        find . -type f -size +"$largest"c -printf '%s bytes: %P\n' | head -n 100 >"$TMPDIR/skipped.txt"
        find . -type f ! -size +"$largest"c -print0 | head -z -n "$count" >"$TMPDIR/taken"
        tar -c -f - --owner=0 --group=0 --mode=u=rw,go=r --no-recursion --transform 's,^\./,files/,' \
          -C "$TMPDIR" skipped.txt -C "$out" --null -T "$TMPDIR/taken"
        """#
}
