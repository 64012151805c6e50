import CommandLineOptions
import Dispatch
import Foundation
import Learn
import LearnCourse

/// `Course grade --class DIR --csv FILE [--jobs N]`: every submission in a folder graded
/// as `--submission` grades one (``GradeSubmission``), into one gradebook (``Gradebook``).
///
/// Each job keeps one copy of this package and its build for all the submissions it
/// grades, so a submission rebuilds only what it changes. A submission that cannot be
/// read, does not build or runs past its time limit gets a row saying so, and the run
/// goes on. The gradebook is rewritten after every student, so an interrupted run
/// resumes where it stopped: a student with a row is not graded again.
enum GradeClass {
    /// One entry of the folder: a student's package folder, `.zip` or `.tar.gz`.
    struct Entry: Sendable {
        var student: String
        var path: URL
    }

    /// The submissions in `directory`, by student: the entry's name without its extension.
    static func entries(in directory: URL) throws(UsageError) -> [Entry] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else {
            throw UsageError(message: "--class \(directory.path) is not a folder that can be read")
        }
        var entries: [Entry] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            var student = name
            for suffix in [".tar.gz", ".tgz", ".zip"] where name.lowercased().hasSuffix(suffix) {
                student = String(name.dropLast(suffix.count))
            }
            entries.append(Entry(student: student, path: directory.appendingPathComponent(name)))
        }
        let ids = entries.map(\.student)
        if let twice = ids.first(where: { id in ids.filter { $0 == id }.count > 1 }) {
            throw UsageError(message: "--class \(directory.path) has two submissions for \(twice)")
        }
        return entries
    }

    /// Grades every submission in `directory` not yet in `csv`; returns the exit status
    /// (0 when every submission was graded, 1 otherwise).
    static func run(
        _ directory: URL, csv given: String, jobs: Int, checks: [GradedCheck], hidden: URL?, sandboxed: Bool,
        buildLimit: Double?
    ) -> Int32 {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard jobs <= cores else {
            printError(
                "Course grade: --jobs \(jobs) is more than this machine's \(cores) cores (each job builds and trains; "
                    + "more at once only slows each down and can exhaust memory)")
            return 2
        }
        // Absolute, as the copies' builds and the child processes run elsewhere.
        let csvURL = URL(fileURLWithPath: given).standardizedFileURL
        let csv = csvURL.path
        var book = Gradebook(checks: checks)
        let entries: [Entry]
        do {
            entries = try Self.entries(in: directory)
            if FileManager.default.fileExists(atPath: csv) { try book.resume(from: csvURL) }
        } catch {
            printError("Course grade: \(error)")
            return 1
        }
        for (student, reason) in book.setAside {
            print("The earlier run's row of \(student) is set aside and graded again: \(reason).")
        }
        let todo = entries.filter { !book.students.contains($0.student) }
        let work = URL(fileURLWithPath: csv + ".build")
        guard
            let confinementLine = GradeSubmission.selfTest(
                Confinement(sandboxed: sandboxed, job: 1, jobs: jobs),
                kit: work.appendingPathComponent("package-1"), hidden: hidden, submissions: directory)
        else { return 1 }
        print(confinementLine)
        print(
            "Grading \(todo.count) of \(entries.count) submissions in \(directory.path) into \(csv)"
                + (todo.count < entries.count ? " (\(entries.count - todo.count) graded before)" : "")
                + ", \(jobs) at a time …")
        fflush(nil)  // nil flushes every stream; stdout itself is not concurrency-safe to name
        // The copies and their builds, kept beside the gradebook for the next run.
        let roster = Roster(book: book, todo: todo)
        let start = Date()
        DispatchQueue.concurrentPerform(iterations: min(jobs, max(todo.count, 1))) { slot in
            let kit = work.appendingPathComponent("package-\(slot + 1)")
            let confinement = Confinement(sandboxed: sandboxed, job: slot + 1, jobs: jobs)
            while let entry = roster.next() {
                let graded = grade(
                    entry, kit: kit, scratchIn: work, checks: checks, hidden: hidden, confinement: confinement,
                    buildLimit: buildLimit)
                // The student's full report, with every reason, beside the gradebook.
                let reports = work.appendingPathComponent("reports")
                try? FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
                try? TextFile.write(graded.text, to: reports.appendingPathComponent("\(entry.student).txt").path)
                roster.record(graded.row, csv: csv, checks: checks)
            }
        }
        let failures = roster.failures
        let seconds = Date().timeIntervalSince(start)
        if !todo.isEmpty {
            print(
                "\(todo.count) submissions in \(String(format: "%.0f", seconds)) s "
                    + "(\(String(format: "%.1f", seconds / Double(todo.count))) s each); the gradebook is \(csv)")
        }
        return failures == 0 ? 0 : 1
    }

    /// One submission graded in a copy of this package that is kept for the next: what
    /// `--class` does per student and `gradescope --run` per submission.
    struct Graded {
        /// The gradebook's row: status, reason, each check's outcome.
        var row: Gradebook.Row
        /// The report's text, as `grade` prints it; nil when the checks did not run.
        var report: String?
        /// `Pieces written: k of n.`, the next piece and how to check it (`Piece.progress(inPackage:)`).
        var progress: [String] = []
        /// What was taken from the submission and what was not (``GradeSubmission/notes(_:path:uncompiled:)``).
        var notes: String?
        /// The piece files that did not compile, each with its first compiler error.
        var uncompiled: [(file: String, error: String)] = []

        /// The report, the progress lines and the notes, as the student's report file holds them.
        var text: String {
            ([report ?? "Not graded (\(row.status.rawValue)): \(row.reason)"] + progress).joined(separator: "\n")
                + (notes.map { "\n\n" + $0 } ?? "") + "\n"
        }
    }

    /// One submission, start to end, in the copy `kit` (made on first use), unpacked in
    /// a fresh folder in `scratchIn` that goes when it is graded. `buildLimit` is the
    /// build's time limit (default: ``GradeSubmission/buildLimits``).
    static func grade(
        _ entry: Entry, kit: URL, scratchIn: URL, checks: [GradedCheck], hidden: URL?, confinement: Confinement,
        buildLimit: Double? = nil
    ) -> Graded {
        let start = Date()
        func row(_ status: Gradebook.Status, _ reason: String, _ outcomes: [GradedOutcome] = []) -> Gradebook.Row {
            Gradebook.Row(
                student: entry.student, status: status, reason: reason, outcomes: outcomes,
                seconds: Date().timeIntervalSince(start))
        }
        let submission: Submission
        let fresh = !FileManager.default.fileExists(atPath: kit.appendingPathComponent(".build/release/Course").path)
        do {
            if !FileManager.default.fileExists(atPath: kit.appendingPathComponent("Package.swift").path) {
                try TextFile.createDirectory(kit.deletingLastPathComponent().path)
                try StarterKit.write(from: PackageDirectory.root, to: kit, assignment: Grade.assignment(of: checks))
            }
            try TextFile.createDirectory(scratchIn.path)
            let scratch = try PrivateFolder(prefix: "unpacked", in: scratchIn)
            defer { scratch.remove() }
            submission = try GradeSubmission.take(
                entry.path, into: kit, unpacking: scratch.url.appendingPathComponent("submission"),
                confinement: confinement)
        } catch {
            return Graded(row: row(.unreadable, "\(error)"))
        }
        let uncompiled: [(file: String, error: String)]
        do {
            let limits = GradeSubmission.buildLimits
            uncompiled = try GradeSubmission.build(
                kit, taken: submission.taken, timeLimit: buildLimit ?? (fresh ? limits.fresh : limits.incremental),
                confinement: confinement
            ) { _ in }
        } catch {
            let status: Gradebook.Status = "\(error)".contains("time limit") ? .timedOut : .didNotBuild
            return Graded(row: row(status, "\(error)"))
        }
        let options = GradingOptions(
            package: kit, fixtures: PackageDirectory.root.appendingPathComponent("Fixtures/cases"), hidden: hidden)
        let outcomes = Grade.grade(checks, options: options, log: { _ in }, answerer: confinement.answerer(kit: kit))
        let reason = uncompiled.map { "\($0.file) does not compile (graded as unwritten): \($0.error)" }
        let report = GradeReport(
            checks: checks, outcomes: outcomes, caseProblems: GradingCatalogue.caseProblems(options))
        return Graded(
            row: row(.graded, reason.joined(separator: "; "), outcomes), report: report.text(hidden: hidden),
            progress: Piece.progress(inPackage: kit, assignment: Grade.assignment(of: checks)),
            notes: GradeSubmission.notes(submission, path: entry.path, uncompiled: uncompiled),
            uncompiled: uncompiled)
    }
}

