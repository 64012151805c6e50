import CommandLineOptions
import Foundation
import Learn
import LearnCourse

/// `Course gradescope`: the autograder for Gradescope, which runs every submission in a
/// container of its own.
///
/// - `--bundle FILE.zip` (the instructor, here): writes the bundle to upload — `setup.sh`
///   and `run_autograder` at its root, this package (its solutions and grading
///   catalogue) under `package/`, the hidden cases in `package/Fixtures/hidden`, and the
///   settings (``GradescopeSettings``).
/// - `--prepare` (`setup.sh`, once per image): the copy of the package submissions are
///   built in, built once so that each submission rebuilds only its own files.
/// - `--run` (`run_autograder`, once per submission): grades `ROOT/submission` as
///   `grade --submission` does and writes `ROOT/results/results.json`
///   (``GradescopeResults``), always.
enum Gradescope {
    static let name = "gradescope"
    static let summary = "writes the Gradescope autograder bundle (--bundle) and grades inside it (--run)"

    static let bundle = Option<String>.text("--bundle", "FILE.zip", summary: "write the autograder bundle to FILE.zip")
    static let hidden = Option<String>.text(
        "--hidden", "DIR", summary: "with --bundle: the hidden cases to grade with (see check-hidden)")
    static let hiddenVisibility = visibilityOption(
        "--hidden-visibility", summary: "with --bundle: when students see the checks that grade hidden cases")
    static let stdoutVisibility = visibilityOption(
        "--stdout-visibility", summary: "with --bundle: when students see the grader's log (the output is always shown)"
    )
    static let only = Option<String>.text("--only", "ID,…", summary: "with --bundle: grade only these checks")
    static let noSandbox = Option<Bool>.flag(
        "--no-sandbox", summary: "with --bundle: grade unconfined where the sandbox cannot be made (see below)")
    static let prepare = Option<Bool>.flag("--prepare", summary: "(setup.sh) prepare and build the submissions' copy")
    static let run = Option<Bool>.flag("--run", summary: "(run_autograder) grade ROOT/submission into ROOT/results")
    static let root = Option<String>.text(
        "--root", "DIR",
        summary: "with --prepare, --run: Gradescope's /autograder (default: $LEARN_AUTOGRADER_ROOT or it)")

    static var helpText: String {
        """
        usage: Course gradescope --bundle FILE.zip [--hidden DIR] [--hidden-visibility V]
                                 [--stdout-visibility V] [--only ID,…] [--no-sandbox]
               Course gradescope --prepare [--root DIR]
               Course gradescope --run [--root DIR]

        --bundle writes the autograder to upload to a Gradescope programming assignment
        (Configure Autograder → Zip file upload): setup.sh and run_autograder at the
        root, this package under package/ with the hidden cases, and the settings. On
        the image, setup.sh installs the Swift toolchain (see its comments), builds the
        grader and prepares the copy every submission is built in.

        Each submission is graded as grade --submission grades one: only its piece
        files are taken, in whatever layout it arrives (the package, a .zip of it, or
        the piece files alone); a piece file that does not compile is graded as
        unwritten and the student sees its first compiler error; each check is
        answered by the submission's build in the sandbox (see grade --help),
        and judged by the grader. results.json has a test per check, with the points,
        the reasons in Markdown, the part and task as tags; the checks that grade
        hidden cases are shown after the due date (--hidden-visibility: visible,
        hidden, after_due_date, after_published). A results.json is always written.

        The sandbox needs root and namespaces; a container that refuses them makes every
        run write a results.json that says so, and grade nothing. --no-sandbox writes a
        bundle that grades unconfined there instead: each submission then runs alone in
        its own throwaway container, but its code can read the package, solutions and
        hidden cases included.

        LEARN_AUTOGRADER_ROOT stands in for /autograder, to try the bundle on a
        machine of your own (.ci/check-gradescope does).

        options:
        \([Option<Bool>.help.help, AssignmentOption.option.help, bundle.help, hidden.help, hiddenVisibility.help, stdoutVisibility.help, only.help, noSandbox.help, prepare.help, run.help, root.help].map(\.line).joined(separator: "\n"))

        exit status: 0 done (with --run: results.json written), 1 it could not be done,
        2 the command line was wrong.
        """
    }

    static func visibilityOption(_ name: String, summary: String) -> Option<GradescopeResults.Visibility> {
        Option(
            name: name, placeholder: "V", summary: summary,
            allowed: GradescopeResults.Visibility.allCases.map(\.rawValue).joined(separator: ", "),
            parse: { GradescopeResults.Visibility(rawValue: $0) })
    }

