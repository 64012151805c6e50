import CommandLineOptions
import Foundation
import Learn
import LearnCourse

/// `Course grade --submission PATH`: a student's package graded in a pristine copy of
/// this one (``Submission``), so that nothing but the pieces' files can change a grade.
enum GradeSubmission {
    /// The memory the grading may use, as address space: far above what any check
    /// needs (a GAN run takes under 1 GB), far below the machine.
    static let memoryLimit = 8 << 30

    /// Prepares, builds and grades the submission at `path`; returns the exit status
    /// (0 every check passed, 1 otherwise or when it could not be graded).
    static func run(_ path: URL, checks: [GradedCheck], hidden: URL?, json: String?) -> Int32 {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "learn-submission-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let kit = scratch.appendingPathComponent("package")
        let submission: Submission
        do {
            print("Preparing \(path.path) in a fresh copy of this package …")
            try StarterKit.write(from: PackageDirectory.root, to: kit)
            submission = try take(path, into: kit, unpacking: scratch.appendingPathComponent("unpacked"))
        } catch {
            printError("Course grade: the submission cannot be graded: \(error)")
            return 1
        }
        print("  taken from the submission: \(submission.taken.count) of \(submission.editable.count) piece files")
        let uncompiled: [(file: String, error: String)]
        do {
            uncompiled = try build(kit, taken: submission.taken)
        } catch {
            printError("Course grade: \(error)")
            return 1
        }
        // The grading happens here, in the instructor's build: each check's pieces run in
        // the submission's build, confined, and are given inputs only; the visible and
        // hidden cases stay here, where their answers are judged.
        let options = GradingOptions(
            package: kit, fixtures: PackageDirectory.root.appendingPathComponent("Fixtures/cases"), hidden: hidden)
        print(
            "Grading \(checks.count) checks (each answered by the submission's build in a process of its own, "
                + "\(getuid() == 0 ? "as the user nobody, " : "")memory limited; judged here) …")
        return Grade.report(
            checks, options: options, json: json, notes: notes(submission, path: path, uncompiled: uncompiled)
        ) { confined(kit.appendingPathComponent(".build/release/Course"), $0) }
    }

    /// Puts every piece file of `kit` (a starter kit of this package, perhaps holding an
    /// earlier submission) back to the kit's stub, then takes the piece files of the
    /// submission at `path`, unpacked under `scratch`.
    static func take(_ path: URL, into kit: URL, unpacking scratch: URL) throws -> Submission {
        try? FileManager.default.removeItem(at: scratch)
        let root = try Submission.unpack(path, into: scratch)
        let sources = SolutionSources.of(PackageDirectory.root)
        for file in Set(Piece.allCases.flatMap { sources.locations[$0] ?? [] }) {
            try restoreKitVersion(of: file, in: kit)
        }
        defer { SolutionSources.forget(kit) }  // its piece files are the submission's now
        return try Submission(root: root, kit: kit)
    }

    /// Builds the copy; a piece file that does not compile is put back to the kit's
    /// stubs (its pieces then count as unwritten) and the build tried again. Returns
    /// the files put back, each with its first compiler error.
    static func build(
        _ kit: URL, taken: [String], timeLimit: Double = 3600, say: (String) -> Void = { print($0) }
    ) throws(SubmissionError) -> [(file: String, error: String)] {
        var remaining = taken
        var putBack: [(file: String, error: String)] = []
        defer { SolutionSources.forget(kit) }  // a file put back is a stub again
        let swift = URL(fileURLWithPath: "/usr/bin/env")
        while true {
            say("  building …")
            let build = ChildProcess.run(
                swift, ["swift", "build", "-c", "release", "--product", "Course"], in: kit, timeLimit: timeLimit)
            if build.ending == .exited(0) { return putBack }
            if build.ending == .timedOut {
                throw SubmissionError("the build ran past its time limit of \(Int(timeLimit)) s")
            }
            let log = build.output + "\n" + build.errors
            var culprits = Submission.compileErrors(in: log, files: remaining)
            if culprits.isEmpty {
                // An error no piece file is named in (a changed signature breaks its
                // callers): none of the student's files can be trusted to build.
                let first = Submission.firstError(in: log) ?? "the build failed (\(build.ending))"
                culprits = remaining.map { ($0, first) }
            }
            guard !culprits.isEmpty else {
                throw SubmissionError(
                    "the package does not build even with every piece file the kit's: "
                        + (Submission.firstError(in: log) ?? "\(build.ending)"))
            }
            for var culprit in culprits {
                culprit.error = culprit.error.replacingOccurrences(of: kit.path + "/", with: "")
                try restoreKitVersion(of: culprit.file, in: kit)
                remaining.removeAll { $0 == culprit.file }
                putBack.append(culprit)
                say("  \(culprit.file) does not compile; its pieces are graded as unwritten")
            }
        }
    }

    /// Writes the starter kit's version of `file` (the instructor's, stubbed) into `kit`.
    static func restoreKitVersion(of file: String, in kit: URL) throws(SubmissionError) {
        do {
            let text = try String(contentsOf: PackageDirectory.root.appendingPathComponent(file), encoding: .utf8)
            let stub = try StarterKit.stubbed(text, file: file).text
            let target = kit.appendingPathComponent(file)
            // Unchanged files keep their dates, so the build cache stays valid for them.
            if (try? String(contentsOf: target, encoding: .utf8)) != stub { try TextFile.write(stub, to: target.path) }
        } catch {
            throw SubmissionError("cannot put back the kit's \(file): \(error)")
        }
    }

    /// The command that runs `binary arguments…` under the memory limit and, when this
    /// runs as root, as the user nobody (`prlimit`, `setpriv`: util-linux).
    static func confined(_ binary: URL, _ arguments: [String]) -> (URL, [String]) {
        var command = ["--as=\(memoryLimit)", "--fsize=\(IsolatedCheck.evidenceLimit)", "--"]
        if getuid() == 0 {
            command += ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
        }
        return (URL(fileURLWithPath: "/usr/bin/prlimit"), command + [binary.path] + arguments)
    }

    /// What was taken, what was not, and why.
    static func notes(_ submission: Submission, path: URL, uncompiled: [(file: String, error: String)]) -> String {
        var lines = ["Submission \(path.path):"]
        let written = submission.changed.filter { file in !uncompiled.contains { $0.file == file } }
        lines.append(
            "  graded from the submission: its \(submission.taken.count) piece files, of which these differ from the kit: "
                + (written.isEmpty ? "none" : ""))
        lines += written.map { "    \($0)" }
        for (file, error) in uncompiled {
            lines.append("  does not compile, graded as unwritten: \(file)")
            lines.append("    \(error)")
        }
        if !submission.missing.isEmpty {
            lines.append("  not in the submission, graded as unwritten: " + submission.missing.joined(separator: ", "))
        }
        if !submission.ignored.isEmpty {
            lines.append(
                "  ignored (only the pieces' files are graded; these differ from the kit or are new): "
                    + "\(submission.ignored.count)")
            lines += submission.ignored.prefix(40).map { "    \($0)" }
            if submission.ignored.count > 40 { lines.append("    … and \(submission.ignored.count - 40) more") }
        }
        return lines.joined(separator: "\n")
    }
}
