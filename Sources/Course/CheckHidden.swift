import CommandLineOptions
import Foundation
import Learn
import LearnCourse

/// `Course check-hidden DIR`: reviews an instructor's hidden cases before they are
/// used to grade (``HiddenSetReview``): every case loads and is graded, none repeats a
/// visible case, and the reference solution passes it, finite differences included.
enum CheckHidden {
    static let name = "check-hidden"
    static let summary = "checks a set of hidden cases before grading with it (the reference must pass it)"

    static var helpText: String {
        """
        usage: Course check-hidden DIR [--assignment 2|3]

        Reviews the hidden cases under DIR (made with `python3 Fixtures/generate.py
        --hidden --seed S --out DIR`), in the instructor's package, whose solution is
        complete. A hidden case is fit to grade with when
          - it loads, and some graded check takes its kind (with --assignment, a check
            of that assignment);
          - it does not repeat a visible case of Fixtures/cases (a stub that copies the
            visible values would pass it);
          - the reference solution matches its outputs and gradients, and passes its
            finite-difference check — so it can never cost a correct student a point.
        A warning says where the finite-difference check is badly conditioned: it still
        grades correct code correctly there, but a small mistake could hide in the noise.

        options:
        \(Option<Bool>.help.help.line)
        \(AssignmentOption.option.help.line)

        exit status: 0 the set is fit to grade with, 1 it is not (each problem named),
        2 the command line was wrong or the solution is not complete.
        """
    }

    /// Runs the command on the words after `check-hidden`; returns the exit status.
    static func main(_ words: [String]) -> Int32 {
        if words.contains("--help") || words.contains("-h") {
            print(helpText)
            return 0
        }
        let directory: URL
        let assignment: Assignment?
        do {
            let accepted = [Option<Bool>.help.help, AssignmentOption.option.help]
            let (options, positional) = splittingPositional(words, valued: accepted)
            let arguments = try Arguments(options, accepting: accepted)
            assignment = try arguments.value(AssignmentOption.option)
            guard positional.count == 1 else {
                throw UsageError(message: "expected one directory of hidden cases, got \(positional.count)")
            }
            directory = try Verify.caseDirectory(URL(fileURLWithPath: positional[0]))
            if let unwritten = Piece.unwrittenMessage(Piece.allCases) {
                throw UsageError(
                    message: "the cases are checked against the reference solution, and this package's is not "
                        + "complete (\(unwritten)); run it in the instructor's package")
            }
        } catch {
            printError("Course check-hidden: \(error) (see Course check-hidden --help)")
            return 2
        }
        print("reviewing the hidden cases under \(directory.path) …")
        let review = HiddenSetReview(
            directory: directory, visible: FixtureCase.defaultDirectory, assignment: assignment)
        print(review)
        return review.passed ? 0 : 1
    }
}
