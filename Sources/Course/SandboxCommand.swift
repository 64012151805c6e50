import CommandLineOptions
import Foundation
import Learn
import LearnCourse

/// `Course sandbox`: the sandbox's self-test (``SandboxProbe``) on its own, as the
/// grader runs it before grading anyone's code.
enum SandboxCommand {
    static let name = "sandbox"
    static let summary = "tests the sandbox a submission's code runs in (needs root), and says what it holds"

    static func main(_ words: [String]) -> Int32 {
        if words.contains("--help") || words.contains("-h") {
            print(
                """
                usage: Course sandbox

                Makes the box a submission's checks run in, runs this grader's own probe in it,
                and prints what the probe could reach: it must run as a user of its own
                without privileges, see no other process, none of the instructor's files,
                no network, and write only its own /tmp. The same self-test runs before
                grade --submission, grade --class and gradescope --run grade anything.

                exit status: 0 the sandbox holds, 1 it does not or cannot be made, 2 the command line was wrong.
                """)
            return 0
        }
        guard words.isEmpty else {
            printError("Course sandbox: takes no arguments (see Course sandbox --help)")
            return 2
        }
        let scratch: PrivateFolder
        do {
            scratch = try PrivateFolder(prefix: "learn-sandbox-test")
        } catch {
            printError("Course sandbox: \(error)")
            return 1
        }
        defer { scratch.remove() }
        guard
            let line = GradeSubmission.selfTest(
                Confinement(sandboxed: true), kit: PackageDirectory.root, hidden: nil, submissions: scratch.url)
        else { return 1 }
        print(line)
        return 0
    }
}
