import Foundation
import Learn

// Tutorials <chapter> [options]: finds the chapter, reads the options every chapter
// shares, and runs it. Exit codes: 0 done, 1 the work failed (a file could not be
// written, a gradient check failed, training diverged), 2 the command line was wrong.
// `Tutorials verify [DIR]` is a command of its own (Verify.swift), with the same codes.

/// Prints one line to standard error (where messages belong, so piped output stays clean).
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

func printChapterList() {
    print("usage: Tutorials <chapter> [options]     (each chapter takes --help)")
    print("       Tutorials verify [--answers FILE] [DIR]")
    print()
    print("chapters:")
    let width = chapters.map { $0.name.count }.max() ?? 0
    for chapter in chapters {
        print("  " + chapter.name.padding(toLength: width + 3, withPad: " ", startingAt: 0) + chapter.summary)
    }
    print()
    print("commands:")
    print("  " + Verify.name.padding(toLength: width + 3, withPad: " ", startingAt: 0) + Verify.summary)
}

let words = Array(CommandLine.arguments.dropFirst())
guard let chapterName = words.first, !["list", "help", "--help", "-h"].contains(chapterName) else {
    printChapterList()
    exit(0)
}
if chapterName == Verify.name {
    exit(Verify.main(Array(words.dropFirst())))
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
    try chapter.run(arguments, common, Terminal(noPause: common.noPause))
} catch let error as UsageError {
    printError("Tutorials \(chapter.name): \(error) (see Tutorials \(chapter.name) --help)")
    exit(2)
} catch {
    printError("Tutorials \(chapter.name): \(error)")
    exit(1)
}
