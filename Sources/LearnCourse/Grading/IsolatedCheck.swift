import Foundation
import Learn

/// Runs a graded check with its pieces in a child process under its time limit, so that
/// a check which crashes (a stub's `unimplemented`, a trap in the student's code) or
/// hangs costs its own points and nothing else — and judges it here, where the
/// student's code does not run.
///
/// This process asks (``GradedWork``): it writes the question — inputs, never expected
/// values — to a file, starts the child to answer it (`Course grade --answer-check ID
/// --question FILE --evidence FILE` does, through ``answer(_:question:evidence:)``),
/// and judges the evidence the child wrote. Whatever the child prints is ignored, a
/// forged verdict included. Without readable evidence the check loses all its points
/// with the reason: the signal and the `Fatal error` line of a crash, the exit status,
/// or the time limit.
public enum IsolatedCheck {
    /// The most evidence a child may write (the largest, a case check's, is a few MB).
    public static let evidenceLimit = 256 << 20

    /// Where the evidence is judged.
    public enum Judging {
        /// In this process.
        case here
        /// In a process of this grader's own build — `arguments` its command line for the
        /// question, evidence and verdict files — so that a judgement that runs the
        /// library (a trained model measured, a game played on) cannot take the grader
        /// down with it when the library is a student's (`Course grade` in a kit).
        case process(URL, arguments: (_ question: URL, _ evidence: URL, _ verdict: URL) -> [String])
    }

    /// Asks `check`'s question, has `executable` answer it, and judges the answer.
    /// `arguments` gives the child's command line for the question and evidence files,
    /// written in `exchange` (a directory the child can read and write); `environment`
    /// adds to (or overrides) the variables the child inherits.
    public static func run(
        _ check: GradedCheck, options: GradingOptions, executable: URL,
        arguments: (_ question: URL, _ evidence: URL) -> [String], exchange: URL,
        environment: [String: String] = [:], judging: Judging = .here
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
        let questionFile = exchange.appendingPathComponent("\(check.id).question.json")
        let evidenceFile = exchange.appendingPathComponent("\(check.id).evidence.json")
        do {
            try? FileManager.default.removeItem(at: evidenceFile)
            try question.write(to: questionFile)
        } catch {
            return lost("could not be run: cannot write its question to \(questionFile.path): \(error)")
        }
        defer { for file in [questionFile, evidenceFile] { try? FileManager.default.removeItem(at: file) } }
        let child = ChildProcess.run(
            executable, arguments(questionFile, evidenceFile), environment: environment, timeLimit: check.timeLimit)
        switch child.ending {
        case .notStarted(let why): return lost("could not be started: \(why)")
        case .timedOut: return lost("stopped after its time limit of \(String(format: "%g", check.timeLimit)) s")
        case .exited, .signalled: break
        }
        if let evidence = readEvidence(evidenceFile) {
            switch judging {
            case .here:
                do {
                    let deductions = try check.work.judge(question, evidence, options)
                    return GradedOutcome(
                        check: check, deductions: deductions, seconds: Date().timeIntervalSince(start))
                } catch {
                    return lost("\(error)")
                }
            case .process(let judge, let judgeArguments):
                let verdictFile = exchange.appendingPathComponent("\(check.id).verdict.json")
                try? FileManager.default.removeItem(at: verdictFile)
                defer { try? FileManager.default.removeItem(at: verdictFile) }
                let judged = ChildProcess.run(
                    judge, judgeArguments(questionFile, evidenceFile, verdictFile), timeLimit: check.timeLimit)
                if case .timedOut = judged.ending {
                    return lost(
                        "its judgement stopped after the time limit of \(String(format: "%g", check.timeLimit)) s")
                }
                guard let verdict = FileManager.default.contents(atPath: verdictFile.path),
                    let deductions = try? Exchange.decode([Deduction].self, verdict)
                else {
                    return lost("its judgement \(how(judged.ending)) without a verdict" + lastWords(judged.errors))
                }
                return GradedOutcome(check: check, deductions: deductions, seconds: Date().timeIntervalSince(start))
            }
        }
        return lost(how(child.ending) + " without an answer" + lastWords(child.errors))
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

    /// The child's side: answers the question in `question` with this process's pieces
    /// and writes the evidence to `evidence`. Throws when the question cannot be read or
    /// the pieces cannot answer it.
    public static func answer(_ check: GradedCheck, question: URL, evidence: URL) throws {
        let asked = try Data(contentsOf: question)
        try check.work.answer(asked).write(to: evidence)
    }

    /// The judge's side: judges the evidence in `evidence` for the question in
    /// `question` and writes the deductions to `verdict` — all points lost, with the
    /// reason, when the evidence does not stand up.
    public static func judge(
        _ check: GradedCheck, question: URL, evidence: URL, verdict: URL, options: GradingOptions
    ) throws {
        let deductions: [Deduction]
        do {
            guard let given = readEvidence(evidence) else { throw GradingError(problem: "the evidence is too large") }
            deductions = try check.work.judge(try Data(contentsOf: question), given, options)
        } catch {
            deductions = [Deduction(points: check.points, reason: "\(error)")]
        }
        try Exchange.encode(deductions).write(to: verdict)
    }

    /// The evidence file's bytes, if there is one of a sensible size.
    static func readEvidence(_ file: URL) -> Data? {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.size] as? Int,
            size <= evidenceLimit
        else { return nil }
        return FileManager.default.contents(atPath: file.path)
    }

    /// The message a crash left (a `fatalError`, a failed precondition), if any.
    static func lastWords(_ errors: String) -> String {
        let lines = errors.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        if let fatal = lines.first(where: { $0.contains("Fatal error") || $0.contains("Precondition failed") }) {
            return ": " + fatal
        }
        return lines.last.map { ": " + $0 } ?? ""
    }
}
