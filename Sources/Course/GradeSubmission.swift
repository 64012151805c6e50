import CommandLineOptions
import Foundation
import Learn
import LearnCourse

/// `Course grade --submission PATH`: a student's package graded in a pristine copy of
/// this one (``Submission``), so that nothing but the pieces' files can change a grade.
enum GradeSubmission {
    /// Seconds a build may take from a fresh copy (the whole package: a few minutes on
    /// two cores) and from a copy built before (the submission's files only).
    static let buildLimits = (fresh: 900.0, incremental: 300.0)

    /// Prepares, builds and grades the submission at `path`; returns the exit status
    /// (0 every check passed, 1 otherwise or when it could not be graded).
    static func run(
        _ path: URL, checks: [GradedCheck], hidden: URL?, json: String?, confinement: Confinement,
        buildLimit: Double?
    ) -> Int32 {
        let scratch: PrivateFolder
        do {
            scratch = try PrivateFolder(prefix: "learn-submission")
        } catch {
            printError("Course grade: \(error)")
            return 1
        }
        defer { scratch.remove() }
        let kit = scratch.url.appendingPathComponent("package")
        guard let confinementLine = selfTest(confinement, kit: kit, hidden: hidden, submissions: path) else { return 1 }
        print(confinementLine)
        let submission: Submission
        do {
            print("Preparing \(path.path) in a fresh copy of this package …")
            try StarterKit.write(from: PackageDirectory.root, to: kit, assignment: Grade.assignment(of: checks))
            submission = try take(
                path, into: kit, unpacking: scratch.url.appendingPathComponent("unpacked"), confinement: confinement)
        } catch {
            printError("Course grade: the submission cannot be graded: \(error)")
            return 1
        }
        print("  taken from the submission: \(submission.taken.count) of \(submission.editable.count) piece files")
        let uncompiled: [(file: String, error: String)]
        do {
            uncompiled = try build(
                kit, taken: submission.taken, timeLimit: buildLimit ?? buildLimits.fresh, confinement: confinement)
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
            "Grading \(checks.count) checks (each answered by the submission's build in "
                + (confinement.sandboxed ? "a sandbox of its own" : "a process of its own, NOT sandboxed")
                + "; judged here) …")
        return Grade.report(
            checks, assignment: Grade.assignment(of: checks), options: options, json: json,
            notes: notes(submission, path: path, uncompiled: uncompiled) + "\n" + confinementLine,
            answerer: confinement.answerer(kit: kit))
    }

    /// The sandbox's self-test (``SandboxProbe``), with the paths no box may see: the
    /// instructor's sources and cases, the hidden cases, the submissions, the copy's
    /// sources. Returns the line for the report, or nil (having said why) when the
    /// sandbox does not hold; without a sandbox, the warning.
    static func selfTest(_ confinement: Confinement, kit: URL, hidden: URL?, submissions: URL) -> String? {
        let stale = PrivateFolder.removeStale()
        if !stale.isEmpty {
            print("Removed \(stale.count) folders a grader that was killed left in the temporary folder.")
        }
        guard confinement.sandboxed else {
            let warning =
                "WARNING: NOT sandboxed (--no-sandbox): the submission's code runs as \(NSUserName()) and can read "
                + "and change what that user can; grade only code you trust this way."
            printError(warning)
            return warning
        }
        let root = PackageDirectory.root
        let secrets =
            [
                root.appendingPathComponent(SolutionSources.directory).path,
                root.appendingPathComponent("Fixtures/cases").path, kit.appendingPathComponent("Sources").path,
                submissions.path, "/etc/shadow", "/root",
            ] + (hidden.map { [$0.path] } ?? [])
        do {
            return try SandboxProbe.selfTest(
                binary: Grade.executable, secrets: secrets, box: confinement.checkBox(kit: kit))
        } catch {
            printError(
                "Course grade: the submission is not graded: \(error). A submission's code runs only in the "
                    + "sandbox; run as root where util-linux's unshare works, or, for code you trust, add --no-sandbox."
            )
            return nil
        }
    }

    /// Puts every piece file of `kit` (a starter kit of this package, perhaps holding an
    /// earlier submission) back to the kit's stub, then takes the piece files of the
    /// submission at `path`, unpacked under `scratch` (which must not exist yet).
    static func take(
        _ path: URL, into kit: URL, unpacking scratch: URL, confinement: Confinement
    ) throws -> Submission {
        let (root, skipped) = try Submission.unpack(path, into: scratch, confinement: confinement)
        let sources = SolutionSources.of(PackageDirectory.root)
        for file in Set(Piece.allCases.flatMap { sources.locations[$0] ?? [] }) {
            try restoreKitVersion(of: file, in: kit)
        }
        defer { SolutionSources.forget(kit) }  // its piece files are the submission's now
        var submission = try Submission(root: root, kit: kit)
        submission.skipped = skipped
        return submission
    }

    /// Builds the copy; a piece file that does not compile is put back to the kit's
    /// stubs (its pieces then count as unwritten) and the build tried again. Returns
    /// the files put back, each with its first compiler error.
    static func build(
        _ kit: URL, taken: [String], timeLimit: Double, confinement: Confinement,
        say: (String) -> Void = { print($0) }
    ) throws(SubmissionError) -> [(file: String, error: String)] {
        var remaining = taken
        var putBack: [(file: String, error: String)] = []
        defer { SolutionSources.forget(kit) }  // a file put back is a stub again
        while true {
            say("  building\(confinement.sandboxed ? " in a sandbox" : "") …")
            let built = confinement.build(kit, timeLimit: timeLimit)
            let build = built.run
            if built.stragglers > 0 { say("  the build left \(built.stragglers) processes running; killed") }
            if build.ending == .exited(0) { return putBack }
            if build.ending == .timedOut {
                throw SubmissionError(
                    "the build ran past its time limit of \(Int(timeLimit)) s (every process of it was stopped)")
            }
            if case .notStarted(let why) = build.ending { throw SubmissionError("the build could not start: \(why)") }
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

    /// What was taken, what was not, and why.
    static func notes(_ submission: Submission, path: URL, uncompiled: [(file: String, error: String)]) -> String {
        var lines = ["Submission \(path.path):"]
        let written = submission.changed.filter { file in !uncompiled.contains { $0.file == file } }
        lines.append(
            "  graded from the submission: its \(submission.taken.count) piece files, of which these differ from the kit: "
                + (written.isEmpty ? "none" : ""))
        lines += written.map { "    \($0)" }
        for skipped in submission.skipped {
            lines.append("  left out unread (larger than \(Confinement.fileLimit >> 20) MB): \(skipped)")
        }
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
