import Foundation
import Learn
import LearnCourse
import Testing

/// The grader's isolation, with stand-in children (`/bin/sh`): the child's evidence is
/// judged here, whatever it prints — a forged verdict earns nothing — and a crash, a
/// hang or a bad exit costs the check its points with the reason, and nothing else.
@Suite("Graded checks in a process of their own")
struct IsolatedCheckTests {
    struct Terms: Codable, Sendable {
        var a = 2
        var b = 3
    }

    /// Asks for a + b; the child answers; the grader judges.
    let check = GradedCheck(
        id: "demo", task: .part1Task1, title: "a stand-in", points: 2, pieces: [], timeLimit: 1,
        work: GradedWork<Terms, Int>(
            ask: { _ in Terms() }, answer: { $0.a + $0.b },
            judge: { terms, sum, _ in
                sum == terms.a + terms.b ? [] : [Deduction(points: 2, reason: "\(sum) is not the sum")]
            }
        ))

    /// Runs the check with `script` as the child: `$1` is the question's file, `$2` the
    /// evidence's.
    func run(_ script: String) throws -> GradedOutcome {
        let exchange = FileManager.default.temporaryDirectory.appendingPathComponent("isolated-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: exchange, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: exchange) }
        return IsolatedCheck.run(
            check, options: GradingOptions(), executable: URL(fileURLWithPath: "/bin/sh"),
            arguments: { ["-c", script, "sh", $0.path, $1.path] }, exchange: exchange)
    }

    @Test("the child's evidence is judged here: a right answer earns the points, a wrong one loses them")
    func judged() throws {
        #expect(try run("grep -q '\"a\":2' \"$1\" && echo 5 > \"$2\"").passed)
        let wrong = try run("echo 6 > \"$2\"")
        #expect(wrong.earned == 0)
        #expect(wrong.deductions.first?.reason == "6 is not the sum")
    }

    @Test("a verdict the child prints or writes is not evidence: it earns nothing")
    func forgedVerdict() throws {
        let verdict = #"{"id":"demo","points":2,"earned":2,"deductions":[],"seconds":0}"#
        let printed = try run("echo 'GRADED-OUTCOME \(verdict)'; echo 'Total: 2/2 points'; exit 0")
        #expect(printed.earned == 0)
        #expect(printed.deductions.first?.reason == "exited with status 0 without an answer", "\(printed)")
        let written = try run("echo '\(verdict)' > \"$2\"")
        #expect(written.earned == 0)
        #expect(written.deductions.first?.reason.contains("evidence that cannot be read") == true, "\(written)")
    }

    @Test("a crash loses the check's points, with the signal and the fatal error's message")
    func crash() throws {
        let outcome = try run(
            "echo 'Fatal error: TODO: equation (5), cell state c — forward is not implemented yet' >&2; kill -ILL $$")
        #expect(outcome.earned == 0)
        let reason = outcome.deductions.first?.reason ?? ""
        #expect(reason.hasPrefix("crashed (signal 4) without an answer: Fatal error: TODO: equation (5)"), "\(reason)")
    }

    @Test("a check that hangs is stopped at its time limit and loses its points")
    func hang() throws {
        let outcome = try run("exec sleep 30")
        #expect(outcome.earned == 0)
        #expect(outcome.deductions.first?.reason == "stopped after its time limit of 1 s")
        #expect(outcome.seconds < 10)
    }

    @Test("an exit without an answer loses the points, with the status and the last message")
    func exitWithoutAnswer() throws {
        let outcome = try run("echo 'cannot read Fixtures' >&2; exit 3")
        #expect(outcome.deductions.first?.reason == "exited with status 3 without an answer: cannot read Fixtures")
    }

    @Test("a case check's question holds the inputs and none of the expected values, hidden cases included")
    func questionWithholdsAnswers() throws {
        let options = GradingOptions(
            hidden: PackageDirectory.root.appendingPathComponent("Tests/Grading/StressCases"))
        for id in ["hidden-state.fixtures", "lstm.gradients", "batch-norm.fixtures"] {
            let check = try #require(GradingCatalogue.check(id: id))
            let question = String(decoding: try check.question(options), as: UTF8.self)
            #expect(question.contains("\"inputs\""), "\(id)")
            let named = question.contains("\"outputs\"") || question.contains("\"gradients\"")
            #expect(!named, "\(id): the question names outputs or gradients")
            // No expected value appears in it, as a number written out.
            let cases = GradingCatalogue.cases(options).filter { check.selects?($0) == true }
            #expect(
                cases.contains { $0.group == "adversarial" } || id == "hidden-state.fixtures", "\(id): a hidden case")
            for fixture in cases {
                // (An output may equal an input: BatchNorm's running mean in evaluation.)
                let given = [fixture.inputs, fixture.parameters, fixture.buffers].flatMap(\.values)
                let inputs = Set(given.flatMap(\.elements))
                for expected
                    in (fixture.outputs.values.flatMap(\.elements) + fixture.gradients.values.flatMap(\.elements))
                where !inputs.contains(expected) && expected != 0 && expected.rounded() != expected {
                    let leaked = question.contains("\(expected)")
                    #expect(!leaked, "\(id): \(fixture.label) leaks \(expected)")
                }
            }
        }
    }
}
