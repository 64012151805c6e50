import Foundation
import Learn

/// A class's grades, one row per student, as `Course grade --class` writes them:
///
///     student,part1,part2,total,gate-g.fixtures,…,judge.accuracy,status,reason,seconds,check
///     alice,40,55,95,2,…,3,graded,,74.2,5b0e33c1
///     bob,0,0,0,0,…,0,did-not-build,"the package does not build …",12.0,9d1f07aa
///
/// Read back to resume an interrupted run: a student with a row is not graded again —
/// unless the row is not the grader's as it wrote it. The last column, `check`, is the
/// CRC-32 of the row's other fields, so a row cut short, typed in or edited by hand (a
/// total raised to 99) is found, reported and graded again, and every number in a
/// gradebook is one the grader wrote.
public struct Gradebook: Sendable {
    /// How a student's grading ended.
    public enum Status: String, Sendable, CaseIterable {
        /// Every check ran (points may have been lost).
        case graded
        /// The submission could not be read or unpacked, or holds no package.
        case unreadable
        /// Not even the kit's own stubs built with it.
        case didNotBuild = "did-not-build"
        /// The build or the grading ran past its time limit.
        case timedOut = "timed-out"
    }

    /// One student's row.
    public struct Row: Sendable {
        /// The student's name: the submission's file or folder name without its extension.
        public var student: String
        /// How the grading ended.
        public var status: Status
        /// Why it was not graded, or what was graded as unwritten; empty when nothing to say.
        public var reason: String
        /// Each check's outcome, in the catalogue's order; empty when not graded.
        public var outcomes: [GradedOutcome]
        /// Wall-clock seconds spent on this student, build and checks included.
        public var seconds: Double

        /// A row from its columns.
        public init(student: String, status: Status, reason: String, outcomes: [GradedOutcome], seconds: Double) {
            (self.student, self.status, self.reason, self.outcomes, self.seconds) =
                (student, status, reason, outcomes, seconds)
        }

        /// Points earned in `part` (1, 2 or 3), or in every part when nil.
        public func points(part: Int? = nil, of checks: [GradedCheck]) -> Int {
            zip(checks, outcomes).filter { part == nil || $0.0.task.part == part }.reduce(0) { $0 + $1.1.earned }
        }
    }

    /// The checks graded, which name the columns.
    public let checks: [GradedCheck]
    /// The rows, in the order they were added.
    public private(set) var rows: [Row] = []
    /// The lines of students graded in an earlier run, kept as they were.
    public private(set) var earlier: [[String]] = []

    /// An empty gradebook for `checks`.
    public init(checks: [GradedCheck]) {
        self.checks = checks
    }

    /// The rows of an earlier run that ``resume(from:)`` set aside, to be graded again,
    /// each with why: cut short, or not as the grader wrote it.
    public private(set) var setAside: [(student: String, reason: String)] = []

    /// The parts of the checks' assignment, in order: 1 and 2 for Assignment 3, 1 and 3
    /// for Assignment 2 (whatever `--only` chose, so the columns stay the same).
    public var parts: [Int] {
        (checks.first?.task.assignment ?? .standard).points.map(\.part)
    }

    /// The columns.
    public var header: [String] {
        ["student"] + parts.map { "part\($0)" } + ["total"] + checks.map(\.id) + [
            "status", "reason", "seconds", "check",
        ]
    }

    /// The `check` field of a row with `fields` (every other field, in order): their
    /// CRC-32 in hexadecimal, the fields joined by the unit separator U+001F, which no
    /// field holds.
    public static func check(of fields: [String]) -> String {
        String(format: "%08x", Checksum.crc32(Array(fields.joined(separator: "\u{1F}").utf8)))
    }

    /// The students with a row, earlier or new.
    public var students: Set<String> {
        Set(earlier.map { $0[0] } + rows.map(\.student))
    }

    /// Adds a student's row.
    public mutating func append(_ row: Row) {
        rows.append(row)
    }

    /// Reads the rows of an earlier run from `file`; throws when it is not a gradebook of
    /// these checks (other columns), so a resume never mixes two kinds of rows.
    public mutating func resume(from file: URL) throws(GradingError) {
        guard var text = try? String(contentsOf: file, encoding: .utf8) else {
            throw GradingError(problem: "\(file.path) cannot be read")
        }
        // A last line cut short inside a quoted field (a copy that stopped part-way)
        // leaves the rest readable: that line is set aside like any other cut short.
        var cutShort: String?
        if CSVTable.records(in: text) == nil, let end = text.dropLast().lastIndex(of: "\n"),
            CSVTable.records(in: String(text[...end])) != nil
        {
            cutShort = String(text[text.index(after: end)...].prefix { $0 != "," })
            text = String(text[...end])
        }
        guard let table = CSVTable.records(in: text) else {
            throw GradingError(problem: "\(file.path) is not a CSV file (a quoted field is not closed)")
        }
        guard let first = table.first, first == header else {
            throw GradingError(
                problem: "\(file.path) is a gradebook of other checks (its columns differ); "
                    + "grade into a new file, or with the same --only")
        }
        (earlier, setAside) = ([], [])
        for line in table.dropFirst() {
            let student = line.first ?? ""
            if line.count != header.count {
                setAside.append((student, "its row is cut short (\(line.count) of \(header.count) columns)"))
            } else if line.last != Self.check(of: Array(line.dropLast())) {
                setAside.append((student, "its row is not as the grader wrote it (its check does not match: edited?)"))
            } else if students.contains(student) {
                setAside.append((student, "it has two rows"))
                earlier.removeAll { $0.first == student }
            } else {
                earlier.append(line)
            }
        }
        if let cutShort { setAside.append((cutShort, "its row is cut short (a quoted field is not closed)")) }
        // A student set aside for one row is graded again even if another row of theirs was sound.
        let again = Set(setAside.map(\.student))
        earlier.removeAll { again.contains($0[0]) }
    }

    /// The whole table, earlier rows first.
    public var table: CSVTable {
        var table = CSVTable(header: header)
        for line in earlier { table.append(line) }
        for row in rows {
            let scores = row.outcomes.isEmpty ? checks.map { _ in "0" } : row.outcomes.map { "\($0.earned)" }
            let fields =
                [row.student] + parts.map { "\(row.points(part: $0, of: checks))" } + ["\(row.points(of: checks))"]
                + scores + [row.status.rawValue, row.reason, String(format: "%.1f", row.seconds)]
            table.append(fields + [Self.check(of: fields)])
        }
        return table
    }
}
