import Foundation
import Learn
import LearnCourse
import Testing

/// The gradebook of `Course grade --class`: one row per student, the points adding up,
/// and read back to resume a run — never one made for other checks.
@Suite("The class gradebook")
struct GradebookTests {
    let checks = Array(GradingCatalogue.checks(for: .three).prefix(3))

    func outcomes(_ earned: [Int]) -> [GradedOutcome] {
        zip(checks, earned).map { check, e in
            GradedOutcome(
                check: check, deductions: e == check.points ? [] : [Deduction(points: check.points - e, reason: "x")],
                seconds: 1)
        }
    }

    @Test("a row per student: the parts, the total, each check's points, the status and the reason")
    func rows() throws {
        var book = Gradebook(checks: checks)
        book.append(.init(student: "alice", status: .graded, reason: "", outcomes: outcomes([2, 1, 0]), seconds: 3))
        book.append(.init(student: "bob, jr", status: .didNotBuild, reason: "no \"Package\"", outcomes: [], seconds: 1))
        let records = try #require(CSVTable.records(in: book.table.text))
        #expect(
            records[0] == ["student", "part1", "part2", "total"] + checks.map(\.id)
                + ["status", "reason", "seconds", "check"])
        let alice = ["alice", "3", "0", "3", "2", "1", "0", "graded", "", "3.0"]
        let bob = ["bob, jr", "0", "0", "0", "0", "0", "0", "did-not-build", "no \"Package\"", "1.0"]
        #expect(records[1] == alice + [Gradebook.check(of: alice)])
        #expect(records[2] == bob + [Gradebook.check(of: bob)])
        #expect(Gradebook.check(of: alice) != Gradebook.check(of: bob) && Gradebook.check(of: alice).count == 8)
    }

    @Test("a gradebook of Assignment 2 has its parts' columns, part1, part2 and part3, each adding its own checks")
    func assignmentTwo() throws {
        let all = GradingCatalogue.checks(for: .two)
        let picked = [all.first { $0.task.part == 1 }!, all.first { $0.task.part == 3 }!]
        var book = Gradebook(checks: picked)
        let outcomes = picked.map { GradedOutcome(check: $0, deductions: [], seconds: 1) }
        book.append(.init(student: "carol", status: .graded, reason: "", outcomes: outcomes, seconds: 2))
        let records = try #require(CSVTable.records(in: book.table.text))
        #expect(Array(records[0].prefix(5)) == ["student", "part1", "part2", "part3", "total"])
        let points = picked.map(\.points)
        #expect(
            Array(records[1].prefix(5)) == ["carol", "\(points[0])", "0", "\(points[1])", "\(points[0] + points[1])"])
    }

    @Test("a gradebook read back keeps its students; one of other checks is refused")
    func resume() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("book-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        var book = Gradebook(checks: checks)
        book.append(.init(student: "alice", status: .graded, reason: "", outcomes: outcomes([2, 1, 1]), seconds: 3))
        try book.table.write(to: file.path)
        var again = Gradebook(checks: checks)
        try again.resume(from: file)
        #expect(again.students == ["alice"])
        again.append(.init(student: "carol", status: .timedOut, reason: "late", outcomes: [], seconds: 9))
        #expect(CSVTable.records(in: again.table.text)?.map(\.first) == ["student", "alice", "carol"])
        var other = Gradebook(checks: Array(GradingCatalogue.checks(for: .three).prefix(2)))
        #expect(throws: GradingError.self) { try other.resume(from: file) }
    }

    /// A gradebook of three students, written by the grader, then `edit`ed as text.
    func resumed(after edit: (String) -> String) throws -> Gradebook {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("book-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        var book = Gradebook(checks: checks)
        book.append(.init(student: "alice", status: .graded, reason: "", outcomes: outcomes([2, 1, 1]), seconds: 3))
        book.append(.init(student: "bob", status: .graded, reason: "", outcomes: outcomes([1, 1, 0]), seconds: 3))
        book.append(.init(student: "carol", status: .unreadable, reason: "a \"zip\", not", outcomes: [], seconds: 1))
        try Data(edit(book.table.text).utf8).write(to: file)
        var again = Gradebook(checks: checks)
        try again.resume(from: file)
        return again
    }

    @Test("resuming keeps the grader's rows and sets aside, saying why, a row edited by hand or cut short")
    func rowsNotTheGradersAreGradedAgain() throws {
        let untouched = try resumed { $0 }
        #expect(untouched.students == ["alice", "bob", "carol"] && untouched.setAside.isEmpty)
        // bob's total raised to 99 by hand: the fields are well formed, the check is not.
        let edited = try resumed { $0.replacingOccurrences(of: "bob,2,0,2,", with: "bob,2,0,99,") }
        #expect(edited.students == ["alice", "carol"])
        #expect(edited.setAside.map(\.student) == ["bob"])
        #expect(edited.setAside.first?.reason.contains("not as the grader wrote it") == true)
        // The last row cut short inside its quoted reason: the rest is read.
        let cut = try resumed { String($0[..<$0.range(of: "zip")!.lowerBound]) }
        #expect(cut.students == ["alice", "bob"])
        #expect(cut.setAside.map(\.student) == ["carol"] && cut.setAside[0].reason.contains("cut short"))
        // Cut short between fields: too few columns.
        let fewer = try resumed { String($0[..<$0.range(of: ",graded,,3.0", options: .backwards)!.lowerBound]) + "\n" }
        #expect(fewer.setAside.map(\.student) == ["bob"] && fewer.setAside[0].reason.contains("columns"))
        // A student twice: neither row is trusted.
        let twice = try resumed { $0 + ($0.split(separator: "\n")[1] + "\n") }
        #expect(twice.students == ["bob", "carol"] && twice.setAside.map(\.student) == ["alice"])
    }
}
