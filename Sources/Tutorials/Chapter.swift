import CommandLineOptions
import LearnCourse

/// One chapter of the tutorials: a task of an assignment, run from the command line
/// as `Tutorials <name> [options]`.
///
/// To add a chapter, write one file with a type conforming to `Chapter` and list it in
/// ``chapters`` below.
protocol Chapter: SendableMetatype {
    /// What is typed on the command line, e.g. "part1-task1".
    static var name: String { get }
    /// One line for `Tutorials list`.
    static var summary: String { get }
    /// A paragraph for `--help`: what the chapter shows.
    static var about: String { get }
    /// The options beyond the ones every chapter takes (``CommonOptions``).
    static var options: [OptionHelp] { get }
    /// The pieces of the solution it runs (their dependencies are implied): in a
    /// starter kit, the chapter names the first unwritten one instead of running into
    /// its stub.
    static var pieces: [Piece] { get }
    /// The assignment whose task it is (`Tutorials list` groups the chapters by it).
    static var assignment: Assignment { get }
    /// Runs the chapter. It should read all its options before starting work, so a
    /// mistake on the command line is reported at once.
    static func run(_ arguments: Arguments, common: CommonOptions, terminal: Terminal) throws
}

extension Chapter {
    /// Assignment 3's, unless the chapter says otherwise.
    static var assignment: Assignment { .three }
}

/// Every chapter, in reading order within its assignment.
let chapters: [ChapterEntry] = [
    ChapterEntry(Part1Task1.self),
    ChapterEntry(Part1Task2.self),
    ChapterEntry(Part2Task1.self),
    ChapterEntry(Part2Task2.self),
    ChapterEntry(Part2Task3.self),
    ChapterEntry(A2Part1Task1.self),
    ChapterEntry(A2Part1Task2.self),
    ChapterEntry(A2Part1Task3.self),
    ChapterEntry(A2Part2Task1.self),
    ChapterEntry(A2Part2Task2.self),
    ChapterEntry(A2Part3.self),
]

/// A chapter as the command line sees it: a plain value, so the list above is an
/// ordinary array of structs rather than of protocol metatypes.
struct ChapterEntry: Sendable {
    let name: String
    let summary: String
    let helpText: String
    let options: [OptionHelp]
    let pieces: [Piece]
    let assignment: Assignment
    let run: @Sendable (Arguments, CommonOptions, Terminal) throws -> Void

    init<C: Chapter>(_ chapter: C.Type) {
        (name, summary, options, pieces, assignment) = (C.name, C.summary, C.options, C.pieces, C.assignment)
        helpText =
            (["usage: Tutorials \(C.name) [options]", "", C.about, "", "options:"]
            + (CommonOptions.all + C.options).map(\.line)).joined(separator: "\n")
        run = { try C.run($0, common: $1, terminal: $2) }
    }
}

/// The options every chapter takes.
struct CommonOptions {
    static let help = Option<Bool>.help
    static let seed = Option<Int>.integer(
        "--seed", "N", in: 0...Int.max, summary: "fixes every random number (default 0)")
    static let quick = Option<Bool>.flag("--quick", summary: "a smaller, faster run")
    static let noPause = Option<Bool>.flag(
        "--no-pause", summary: "never wait for Return (also when piped or CI is set)")

    /// The lines of `--help` for the common options.
    static var all: [OptionHelp] { [help.help, seed.help, quick.help, noPause.help] }

    /// The seed for every generator the chapter makes.
    let seed: UInt64
    /// A smaller, faster run.
    let quick: Bool
    /// Never pause.
    let noPause: Bool

    init(_ arguments: Arguments) throws(UsageError) {
        seed = UInt64(try arguments.value(Self.seed, default: 0))
        quick = arguments.isSet(Self.quick)
        noPause = arguments.isSet(Self.noPause)
    }
}
