import Foundation
import CommandLineOptions
import Learn
import LearnCourse

/// `Course grade [--assignment 2|3] [--hidden DIR] [--only ID,…] [--json FILE]`: runs
/// every check of the assignment (``GradingCatalogue``) and prints the points per task —
/// Assignment 3: Part I 40, Part II 60; Assignment 2: Part I 30, Part III 40 — with the
/// reason for every lost point.
///
/// Each check's pieces run in a process of its own (this executable, `grade
/// --answer-check ID`) under its time limit, so a check that crashes (a stub's
/// `unimplemented`, a trap) or hangs costs its own points only and the report is always
/// complete; that process is given the check's inputs and its answer is judged here
/// (``IsolatedCheck``).
enum Grade {
    static let name = "grade"
    static let summary = "runs an assignment's graded checks and prints the points with reasons"

    static let hidden = Option<String>.text(
        "--hidden", "DIR", summary: "also grade the (instructor's) hidden cases under DIR")
    static let fixtures = Option<String>.text(
        "--fixtures", "DIR", summary: "the visible cases (default: the package's Fixtures/cases)")
    static let only = Option<String>.text("--only", "ID,…", summary: "run only these checks (ids as in the report)")
    static let json = Option<String>.text("--json", "FILE", summary: "also write every outcome to FILE as JSON")
    static let answerCheck = Option<String>.text(
        "--answer-check", "ID", summary: "(internal) answer one check's question with this build's pieces")
    static let question = Option<String>.text("--question", "FILE", summary: "(internal) the question to answer")
    static let evidence = Option<String>.text("--evidence", "FILE", summary: "(internal) the answer's file")
    static let judgeCheck = Option<String>.text(
        "--judge-check", "ID", summary: "(internal) judge one check's answer with this build")
    static let classDirectory = Option<String>.text(
        "--class", "DIR", summary: "grade every submission in DIR (folders, .zip, .tar.gz) into a gradebook")
    static let csv = Option<String>.text("--csv", "FILE", summary: "with --class: the gradebook (resumed if it exists)")
    static let jobs = Option<Int>.integer(
        "--jobs", "N", in: 1...64, summary: "with --class: submissions at a time (default 1)")
    static let submission = Option<String>.text(
        "--submission", "PATH", summary: "grade a student's folder, .zip or .tar.gz in a pristine copy of this package")
    static let noSandbox = Option<Bool>.flag(
        "--no-sandbox", summary: "with --submission or --class: run the code unconfined (only code you trust)")
    static let buildLimit = Option<Double>.number(
        "--build-limit", "SECONDS", in: 10...7200,
        summary: "with --submission or --class: a build's time limit (default 900 from scratch, 300 after)")

    static var helpText: String {
        """
        usage: Course grade [--assignment 2|3] [--hidden DIR] [--fixtures DIR] [--only ID,…] [--json FILE]
               Course grade --submission PATH [--assignment 2|3] [--hidden DIR] [--only ID,…] [--json FILE]
               Course grade --class DIR --csv FILE [--assignment 2|3] [--jobs N] [--hidden DIR] [--only ID,…]

        Runs every graded check — reference cases against PyTorch's values, finite-
        difference gradient checks, seeded training runs — and prints, task by task,
        the points earned, and for every point lost the reason: which case, which
        tensor, the worst element's values and relative error against the tolerance.

        --assignment chooses the assignment: 3 (Part I 40, Part II 60) or 2 (Part I 30,
        Part III 40; its Part II, the CNN, is not taught yet). In a starter kit the
        default is the kit's own assignment, elsewhere 3. Assignment 2's check ids
        start with "a2.".

        Each check runs in a process of its own with a time limit: one that crashes or
        hangs loses its own points and nothing else. A piece still stubbed in the
        starter kit loses its checks' points as "not implemented yet".

        Hidden cases (--hidden) are graded with the visible ones by the checks of their
        kind; a failing hidden case is named as hidden, and the report never says that
        everything passed while one failed.

        With --submission, run in the instructor's package: a student's package (a
        folder, .zip or .tar.gz) is graded in a fresh starter kit of this package into
        which only the files that hold pieces are copied; every other file of the
        submission — the grading catalogue, tests, fixtures — is ignored and listed. A
        piece file that does not compile is graded as unwritten (its compiler error is
        shown) and the rest is graded.

        Someone else's code is unpacked, built and run in a sandbox (run as root): a
        PID, mount and network namespace of its own, a user of its own without
        privileges, a private read-only root that holds the system and the built
        program but no case file, no source and nothing of the grader's, and limits on
        memory, CPU, processes, file size and time; when a check or a build ends, every
        process it started ends with it. A self-test proves the sandbox holds before
        anything is graded; where it cannot be made the grading is refused, unless
        --no-sandbox says the code is trusted (the report then says it was not
        sandboxed).

        With --class, every entry of DIR — a student's folder, .zip or .tar.gz, named
        for the student — is graded so, into the gradebook FILE: one row per student
        with each part's points, the total, each check's points and a status (graded,
        unreadable, did-not-build, timed-out) with the reason. Each job keeps one copy
        of this package and its build (in FILE.build), so a submission rebuilds only
        what it changes; the gradebook is rewritten after every student, and a run
        started again skips the students it already has.

        options:
        \([Option<Bool>.help.help, AssignmentOption.option.help, hidden.help, fixtures.help, only.help, json.help, submission.help, classDirectory.help, csv.help, jobs.help, noSandbox.help, buildLimit.help].map(\.line).joined(separator: "\n"))

        exit status: 0 every check passed, 1 points were lost, 2 the command line was wrong.
        """
    }