/// What the jobs of `Course grade --class` share — the next submission, the gradebook —
/// behind one lock.
final class Roster: @unchecked Sendable {
    private let lock = NSLock()
    private var book: Gradebook
    private let todo: [GradeClass.Entry]
    private var taken = 0
    private var finished = 0
    private var failed = 0

    init(book: Gradebook, todo: [GradeClass.Entry]) {
        (self.book, self.todo) = (book, todo)
    }

    /// The next submission to grade, if any is left.
    func next() -> GradeClass.Entry? {
        lock.withLock {
            defer { taken += 1 }
            return taken < todo.count ? todo[taken] : nil
        }
    }

    /// Adds `row`, rewrites the gradebook and prints the student's line.
    func record(_ row: Gradebook.Row, csv: String, checks: [GradedCheck]) {
        lock.withLock {
            book.append(row)
            finished += 1
            if row.status != .graded { failed += 1 }
            do {
                try book.table.write(to: csv)
            } catch {
                printError("Course grade: \(error)")
            }
            print(
                "  [\(finished)/\(todo.count)] \(row.student): \(row.status.rawValue), "
                    + "\(row.points(of: checks))/\(checks.reduce(0) { $0 + $1.points }) points "
                    + "(\(String(format: "%.0f", row.seconds)) s)"
                    + (row.status == .graded ? "" : " — \(row.reason.prefix(160))"))
            fflush(nil)  // progress, also when the output is a file
        }
    }

    /// The submissions that could not be graded so far.
    var failures: Int { lock.withLock { failed } }
}
