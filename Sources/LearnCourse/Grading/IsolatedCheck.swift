import Foundation
import Learn

/// Runs a graded check with its pieces in a child process under its time limit, so that
/// a check which crashes (a stub's `unimplemented`, a trap in the student's code) or
/// hangs costs its own points and nothing else — and judges it here, where the
/// student's code does not run.
///
/// This process asks (``GradedWork``): the question — inputs, never expected values —
/// is the child's standard input, and the child's standard output is its evidence
/// (``ChildProcess``: files only this process can open). Nothing the child leaves
/// anywhere else is read back: a verdict it prints among its answers, or writes to a
/// file, is only more evidence to judge. Without readable evidence the check loses all
/// its points with the reason: the signal and the `Fatal error` line of a crash, the
/// exit status, or the time limit. When someone else's code is graded the child runs
/// in a ``Sandbox``.
public enum IsolatedCheck {
    /// The most evidence a child may give (the largest, a case check's, is a few MB).
    public static let evidenceLimit = 256 << 20

    /// Who answers a check's question: a process started for it.
    public struct Answerer: Sendable {
        /// Runs the answering process for `check` with `question` as its input.
        let run: @Sendable (_ check: GradedCheck, _ question: Data) -> Sandbox.Outcome

        /// `executable arguments(check)…` started directly, with `environment` added to
        /// this process's: for code that is the grader's own (a kit graded by its student,
        /// the catalogue's mistakes).
        public static func process(
            _ executable: URL, arguments: @escaping @Sendable (GradedCheck) -> [String],
            environment: [String: String] = [:]
        ) -> Answerer {
            Answerer { check, question in
                let run = ChildProcess.run(
                    executable, arguments(check), environment: .inherited(adding: environment), input: question,
                    timeLimit: check.timeLimit, outputLimit: evidenceLimit)
                return Sandbox.Outcome(run: run, stragglers: run.stragglers)
            }
        }

        /// `executable arguments(check)…` in `box`: for a student's build graded by someone else.
        public static func sandboxed(
            _ box: Sandbox, executable: String, arguments: @escaping @Sendable (GradedCheck) -> [String]
        ) -> Answerer {
            Answerer { check, question in
                box.run(
                    executable, arguments(check), input: question, timeLimit: check.timeLimit,
                    outputLimit: evidenceLimit)
            }
        }

        /// This grader's build (`Course grade --answer-check ID`) answering with its own pieces.
        public static func course(_ executable: URL, environment: [String: String] = [:]) -> Answerer {
            process(executable, arguments: { ["grade", "--answer-check", $0.id] }, environment: environment)
        }
    }

    /// Where the evidence is judged.
    public enum Judging: Sendable {
        /// In this process.
        case here
        /// In a process of this grader's own build — `arguments` its command line for the
        /// question and evidence files, which it reads from this process's private folder;
        /// its verdict is its standard output — so that a judgement that runs the library
        /// (a trained model measured, a game played on) cannot take the grader down with
        /// it when the library is a student's (`Course grade` in a kit).
        case process(URL, arguments: @Sendable (_ question: URL, _ evidence: URL) -> [String])
    }

    /// Asks `check`'s question, has `answerer` answer it, and judges the answer.
    public static func run(
        _ check: GradedCheck, options: GradingOptions, answerer: Answerer, judging: Judging = .here
    ) -> GradedOutcome {
        let start = Date()
        func lost(_ reason: String) -> GradedOutcome {
            GradedOutcome(check: check, lostBecause: reason, seconds: Date().timeIntervalSince(start))
        }
        if let message = Piece.unwrittenMessage(check.pieces, inPackage: options.package) { return lost(message) }
        let question: Data
        do {
            question = try check.work.ask(options)
        } catch {
            return lost("could not be run: \(error)")
        }
        let answered = answerer.run(check, question)
        let child = answered.run
        var outcome: GradedOutcome
        switch child.ending {
        case .notStarted(let why): outcome = lost("could not be started: \(why)")
        case .timedOut: outcome = lost("stopped after its time limit of \(String(format: "%g", check.timeLimit)) s")
        case .exited, .signalled:
            if child.outputTruncated {
                outcome = lost("gave more than \(evidenceLimit >> 20) MB of evidence")
            } else if child.outputData.isEmpty {
                outcome = lost(how(child.ending) + " without an answer" + lastWords(child.errors))
            } else {
                outcome = judge(check, question: question, evidence: child.outputData, options: options, judging)
                outcome.seconds = Date().timeIntervalSince(start)
            }
        }
        if answered.stragglers > 0 { outcome.stragglers = answered.stragglers }
        return outcome
    }