    /// Runs the command on the words after `grade`; returns the exit status.
    static func main(_ words: [String]) -> Int32 {
        if words.contains("--help") || words.contains("-h") {
            print(helpText)
            return 0
        }
        let options: GradingOptions
        let assignment: Assignment
        let checks: [GradedCheck]
        let jsonFile: String?
        let childCheck: GradedCheck?
        let judgedCheck: GradedCheck?
        let exchange: (question: String, evidence: String)?
        let submitted: String?
        let sandboxed: Bool
        let buildLimitGiven: Double?
        let classwork: (directory: String, csv: String, jobs: Int)?
        do {
            let arguments = try Arguments(
                words,
                accepting: [Option<Bool>.help.help, AssignmentOption.option.help]
                    + [
                        hidden, fixtures, only, json, answerCheck, judgeCheck, question, evidence, submission,
                        classDirectory, csv,
                    ].map(\.help) + [jobs.help, noSandbox.help, buildLimit.help])
            submitted = try arguments.value(submission)
            sandboxed = !arguments.isSet(noSandbox)
            buildLimitGiven = try arguments.value(buildLimit)
            let (fixturesGiven, childGiven) = (
                try arguments.value(fixtures) != nil, try arguments.value(answerCheck) != nil
            )
            if submitted != nil && (fixturesGiven || childGiven) {
                throw UsageError(message: "--submission grades with this package's own cases: no --fixtures")
            }
            switch (try arguments.value(classDirectory), try arguments.value(csv)) {
            case (let directory?, let csv?):
                let jsonGiven = try arguments.value(json) != nil
                if submitted != nil || fixturesGiven || childGiven || jsonGiven {
                    throw UsageError(message: "--class goes with --csv, --jobs, --hidden and --only only")
                }
                classwork = (directory, csv, try arguments.value(jobs) ?? 1)
            case (nil, nil):
                if try arguments.value(jobs) != nil { throw UsageError(message: "--jobs goes with --class") }
                classwork = nil
            default:
                throw UsageError(message: "--class DIR and --csv FILE go together")
            }
            options = GradingOptions(
                fixtures: try directory(arguments.value(fixtures)), hidden: try directory(arguments.value(hidden)))
            assignment = try AssignmentOption.value(arguments)
            checks = try selectedChecks(arguments.value(only), of: assignment)
            jsonFile = try arguments.value(json)
            childCheck = try arguments.value(answerCheck).map { id throws(UsageError) in try check(id) }
            switch (try arguments.value(question), try arguments.value(evidence)) {
            case (let q?, let e?): exchange = (q, e)
            case (nil, nil): exchange = nil
            default: throw UsageError(message: "--question and --evidence go together")
            }
            judgedCheck = try arguments.value(judgeCheck).map { id throws(UsageError) in try check(id) }
            guard childCheck == nil || judgedCheck == nil, (judgedCheck != nil) == (exchange != nil) else {
                throw UsageError(message: "--judge-check needs --question and --evidence; --answer-check takes neither")
            }
            if submitted == nil && classwork == nil && (!sandboxed || buildLimitGiven != nil) {
                throw UsageError(message: "--no-sandbox and --build-limit go with --submission or --class")
            }
        } catch {
            printError("Course grade: \(error) (see Course grade --help)")
            return 2
        }
        if let classwork {
            return GradeClass.run(
                URL(fileURLWithPath: classwork.directory), csv: classwork.csv, jobs: classwork.jobs, checks: checks,
                hidden: options.hidden, sandboxed: sandboxed, buildLimit: buildLimitGiven)
        }
        if let submitted {
            return GradeSubmission.run(
                URL(fileURLWithPath: submitted), checks: checks, hidden: options.hidden, json: jsonFile,
                confinement: Confinement(sandboxed: sandboxed), buildLimit: buildLimitGiven)
        }
        if let childCheck {
            // The child's one job: answer the question on its standard input with this
            // build's pieces, on its standard output.
            do {
                try IsolatedCheck.answer(childCheck)
                return 0
            } catch {
                printError("Course grade: \(childCheck.id) could not be answered: \(error)")
                return 1
            }
        }
        if let judgedCheck, let exchange {
            // A judge's one job: judge the answer with this build's code; the verdict on
            // standard output.
            do {
                try IsolatedCheck.judge(
                    judgedCheck, question: URL(fileURLWithPath: exchange.question),
                    evidence: URL(fileURLWithPath: exchange.evidence), options: options)
                return 0
            } catch {
                printError("Course grade: \(judgedCheck.id) could not be judged: \(error)")
                return 1
            }
        }
        print("Grading \(checks.count) checks of \(assignment) (each in its own process, with a time limit) …")
        return report(
            checks, assignment: assignment, options: options, json: jsonFile, answerer: .course(executable))
    }