    static func main(_ words: [String]) -> Int32 {
        if words.contains("--help") || words.contains("-h") {
            print(helpText)
            return 0
        }
        let arguments: Arguments
        let mode: (bundle: String?, prepare: Bool, run: Bool)
        do {
            arguments = try Arguments(
                words,
                accepting: [
                    Option<Bool>.help.help, AssignmentOption.option.help, bundle.help, hidden.help,
                    hiddenVisibility.help, stdoutVisibility.help,
                ]
                    + [only.help, noSandbox.help, prepare.help, run.help, root.help])
            mode = (
                try arguments.value(bundle), try arguments.value(prepare) ?? false, try arguments.value(run) ?? false
            )
            let chosen = [mode.bundle != nil, mode.prepare, mode.run].filter { $0 }.count
            guard chosen == 1 else { throw UsageError(message: "give one of --bundle, --prepare and --run") }
            let bundleOnly = [
                AssignmentOption.option.name, hidden.name, hiddenVisibility.name, stdoutVisibility.name, only.name,
                noSandbox.name,
            ]
            if mode.bundle == nil, let given = bundleOnly.first(where: { words.contains($0) }) {
                throw UsageError(message: "\(given) goes with --bundle")
            }
            if mode.bundle != nil, try arguments.value(root) != nil {
                throw UsageError(message: "--root goes with --prepare and --run")
            }
        } catch {
            printError("Course gradescope: \(error) (see Course gradescope --help)")
            return 2
        }
        do {
            if let file = mode.bundle {
                let settings = GradescopeSettings(
                    hiddenVisibility: try arguments.value(hiddenVisibility) ?? .afterDueDate,
                    stdoutVisibility: try arguments.value(stdoutVisibility) ?? .hidden,
                    checks: try Grade.selectedChecks(
                        arguments.value(only), of: try AssignmentOption.value(arguments)
                    ).map(\.id),
                    sandboxed: !arguments.isSet(noSandbox))
                let hiddenCases = try Grade.directory(arguments.value(hidden))
                return GradescopeBundle.write(to: URL(fileURLWithPath: file), hidden: hiddenCases, settings: settings)
            }
            let place = GradescopeRoot(
                URL(
                    fileURLWithPath: try arguments.value(root)
                        ?? ProcessInfo.processInfo.environment["LEARN_AUTOGRADER_ROOT"] ?? "/autograder"))
            return mode.prepare ? place.prepare() : place.grade()
        } catch {
            printError("Course gradescope: \(error) (see Course gradescope --help)")
            return 2
        }
    }
}

/// What the instructor chose when writing the bundle, read back on every run
/// (`package/Fixtures/gradescope.json`).
struct GradescopeSettings: Codable, Equatable {
    /// When students see a check that grades hidden cases.
    var hiddenVisibility: GradescopeResults.Visibility
    /// When students see `run_autograder`'s log.
    var stdoutVisibility: GradescopeResults.Visibility
    /// The ids of the checks graded, in the catalogue's order.
    var checks: [String]
    /// Whether submissions run in the sandbox: always, unless the bundle was written with
    /// `--no-sandbox` for a container where it cannot be made (each submission then runs
    /// unconfined in a container of its own, which it could read whole).
    var sandboxed = true

    private enum CodingKeys: String, CodingKey { case hiddenVisibility, stdoutVisibility, checks, sandboxed }

    /// The settings as given.
    init(
        hiddenVisibility: GradescopeResults.Visibility, stdoutVisibility: GradescopeResults.Visibility,
        checks: [String], sandboxed: Bool = true
    ) {
        (self.hiddenVisibility, self.stdoutVisibility, self.checks, self.sandboxed) = (
            hiddenVisibility, stdoutVisibility, checks, sandboxed
        )
    }

    /// Reads the settings; a bundle written before `sandboxed` existed is sandboxed.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        hiddenVisibility = try container.decode(GradescopeResults.Visibility.self, forKey: .hiddenVisibility)
        stdoutVisibility = try container.decode(GradescopeResults.Visibility.self, forKey: .stdoutVisibility)
        checks = try container.decode([String].self, forKey: .checks)
        sandboxed = try container.decodeIfPresent(Bool.self, forKey: .sandboxed) ?? true
    }

    /// Where the bundle keeps them, relative to the package.
    static let path = "Fixtures/gradescope.json"
}