    /// Judges `evidence` as `judging` says.
    static func judge(
        _ check: GradedCheck, question: Data, evidence: Data, options: GradingOptions, _ judging: Judging
    ) -> GradedOutcome {
        func lost(_ reason: String) -> GradedOutcome { GradedOutcome(check: check, lostBecause: reason, seconds: 0) }
        switch judging {
        case .here:
            do {
                return GradedOutcome(
                    check: check, deductions: try check.work.judge(question, evidence, options), seconds: 0)
            } catch {
                return lost("\(error)")
            }
        case .process(let judge, let arguments):
            let files: (question: URL, evidence: URL)
            let folder: PrivateFolder
            do {
                folder = try PrivateFolder(prefix: "learn-judge")
                files = (
                    try folder.write(question, as: "question.json"), try folder.write(evidence, as: "evidence.json")
                )
            } catch {
                return lost("could not be judged: \(error)")
            }
            defer { folder.remove() }
            let judged = ChildProcess.run(
                judge, arguments(files.question, files.evidence), timeLimit: check.timeLimit, outputLimit: 1 << 20)
            if case .timedOut = judged.ending {
                return lost("its judgement stopped after the time limit of \(String(format: "%g", check.timeLimit)) s")
            }
            guard let deductions = try? Exchange.decode([Deduction].self, judged.outputData) else {
                return lost("its judgement \(how(judged.ending)) without a verdict" + lastWords(judged.errors))
            }
            return GradedOutcome(check: check, deductions: deductions, seconds: 0)
        }
    }

    /// How a process ended, as the reasons say it.
    static func how(_ ending: ChildProcess.Ending) -> String {
        switch ending {
        case .signalled(let signal): "crashed (signal \(signal))"
        case .exited(let status): "exited with status \(status)"
        case .timedOut: "was stopped at its time limit"
        case .notStarted(let why): "could not be started (\(why))"
        }
    }

    /// The child's side: answers the question on standard input with this process's
    /// pieces and gives the evidence on standard output. What the pieces print goes to
    /// standard error, so it cannot mix with the evidence. Throws when the question
    /// cannot be read or the pieces cannot answer it.
    public static func answer(_ check: GradedCheck) throws {
        let evidence = StandardStreams.takeOutput()
        let asked = FileHandle.standardInput.readDataToEndOfFile()
        try StandardStreams.give(try check.work.answer(asked), to: evidence)
    }

    /// The judge's side: judges the evidence in `evidence` for the question in
    /// `question` and gives the deductions on standard output — all points lost, with
    /// the reason, when the evidence does not stand up.
    public static func judge(_ check: GradedCheck, question: URL, evidence: URL, options: GradingOptions) throws {
        let verdict = StandardStreams.takeOutput()
        let deductions: [Deduction]
        do {
            deductions = try check.work.judge(try Data(contentsOf: question), try Data(contentsOf: evidence), options)
        } catch {
            deductions = [Deduction(points: check.points, reason: "\(error)")]
        }
        try StandardStreams.give(try Exchange.encode(deductions), to: verdict)
    }

    /// The message a crash left (a `fatalError`, a failed precondition), if any: printable
    /// characters only, at most 300 of them (a flood of output is not a message).
    static func lastWords(_ errors: String) -> String {
        let lines = errors.split(separator: "\n").map { line in
            String(String.UnicodeScalarView(line.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7f }))
                .trimmingCharacters(in: .whitespaces).prefix(300)
        }.map(String.init)
        if let fatal = lines.first(where: { $0.contains("Fatal error") || $0.contains("Precondition failed") }) {
            return ": " + fatal
        }
        return lines.last.map { ": " + $0 } ?? ""
    }
}

/// A process's answer channel: its standard output, kept for the answer alone.
enum StandardStreams {
    /// Moves standard output to a descriptor of its own and points descriptor 1 at
    /// standard error, so that whatever else the process prints goes there; returns
    /// the descriptor the answer goes to.
    static func takeOutput() -> Int32 {
        fflush(nil)
        let channel = dup(1)
        dup2(2, 1)
        return channel
    }

    /// Writes `data` to `channel` and closes it.
    static func give(_ data: Data, to channel: Int32) throws {
        guard PrivateFolder.write(data, to: channel) else {
            throw GradingError(problem: "the answer could not be written: \(String(cString: strerror(errno)))")
        }
        close(channel)
    }
}
