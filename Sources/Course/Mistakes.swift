import CommandLineOptions
import Foundation
import Learn
import LearnCourse

/// `Course mistakes [--score …]`: the catalogue of typical mistakes (``Mistake``), and
/// the mutation score — how many of them the graded checks catch.
enum Mistakes {
    static let name = "mistakes"
    static let summary = "lists the typical mistakes; with --score, how many the graded checks catch"

    static let score = Option<Bool>.flag(
        "--score", summary: "make each mistake in turn and run its piece's checks (an instrumented build)")
    static let only = Option<String>.text("--only", "ID,…", summary: "score only these mistakes")
    static let sample = Option<Int>.integer(
        "--sample", "N", in: 1...1000, summary: "score N mistakes spread over the catalogue")
    static let json = Option<String>.text("--json", "FILE", summary: "also write the results as JSON")
    static let record = Option<String>.text(
        "--record", "FILE", summary: "write what each mistake computes on the visible cases (an instrumented build)")

    static var helpText: String {
        """
        usage: Course mistakes [--assignment 2|3] [--score [--only ID,…] [--sample N] [--json FILE]]
               Course mistakes --record FILE

        Lists the catalogue of typical mistakes, piece by piece: the reference solution
        with a few words changed, as a student might get it wrong.

        With --score, in an instrumented build (Scripts/mutation-score writes and builds
        one), makes each mistake in turn (LEARN_MISTAKE=ID) and runs the graded checks
        of its piece, each in its own process — the quick ones first, the training runs
        only if the mistake survived them — until one loses points. The mutation score
        is the share of mistakes that lose points; a survivor means a check is too weak.
        It also counts the mistakes the grader names ("this matches a known mistake").

        With --assignment, only the mistakes of that assignment's pieces, scored against
        its own checks (without it: every mistake, against every check of the course).

        With --record, in an instrumented build, writes what each mistake computes on
        the visible cases it fails (Fixtures/mistake-signatures.json): the grader's hints.

        options:
        \([Option<Bool>.help.help, AssignmentOption.option.help, score.help, only.help, sample.help, json.help, record.help].map(\.line).joined(separator: "\n"))

        exit status: 0 listed, or every mistake scored was caught; 1 a mistake survived
        or could not be scored; 2 the command line was wrong.
        """
    }

    /// One mistake's fate.
    struct Result: Codable {
        var id: String
        var piece: String
        var title: String
        /// The check that lost points, and how many; nil when it survived.
        var caughtBy: String?
        var pointsLost: Int
        var reason: String?
        var checksRun: Int
        var seconds: Double
        /// Whether the catching reason names this mistake.
        var named = false
    }

    static func main(_ words: [String]) -> Int32 {
        if words.contains("--help") || words.contains("-h") {
            print(helpText)
            return 0
        }
        let selected: [Mistake]
        let scoring: Bool
        let jsonFile: String?
        let recordFile: String?
        let assignment: Assignment?
        do {
            let arguments = try Arguments(
                words,
                accepting: [Option<Bool>.help.help, AssignmentOption.option.help]
                    + [score.help, only.help, sample.help, json.help, record.help])
            assignment = try arguments.value(AssignmentOption.option)
            scoring = arguments.isSet(score)
            recordFile = try arguments.value(record)
            jsonFile = try arguments.value(json)
            selected = try choose(only: arguments.value(only), sample: arguments.value(sample))
            if !scoring && (jsonFile != nil || selected.count != MistakeCatalogue.all.count) {
                throw UsageError(message: "--only, --sample and --json go with --score")
            }
            if recordFile != nil && (scoring || selected.count != MistakeCatalogue.all.count || assignment != nil) {
                throw UsageError(message: "--record goes alone")
            }
            if (scoring || recordFile != nil) && !isInstrumented {
                throw UsageError(
                    message: "this is not an instrumented build, so no mistake can be made: "
                        + "run Scripts/mutation-score, which writes and builds one")
            }
        } catch {
            printError("Course mistakes: \(error) (see Course mistakes --help)")
            return 2
        }
        if let recordFile { return record(to: recordFile) }
        guard scoring else {
            list(assignment)
            return 0
        }
        let chosen = selected.filter { mistake in assignment.map { $0.pieces.contains(mistake.piece) } ?? true }
        let checks = assignment.map(GradingCatalogue.checks(for:)) ?? GradingCatalogue.all
        var results: [Result] = []
        print("Making \(chosen.count) mistakes, one at a time, and running their pieces' checks …")
        for (k, mistake) in chosen.enumerated() {
            let result = run(mistake, checks: checks)
            results.append(result)
            let verdict = result.caughtBy.map { "caught   by \($0) (−\(result.pointsLost))" } ?? "SURVIVED"
            print(
                "  [\(k + 1)/\(chosen.count)] \(mistake.id): \(verdict)  "
                    + "(\(result.checksRun) checks, \(String(format: "%.1f", result.seconds)) s)")
        }
        print()
        print(summary(results))
        if let jsonFile, !writeJSON(results, to: jsonFile, command: "Course mistakes") { return 1 }
        return results.allSatisfy { $0.caughtBy != nil } ? 0 : 1
    }

