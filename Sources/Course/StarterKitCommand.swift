import Foundation
import CommandLineOptions
import Learn
import LearnCourse

/// `Course starter-kit --out DIR`: writes the student starter kit (see
/// ``StarterKit``): this package with every marked solution replaced by a stub.
enum StarterKitCommand {
    static let name = "starter-kit"
    static let summary = "writes the student starter kit: this package with every solution stubbed"

    static let out = Option<String>.text("--out", "DIR", summary: "where to write the kit (new or empty)")
    static let probe = Option<Bool>.flag(
        "--probe", summary: "keep the solutions behind stubs that fire for LEARN_PROBE_UNWRITTEN (maintainers)")
    static let mistakes = Option<Bool>.flag(
        "--mistakes", summary: "keep the solutions and add the typical mistakes, made for LEARN_MISTAKE (maintainers)")

    static var helpText: String {
        """
        usage: Course starter-kit --out DIR [--assignment 2|3] [--probe | --mistakes]

        Copies this package to DIR with the solution of every equation, layer and loss
        (the regions between "// BEGIN SOLUTION" and "// END SOLUTION") replaced by a
        stub that compiles and stops with the piece's name:

            unimplemented("equation (5), cell state c — forward")

        Tests, fixtures, tutorials and doc comments are copied as they are; build
        products, version control, CI and Fixtures/hidden are not. In the kit,
        swift test fails exactly on the pieces not yet written, and Course grade
        gives the points. DIR must not exist yet, or be an empty folder: a file, a
        symbolic link or a folder with anything in it is refused (exit 2), untouched.

        --assignment chooses the course's assignment (default 3). A kit of Assignment 2
        stubs its pieces and Assignment 3's (which come later); a kit of Assignment 3
        keeps Assignment 2's own pieces (the MLP) written, as done. The kit names its
        assignment in learn-kit.json, so grade and swift test there speak of it.

        With --probe the solutions stay, each behind a stub that fires only when the
        environment variable LEARN_PROBE_UNWRITTEN names its piece (e.g. cellState):
        one build then behaves as the kit with that one piece missing, which is how
        Scripts/probe-requires checks every test's .requires(…) list.

        With --mistakes the solutions stay and each region also holds the typical
        mistakes of its piece, each made only while LEARN_MISTAKE names it: one build
        then behaves as every wrong implementation in turn, which is how
        Scripts/mutation-score proves the checks catch them.

        options:
        \(Option<Bool>.help.help.line)
        \(out.help.line)
        \(AssignmentOption.option.help.line)
        \(probe.help.line)
        \(mistakes.help.line)

        exit status: 0 written, 1 the kit could not be written, 2 the command line was wrong.
        """
    }

    static func main(_ words: [String]) -> Int32 {
        if words.contains("--help") || words.contains("-h") {
            print(helpText)
            return 0
        }
        let destination: URL
        let mode: StarterKit.Mode
        let assignment: Assignment
        do {
            let arguments = try Arguments(
                words,
                accepting: [Option<Bool>.help.help, out.help, AssignmentOption.option.help, probe.help, mistakes.help])
            guard let path = try arguments.value(out) else { throw UsageError(message: "--out DIR is required") }
            destination = URL(fileURLWithPath: path)
            if arguments.isSet(probe) && arguments.isSet(mistakes) {
                throw UsageError(message: "--probe and --mistakes are two different builds; choose one")
            }
            mode = arguments.isSet(probe) ? .probe : arguments.isSet(mistakes) ? .mistakes : .stubs
            assignment = try AssignmentOption.value(arguments)
            if mode != .stubs, try arguments.value(AssignmentOption.option) != nil {
                throw UsageError(
                    message: "--assignment goes with a student's kit: --probe and --mistakes keep every piece")
            }
            try StarterKit.checkDestination(destination)
        } catch {
            printError("Course starter-kit: \(error) (see Course starter-kit --help)")
            return 2
        }
        do {
            let stubs = try StarterKit.write(
                from: PackageDirectory.root, to: destination, mode: mode, assignment: assignment)
            let regions = stubs.reduce(0) { $0 + $1.regions }
            switch mode {
            case .stubs:
                print(
                    "Wrote the starter kit of \(assignment) to \(destination.path): \(stubs.count) pieces, "
                        + "\(regions) stubs.")
            case .probe: print("Wrote the probe build to \(destination.path): \(regions) regions behind probe stubs.")
            case .mistakes:
                print(
                    "Wrote the instrumented build to \(destination.path): \(MistakeCatalogue.all.count) mistakes in "
                        + "\(regions) regions, each made while LEARN_MISTAKE names it.")
                return 0
            }
            for stub in stubs {
                print("  \(stub.files.joined(separator: ", "))  \(stub.piece.title) (\(stub.regions))")
            }
            print(
                "Next: cd \(destination.path) && swift test -c release --disable-testable-imports   (see STARTER-KIT.md)"
            )
            return 0
        } catch {
            printError("Course starter-kit: \(error)")
            return 1
        }
    }
}
