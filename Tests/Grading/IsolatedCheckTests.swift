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

    /// Asks for a + b; the child answers; the grader judges; `timeLimit` seconds.
    static func sum(timeLimit: Double) -> GradedCheck {
        GradedCheck(
            id: "demo", task: .part1Task1, title: "a stand-in", points: 2, pieces: [], timeLimit: timeLimit,
            work: GradedWork<Terms, Int>(
                ask: { _ in Terms() }, answer: { $0.a + $0.b },
                judge: { terms, sum, _ in
                    sum == terms.a + terms.b ? [] : [Deduction(points: 2, reason: "\(sum) is not the sum")]
                }
            ))
    }

    /// The stand-in check, 1 s.
    let check = sum(timeLimit: 1)

    /// The same check with time to spare: a box takes a moment to make, more on a
    /// machine busy with the rest of the suite.
    let patient = sum(timeLimit: 60)

    /// Runs `check` (default: the patient stand-in) with `script` as the child: the
    /// question is its standard input, its standard output the evidence.
    func run(_ script: String, in box: Sandbox? = nil, check: GradedCheck? = nil) -> GradedOutcome {
        let answerer: IsolatedCheck.Answerer =
            if let box {
                .sandboxed(box, executable: "/bin/sh") { _ in ["-c", script] }
            } else {
                .process(URL(fileURLWithPath: "/bin/sh")) { _ in ["-c", script] }
            }
        return IsolatedCheck.run(check ?? patient, options: GradingOptions(), answerer: answerer)
    }

    /// Whether a process whose command line holds `marker` is running.
    /// True while a process whose command line holds `marker` is still there 2 s on: a
    /// killed process leaves the process table a moment after its signal is sent, later
    /// still on a loaded machine, so one look straight after the kill can still see it.
    func running(_ marker: String) -> Bool {
        for attempt in 0..<40 {
            let found = ChildProcess.run(URL(fileURLWithPath: "/usr/bin/pgrep"), ["-f", marker], timeLimit: 10)
            if found.ending != .exited(0) { return false }
            if attempt < 39 { usleep(50_000) }
        }
        return true
    }

    @Test("the child's evidence is judged here: a right answer earns the points, a wrong one loses them")
    func judged() {
        #expect(run("grep -q '\"a\":2' && echo 5").passed)
        let wrong = run("echo 6")
        #expect(wrong.earned == 0)
        #expect(wrong.deductions.first?.reason == "6 is not the sum")
    }

    @Test("a verdict the child prints or writes is not evidence: it earns nothing")
    func forgedVerdict() throws {
        let verdict = #"{"id":"demo","points":2,"earned":2,"deductions":[],"seconds":0}"#
        let printed = run("echo 'GRADED-OUTCOME \(verdict)'; echo 'Total: 2/2 points'; exit 0")
        #expect(printed.earned == 0)
        #expect(printed.deductions.first?.reason.contains("evidence that cannot be read") == true, "\(printed)")
        let folder = try PrivateFolder(prefix: "forged")
        defer { folder.remove() }
        let written = run("echo '[]' > \(folder.url.path)/demo.verdict.json; echo '\(verdict)' >&2")
        #expect(written.earned == 0)
        #expect(written.deductions.first?.reason.hasPrefix("exited with status 0 without an answer") == true)
    }

    @Test("a crash loses the check's points, with the signal and the fatal error's message")
    func crash() {
        let outcome = run(
            "echo 'Fatal error: TODO: equation (5), cell state c — forward is not implemented yet' >&2; kill -ILL $$")
        #expect(outcome.earned == 0)
        let reason = outcome.deductions.first?.reason ?? ""
        #expect(reason.hasPrefix("crashed (signal 4) without an answer: Fatal error: TODO: equation (5)"), "\(reason)")
    }

    @Test("a check that hangs is stopped at its time limit and loses its points")
    func hang() {
        let outcome = run("exec sleep 30", check: check)
        #expect(outcome.earned == 0)
        #expect(outcome.deductions.first?.reason == "stopped after its time limit of 1 s")
        #expect(outcome.seconds < 10)
    }

    @Test("an exit without an answer loses the points, with the status and the last message")
    func exitWithoutAnswer() {
        let outcome = run("echo 'cannot read Fixtures' >&2; exit 3")
        #expect(outcome.deductions.first?.reason == "exited with status 3 without an answer: cannot read Fixtures")
    }

    @Test("processes the child leaves in its group are killed when it ends, and the outcome says so")
    func stragglersKilled() {
        let marker = "4\(Int.random(in: 100_000...999_999))"
        let outcome = run("sleep \(marker) & sleep \(marker) & echo 5")
        #expect(outcome.passed)
        #expect(outcome.stragglers == 2, "\(outcome)")
        #expect(!running("sleep \(marker)"))
    }

    @Test(
        "in the sandbox the child sees no case, no source, no other process and no network; what it starts, detached or not, ends with it",
        .enabled(if: Sandbox.unavailableReason == nil, "the sandbox needs root"))
    func sandboxed() {
        let box = Sandbox(job: 13, exposed: [], limits: .check(memory: 1 << 30))
        let marker = "5\(Int.random(in: 100_000...999_999))"
        let cases = PackageDirectory.appending("Fixtures/cases").path
        let sources = PackageDirectory.appending("Sources").path
        let outcome = run(
            """
            setsid -f sleep \(marker); sleep \(marker) &
            ls \(cases) >&2 || ls \(sources) >&2 || cat /etc/shadow >&2 || ls /proc/1 >&2 && exit 9
            [ "$(id -u)" = \(Sandbox.firstUID + 13) ] || exit 8
            echo 5
            """, in: box)
        #expect(outcome.passed, "\(outcome)")
        #expect(outcome.stragglers == 2, "\(outcome)")
        #expect(!running("sleep \(marker)"))
        // A box that is killed at its time limit takes its processes with it.
        let hung = run("setsid -f sleep \(marker); exec sleep \(marker)", in: box, check: check)
        #expect(hung.deductions.first?.reason == "stopped after its time limit of 1 s")
        #expect(!running("sleep \(marker)"))
    }

    @Test(
        "the sandbox's self-test passes here, and its probe run without a sandbox finds what it must",
        .enabled(if: Sandbox.unavailableReason == nil, "the sandbox needs root"))
    func selfTest() throws {
        let secrets = [PackageDirectory.appending("Sources").path, "/etc/shadow"]
        let box = Sandbox(job: 14, exposed: [], limits: .check(memory: 1 << 30))
        // Here, as root and unconfined, the probe must see everything it looks for.
        let open = SandboxProbe.problems(SandboxProbe.probe(secrets: secrets), secrets: secrets, box: box)
        for expected in ["it ran as root", "it could see /etc/shadow", "it could see \(secrets[0])", "other processes"]
        {
            #expect(open.contains { $0.contains(expected) }, "\(expected): \(open)")
        }
        let course = PackageDirectory.appending(".build/release/Course")
        try #require(FileManager.default.isExecutableFile(atPath: course.path), "the Course executable is built")
        let line = try SandboxProbe.selfTest(binary: course, secrets: secrets, box: box)
        #expect(line.hasPrefix("sandbox: self-test passed"), "\(line)")
    }

    @Test("folders a killed grader left are removed at the next start; a running one's are kept")
    func staleFolders() throws {
        let parent = try PrivateFolder(prefix: "stale-parent")
        defer { parent.remove() }
        // A pid beyond the kernel's limit (4 194 304) belongs to no process.
        let dead = "learn-box-4999999-AbC123", mine = try PrivateFolder(prefix: "learn-box", in: parent.url)
        try FileManager.default.createDirectory(
            at: parent.url.appendingPathComponent(dead + "/inside"), withIntermediateDirectories: true)
        #expect(PrivateFolder.removeStale(in: parent.url) == [dead])
        #expect(FileManager.default.fileExists(atPath: mine.url.path))
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
