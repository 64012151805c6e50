import Foundation
import Learn
import LearnCourse
import Testing

/// The gradebook of `Course grade --class`: one row per student, the points adding up,
/// and read back to resume a run — never one made for other checks.
@Suite("The class gradebook")
struct GradebookTests {
    let checks = Array(GradingCatalogue.checks.prefix(3))

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
            records[0] == ["student", "part1", "part2", "total"] + checks.map(\.id) + ["status", "reason", "seconds"])
        #expect(records[1] == ["alice", "3", "0", "3", "2", "1", "0", "graded", "", "3.0"])
        #expect(records[2] == ["bob, jr", "0", "0", "0", "0", "0", "0", "did-not-build", "no \"Package\"", "1.0"])
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
        var other = Gradebook(checks: Array(GradingCatalogue.checks.prefix(2)))
        #expect(throws: GradingError.self) { try other.resume(from: file) }
    }
}
