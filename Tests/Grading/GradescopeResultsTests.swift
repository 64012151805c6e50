import Foundation
import Learn
import LearnCourse
import Testing

/// `results.json` as Gradescope documents it: the fields, their types, a test per check
/// with the scores adding up, the checks on hidden cases shown when the instructor
/// chose, and a file even when nothing could be graded.
@Suite("Gradescope's results.json")
struct GradescopeResultsTests {
    let checks = Array(GradingCatalogue.checks(for: .three).prefix(4)) + [GradingCatalogue.checks(for: .three).last!]

    func outcomes(_ earned: [Int]) -> [GradedOutcome] {
        zip(checks, earned).map { check, e in
            GradedOutcome(
                check: check,
                deductions: e == check.points
                    ? [] : [Deduction(points: check.points - e, reason: "case x: wrong\n  tensor y: 1 vs 2")],
                seconds: 1)
        }
    }

    /// The file as Gradescope reads it: untyped JSON.
    func json(_ results: GradescopeResults) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: results.encoded()) as? [String: Any])
    }

    @Test("the documented fields and types; a test per check; the scores add up")
    func fields() throws {
        let earned = checks.map { max(0, $0.points - 1) }
        let results = GradescopeResults(
            checks: checks, outcomes: outcomes(earned), hiddenChecks: [checks[0].id], hiddenVisibility: .afterDueDate,
            stdoutVisibility: .hidden, output: "**Part I: 3/40**", seconds: 93.6)
        let file = try json(results)
        #expect(Set(file.keys) == ["score", "execution_time", "output", "output_format", "stdout_visibility", "tests"])
        #expect(file["score"] as? Double == Double(earned.reduce(0, +)))
        #expect(file["execution_time"] as? Int == 94)
        #expect(file["output_format"] as? String == "md")
        #expect(file["stdout_visibility"] as? String == "hidden")
        let tests = try #require(file["tests"] as? [[String: Any]])
        #expect(tests.count == checks.count)
        var sum = 0.0
        for (k, (test, check)) in zip(tests, checks).enumerated() {
            #expect(
                Set(test.keys)
                    == [
                        "name", "number", "score", "max_score", "status", "output", "output_format", "tags",
                        "visibility",
                    ])
            #expect((test["name"] as? String)?.hasSuffix("[\(check.id)]") == true)
            #expect(test["max_score"] as? Double == Double(check.points))
            #expect(test["score"] as? Double == Double(earned[k]))
            #expect(test["status"] as? String == (earned[k] == check.points ? "passed" : "failed"))
            #expect(test["tags"] as? [String] == ["part\(check.task.part)", check.task.rawValue])
            #expect(test["visibility"] as? String == (k == 0 ? "after_due_date" : "visible"))
            #expect(test["output_format"] as? String == "md")
            sum += test["score"] as? Double ?? .nan
        }
        #expect(sum == file["score"] as? Double)
        #expect(tests.map { $0["number"] as? String } == ["1.1", "1.2", "1.3", "1.4", "2.1"])
        // A reason's first line is text, the rest — cases, tensors, values — a code block.
        #expect((tests[0]["output"] as? String) == "**−1**: case x: wrong\n\n```\n  tensor y: 1 vs 2\n```")
    }

    @Test("a submission that could not be graded: every test at 0, failed, and the reason as the output")
    func notGraded() throws {
        let results = GradescopeResults(
            checks: checks, outcomes: [], hiddenChecks: [], hiddenVisibility: .hidden, stdoutVisibility: .visible,
            output: "**Not graded (unreadable)**", seconds: 2)
        let file = try json(results)
        #expect(file["score"] as? Double == 0)
        let tests = try #require(file["tests"] as? [[String: Any]])
        #expect(tests.allSatisfy { $0["score"] as? Double == 0 && $0["status"] as? String == "failed" })
        #expect(file["output"] as? String == "**Not graded (unreadable)**")
    }

    @Test("every visibility is spelled as Gradescope spells it")
    func visibilities() {
        #expect(
            GradescopeResults.Visibility.allCases.map(\.rawValue) == [
                "visible", "hidden", "after_due_date", "after_published",
            ])
    }
}