    /// Grades `checks` (``grade(_:options:environment:command:)``), prints the report
    /// and then `notes`, writes the outcomes to `json`; returns the exit status.
    static func report(
        _ checks: [GradedCheck], assignment: Assignment, options: GradingOptions, json: String?,
        notes: String? = nil, answerer: IsolatedCheck.Answerer
    ) -> Int32 {
        let outcomes = grade(checks, options: options, answerer: answerer)
        let report = GradeReport(
            checks: checks, outcomes: outcomes, caseProblems: GradingCatalogue.caseProblems(options))
        print()
        print(report.text(hidden: options.hidden))
        let progress = Piece.progress(inPackage: options.package, assignment: assignment)
        if !progress.isEmpty { print(progress.joined(separator: "\n")) }
        if let notes {
            print()
            print(notes)
        }
        if let json, !writeJSON(outcomes, to: json, command: "Course grade") { return 1 }
        return report.allPassed ? 0 : 1
    }

    /// Runs `checks`, each answered by `answerer` and judged in a process of this
    /// build; prints a line per check as it ends.
    static func grade(
        _ checks: [GradedCheck], options: GradingOptions, log: (String) -> Void = { print($0) },
        answerer: IsolatedCheck.Answerer
    ) -> [GradedOutcome] {
        var judgeOptions = ["--fixtures", options.fixtures.path]
        if let hidden = options.hidden { judgeOptions += ["--hidden", hidden.path] }
        var outcomes: [GradedOutcome] = []
        for (k, check) in checks.enumerated() {
            let outcome = IsolatedCheck.run(
                check, options: options, answerer: answerer,
                judging: .process(executable) { [judgeOptions] question, evidence in
                    ["grade", "--judge-check", check.id, "--question", question.path, "--evidence", evidence.path]
                        + judgeOptions
                })
            outcomes.append(outcome)
            let mark = outcome.passed ? "✓" : "✗"
            log(
                "  [\(k + 1)/\(checks.count)] \(mark) \(outcome.earned)/\(check.points)  \(check.id)"
                    + "  (\(String(format: "%.1f", outcome.seconds)) s)")
        }
        return outcomes
    }

    /// The assignment `checks` are of (``selectedChecks(_:of:)`` takes them from one).
    static func assignment(of checks: [GradedCheck]) -> Assignment {
        checks.first?.task.assignment ?? .standard
    }

    /// This executable, started again as `grade --answer-check ID` for each check.
    static var executable: URL {
        let proc = URL(fileURLWithPath: "/proc/self/exe")
        if FileManager.default.fileExists(atPath: proc.path) { return proc.resolvingSymlinksInPath() }
        return URL(fileURLWithPath: CommandLine.arguments[0])
    }

    static func directory(_ path: String?) throws(UsageError) -> URL? {
        try path.map { path throws(UsageError) in try Verify.caseDirectory(URL(fileURLWithPath: path)) }
    }

    static func check(_ id: String) throws(UsageError) -> GradedCheck {
        guard let check = GradingCatalogue.check(id: id) else {
            throw UsageError(message: "no check '\(id)' (the ids are the bracketed names in Course grade's report)")
        }
        return check
    }

    /// The checks `--only` names, all of `assignment` (by default every check of it); a
    /// list that names none (`--only ,`) is a mistake, not an empty run that would report
    /// "Every check passed".
    static func selectedChecks(_ list: String?, of assignment: Assignment) throws(UsageError) -> [GradedCheck] {
        guard let list else { return GradingCatalogue.checks(for: assignment) }
        let ids = list.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard !ids.contains(where: \.isEmpty) else {
            throw UsageError(message: "--only needs check ids separated by commas, got '\(list)'")
        }
        let checks = try ids.map { id throws(UsageError) in try check(id) }
        if let other = checks.first(where: { $0.task.assignment != assignment }) {
            throw UsageError(
                message: "\(other.id) is a check of \(other.task.assignment), not of \(assignment): "
                    + "add --assignment \(other.task.assignment.rawValue)")
        }
        return checks
    }
}
