import Foundation
import Learn
import LearnCourse
import Testing

/// The grader's isolation, with stand-in children (`/bin/sh`): an answer is read back,
/// and a crash, a hang or a bad exit costs the check its points with the reason — and
/// nothing else, since the grader goes on to the next check.
@Suite("Graded checks in a process of their own")
struct IsolatedCheckTests {
    let check = GradedCheck(id: "demo", task: .part1Task1, title: "a stand-in", points: 2, pieces: [], timeLimit: 1) {
        _ in []
    }

    func run(_ script: String) -> GradedOutcome {
        IsolatedCheck.run(check, executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", script])
    }

    @Test("the child's answer is read from its marked line, whatever else it prints")
    func answer() {
        let expected = GradedOutcome(
            check: check, deductions: [Deduction(points: 1, reason: "case x: off by one")], seconds: 0.5)
        let line = IsolatedCheck.answer(expected).replacingOccurrences(of: "'", with: "'\\''")
        let outcome = run("echo 'some progress'; echo '\(line)'; echo 'more noise' >&2")
        #expect(outcome == expected)
        #expect(outcome.earned == 1)
    }

    @Test("a crash loses the check's points, with the signal and the fatal error's message")
    func crash() {
        let outcome = run(
            "echo 'Fatal error: TODO: equation (5), cell state c — forward is not implemented yet' >&2; kill -ILL $$")
        #expect(outcome.earned == 0)
        let reason = outcome.deductions.first?.reason ?? ""
        #expect(reason.hasPrefix("crashed (signal 4): Fatal error: TODO: equation (5)"), "\(reason)")
    }

    @Test("a check that hangs is stopped at its time limit and loses its points")
    func hang() {
        let outcome = run("exec sleep 30")
        #expect(outcome.earned == 0)
        #expect(outcome.deductions.first?.reason == "stopped after its time limit of 1 s")
        #expect(outcome.seconds < 10)
    }

    @Test("an exit without an answer loses the points, with the status and the last message")
    func exitWithoutAnswer() {
        let outcome = run("echo 'cannot read Fixtures' >&2; exit 3")
        #expect(outcome.deductions.first?.reason == "exited with status 3: cannot read Fixtures")
    }
}
