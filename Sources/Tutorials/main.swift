import Foundation
import Learn

// Tutorials <chapter> [options]: finds the chapter, reads the options every chapter
// shares, and runs it. Exit codes: 0 done, 1 the work failed (a file could not be
// written, a gradient check failed, training diverged), 2 the command line was wrong.
// The commands (`verify`, `goldens`, …) are listed in `commands` below and use the
// same codes.

/// Prints one line to standard error (where messages belong, so piped output stays clean).
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// A command beyond the chapters: `Tutorials <name> …`, its own parser and help.
struct CommandEntry: Sendable {
    let name: String
    let summary: String
    /// Runs on the words after the name; returns the exit status.
    let main: @Sendable ([String]) -> Int32
}

/// Every command, in the order `Tutorials list` shows them.
let commands: [CommandEntry] = [
    CommandEntry(name: Verify.name, summary: Verify.summary, main: Verify.main),
    CommandEntry(name: Grade.name, summary: Grade.summary, main: Grade.main),
    CommandEntry(name: StarterKitCommand.name, summary: StarterKitCommand.summary, main: StarterKitCommand.main),
    CommandEntry(name: Goldens.name, summary: Goldens.summary, main: Goldens.main),
]

func printChapterList() {
    print("usage: Tutorials <chapter> [options]     (each chapter takes --help)")
    print("       Tutorials <command> [options]     (each command takes --help)")
    print()
    print("chapters:")
    let width = chapters.map { $0.name.count }.max() ?? 0
    for chapter in chapters {
        print("  " + chapter.name.padding(toLength: width + 3, withPad: " ", startingAt: 0) + chapter.summary)
    }
    print()
    print("commands:")
    for command in commands {
        print("  " + command.name.padding(toLength: width + 3, withPad: " ", startingAt: 0) + command.summary)
    }
}

let words = Array(CommandLine.arguments.dropFirst())
guard let chapterName = words.first, !["list", "help", "--help", "-h"].contains(chapterName) else {
    printChapterList()
    exit(0)
}
if let command = commands.first(where: { $0.name == chapterName }) {
    exit(command.main(Array(words.dropFirst())))
}
guard let chapter = chapters.first(where: { $0.name == chapterName }) else {
    printError(
        "Tutorials: unknown chapter or command '\(chapterName)'; the chapters are "
            + chapters.map(\.name).joined(separator: ", ") + "; the commands "
            + commands.map(\.name).joined(separator: ", ") + " (see Tutorials list)")
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
    try chapter.run(arguments, common, Terminal(noPause: common.noPause))
} catch let error as UsageError {
    printError("Tutorials \(chapter.name): \(error) (see Tutorials \(chapter.name) --help)")
    exit(2)
} catch {
    printError("Tutorials \(chapter.name): \(error)")
    exit(1)
}
