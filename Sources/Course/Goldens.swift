import Foundation
import CommandLineOptions
import Learn
import LearnCourse

/// `Course goldens [--record] [NAME …]`: re-runs the seeded training runs kept in
/// `Fixtures/goldens` and says, series by series, what moved and by how much; with
/// `--record`, writes the new trajectories after an intended numeric change.
enum Goldens {
    static let name = "goldens"
    static let summary = "compares seeded training runs with Fixtures/goldens (--record to re-record)"

    static let record = Option<Bool>.flag("--record", summary: "write the new trajectories to Fixtures/goldens")

    static var helpText: String {
        """
        usage: Course goldens [--record] [NAME …]

        Re-runs each golden run (default: all of them: \(GoldenRun.allCases.map(\.rawValue).joined(separator: ", ")))
        and compares the fresh trajectory with the one recorded in Fixtures/goldens:
        per series, how many values changed, the largest move, and how many moved
        beyond the golden's tolerance. The regression test in the Convergence suite
        makes the same comparison.

        After a change to the numerics that is meant (a new initialisation, another
        summation order), re-record with --record: the comparison is printed first, so
        the commit message can say what moved and by how much.

        options:
        \(Option<Bool>.help.help.line)
        \(record.help.line)

        exit status: 0 every run within tolerance (or recorded), 1 a run changed or
        failed, 2 the command line was wrong.
        """
    }

    /// Runs the command on the words after `goldens`; returns the exit status.
    static func main(_ words: [String]) -> Int32 {
        if words.contains("--help") || words.contains("-h") {
            print(helpText)
            return 0
        }
        let runs: [GoldenRun]
        let recording: Bool
        do {
            let flags = words.filter { $0.hasPrefix("--") }
            let arguments = try Arguments(flags, accepting: [Option<Bool>.help.help, record.help])
            recording = arguments.isSet(record)
            let names = words.filter { !$0.hasPrefix("--") }
            runs = try names.isEmpty ? GoldenRun.allCases : names.map(run(named:))
        } catch {
            printError("Course goldens: \(error) (see Course goldens --help)")
            return 2
        }
        var status: Int32 = 0
        for run in runs {
            print("\(run.rawValue): running \(GoldenRun.steps) seeded steps …")
            do {
                let fresh = try run.run()
                if let recorded = try? GoldenTrajectory.load(from: run.file) {
                    let comparison = recorded.compare(with: fresh)
                    print(comparison)
                    if !comparison.passed && !recording { status = 1 }
                } else {
                    print("  no readable recording at \(run.file.path)")
                    if !recording { status = 1 }
                }
                if recording {
                    try fresh.save(to: run.file)
                    print("  recorded \(run.file.path)")
                }
            } catch {
                printError("Course goldens: \(run.rawValue): \(error)")
                status = 1
            }
        }
        return status
    }

    static func run(named name: String) throws(UsageError) -> GoldenRun {
        guard let run = GoldenRun(rawValue: name) else {
            throw UsageError(
                message: "unknown golden '\(name)'; the goldens are "
                    + GoldenRun.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return run
    }
}