    /// True when the sources hold the mistakes' guards (``StarterKit/Mode/mistakes``).
    static var isInstrumented: Bool {
        let file = PackageDirectory.root.appendingPathComponent("Sources/Learn/Equations/Affine.swift")
        return (try? String(contentsOf: file, encoding: .utf8))?.contains("isMistakeMade(\"") == true
    }

    /// The mistakes `--only` names, or `--sample` evenly spaced ones, or all.
    static func choose(only: String?, sample: Int?) throws(UsageError) -> [Mistake] {
        let all = MistakeCatalogue.all
        if let only {
            let ids = only.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return try ids.map { id throws(UsageError) in
                guard let mistake = all.first(where: { $0.id == id }) else {
                    throw UsageError(message: "no mistake '\(id)' (Course mistakes lists them)")
                }
                return mistake
            }
        }
        guard let sample, sample < all.count else { return all }
        return (0..<sample).map { all[$0 * all.count / sample] }
    }

    /// Runs the checks (of `checks`) of `mistake`'s piece with it made, quick ones first,
    /// until one loses points.
    static func run(_ mistake: Mistake, checks: [GradedCheck] = GradingCatalogue.all) -> Result {
        let checks = checks.filter { $0.pieces.flatMap(\.closure).contains(mistake.piece) }
            .enumerated().sorted { ($0.element.timeLimit, $0.offset) < ($1.element.timeLimit, $1.offset) }.map(
                \.element)
        var result = Result(
            id: mistake.id, piece: mistake.piece.rawValue, title: mistake.title, pointsLost: 0, checksRun: 0,
            seconds: 0)
        let start = Date()
        for check in checks {
            let outcome = IsolatedCheck.run(
                check, options: GradingOptions(),
                answerer: .course(Grade.executable, environment: ["LEARN_MISTAKE": mistake.id]))
            result.checksRun += 1
            if !outcome.passed {
                result.caughtBy = check.id
                result.pointsLost = outcome.points - outcome.earned
                result.reason = outcome.deductions.first?.reason
                result.named = outcome.deductions.contains {
                    $0.reason.contains("matches a known mistake: \(mistake.title)")
                }
                break
            }
        }
        result.seconds = Date().timeIntervalSince(start)
        return result
    }

    /// The catalogue (of `assignment`'s pieces, or of all), piece by piece.
    static func list(_ assignment: Assignment? = nil) {
        for piece in assignment?.pieces ?? Piece.allCases {
            let mistakes = MistakeCatalogue.all.filter { $0.piece == piece }
            guard !mistakes.isEmpty else { continue }
            print("\(piece.title) (\(piece.rawValue)): \(mistakes.count)")
            alignedList(mistakes.map { ("  " + $0.id, $0.title) }).forEach { print($0) }
        }
        print("\(MistakeCatalogue.all.count) mistakes; Scripts/mutation-score says how many the checks catch.")
    }

    /// Caught / made, per piece and in all, then every survivor.
    static func summary(_ results: [Result]) -> String {
        var lines = ["Mutation score, piece by piece:"]
        for piece in Piece.allCases {
            let mine = results.filter { $0.piece == piece.rawValue }
            guard !mine.isEmpty else { continue }
            let caught = mine.filter { $0.caughtBy != nil }.count
            lines.append("  \(piece.rawValue): \(caught)/\(mine.count)")
        }
        let caught = results.filter { $0.caughtBy != nil }.count
        let percent = NumberFormat.percent(Double(caught) / Double(max(results.count, 1)), decimals: 1)
        lines.append("Mutation score: \(caught)/\(results.count) mistakes caught (\(percent)).")
        let named = results.filter(\.named).count
        lines.append(
            "Named by the grader (\"this matches a known mistake\"): \(named)/\(results.count) "
                + "(\(NumberFormat.percent(Double(named) / Double(max(results.count, 1)), decimals: 1))).")
        for survivor in results where survivor.caughtBy == nil {
            lines.append("  survived: \(survivor.id) — \(survivor.title)")
        }
        return lines.joined(separator: "\n")
    }
}
