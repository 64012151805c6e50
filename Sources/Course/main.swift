import CommandLineOptions
import Foundation
import LearnCourse

// Course <command> [options]: the instructor's and maintainer's tools — grading,
// verifying an implementation against the reference cases, writing the starter kit,
// the regression goldens. Exit codes: 0 done (every check passed), 1 the work failed
// or points were lost, 2 the command line was wrong.

/// A command: `Course <name> …`, with its own options and help.
struct CommandEntry: Sendable {
    let name: String
    let summary: String
    /// Runs on the words after the name; returns the exit status.
    let main: @Sendable ([String]) -> Int32
}

/// Every command, in the order `Course list` shows them.
let commands: [CommandEntry] = [
    CommandEntry(name: Grade.name, summary: Grade.summary, main: Grade.main),
    CommandEntry(name: Verify.name, summary: Verify.summary, main: Verify.main),
    CommandEntry(name: Gradescope.name, summary: Gradescope.summary, main: Gradescope.main),
    CommandEntry(name: CheckHidden.name, summary: CheckHidden.summary, main: CheckHidden.main),
    CommandEntry(name: Mistakes.name, summary: Mistakes.summary, main: Mistakes.main),
    CommandEntry(name: StarterKitCommand.name, summary: StarterKitCommand.summary, main: StarterKitCommand.main),
    CommandEntry(name: Goldens.name, summary: Goldens.summary, main: Goldens.main),
    CommandEntry(name: JudgeCommand.name, summary: JudgeCommand.summary, main: JudgeCommand.main),
    CommandEntry(name: TutorialCode.name, summary: TutorialCode.summary, main: TutorialCode.main),
    CommandEntry(name: SandboxCommand.name, summary: SandboxCommand.summary, main: SandboxCommand.main),
]

func printCommandList() {
    print("usage: Course <command> [options]     (each command takes --help)")
    print()
    print("commands:")
    alignedList(commands.map { ($0.name, $0.summary) }).forEach { print($0) }
    print()
    print("The chapters a student steps through are in the other executable: swift run -c release Tutorials list")
}

let words = Array(CommandLine.arguments.dropFirst())
if words.first == "sandbox-probe" {
    // (internal) The sandbox's self-test, run inside a box: what it could reach, as JSON.
    let report = SandboxProbe.probe(secrets: Array(words.dropFirst()))
    FileHandle.standardOutput.write((try? JSONEncoder().encode(report)) ?? Data())
    exit(0)
}
guard let name = words.first, !["list", "help", "--help", "-h"].contains(name) else {
    printCommandList()
    exit(0)
}
guard let command = commands.first(where: { $0.name == name }) else {
    printError(
        "Course: unknown command '\(name)'; the commands are " + commands.map(\.name).joined(separator: ", ")
            + " (see Course list; the chapters are under Tutorials list)")
    exit(2)
}
exit(command.main(Array(words.dropFirst())))
