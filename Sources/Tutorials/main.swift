import CommandLineOptions
import Foundation
import Learn
import LearnCourse

// Tutorials <chapter> [options]: finds the chapter, reads the options every chapter
// shares, and runs it. Exit codes: 0 done, 1 the work failed (a file could not be
// written, a gradient check failed, training diverged), 2 the command line was wrong.
// The instructor's tools (grade, verify, starter-kit, goldens) are the Course
// executable's.

func printChapterList() {
    print("usage: Tutorials <chapter> [options]     (each chapter takes --help)")
    print()
    let lines = alignedList(chapters.map { ($0.name, $0.summary) })
    for assignment in Assignment.allCases {
        print("\(assignment), \(assignment.subject):")
        for (chapter, line) in zip(chapters, lines) where chapter.assignment == assignment { print(line) }
        print()
    }
    print("Grading, verifying, the starter kit and the goldens: swift run -c release Course list")
}

/// The commands that moved to the Course executable: named, so an old habit gets a pointer.
let courseCommands: Set = ["grade", "verify", "starter-kit", "goldens"]

let words = Array(CommandLine.arguments.dropFirst())
guard let chapterName = words.first, !["list", "help", "--help", "-h"].contains(chapterName) else {
    printChapterList()
    exit(0)
}
if courseCommands.contains(chapterName) {
    printError("Tutorials: '\(chapterName)' is a course command now: swift run -c release Course \(chapterName)")
    exit(2)
}
guard let chapter = chapters.first(where: { $0.name == chapterName }) else {
    printError(
        "Tutorials: unknown chapter '\(chapterName)'; the chapters are "
            + chapters.map(\.name).joined(separator: ", ") + " (see Tutorials list)")
    exit(2)
}
let rest = Array(words.dropFirst())
// --help wins over everything else, so a reader can always find out what is allowed.
if rest.contains("--help") || rest.contains("-h") {
    print(chapter.helpText)
    exit(0)
}

do {
    let arguments = try Arguments(rest, accepting: CommonOptions.all + chapter.options)
    let common = try CommonOptions(arguments)
    // In a starter kit: say which piece to write instead of running into its stub.
    let unwritten = Piece.unwritten(chapter.pieces)
    if let first = unwritten.first {
        let file = SolutionSources.of(PackageDirectory.root).files(of: first).joined(separator: ", ")
        printError(
            "Tutorials \(chapter.name): this chapter runs \(unwritten.count) piece\(unwritten.count == 1 ? "" : "s") "
                + "not written yet; the first to write is \(first.title) (\(file)). STARTER-KIT.md gives the order "
                + "of work and `swift run -c release Course grade` checks each piece; then run this chapter again.")
        exit(1)
    }
    try chapter.run(arguments, common, Terminal(noPause: common.noPause))
} catch let error as UsageError {
    printError("Tutorials \(chapter.name): \(error) (see Tutorials \(chapter.name) --help)")
    exit(2)
} catch {
    printError("Tutorials \(chapter.name): \(error)")
    exit(1)
}
