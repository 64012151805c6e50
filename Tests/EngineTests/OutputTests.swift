import Foundation
import EngineTesting
import LearnEngine
import Testing

/// CSV quoting: a field is quoted exactly when a reader could misread it.
@Suite("CSV tables")
struct CSVTableTests {
    @Test(
        "a field is quoted only when it must be, with quotes doubled inside",
        arguments: [
            ("plain", "plain"),
            ("", ""),
            ("inner space", "inner space"),
            ("0.6931", "0.6931"),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("\"", "\"\"\"\""),
            ("line\nbreak", "\"line\nbreak\""),
            ("carriage\rreturn", "\"carriage\rreturn\""),
            ("windows\r\nline", "\"windows\r\nline\""),
            ("ends with CRLF\r\n", "\"ends with CRLF\r\n\""),
            (" leading", "\" leading\""),
            ("trailing ", "\"trailing \""),
            (" both ", "\" both \""),
            ("tab\tinside", "tab\tinside"),
        ])
    func quoting(field: String, expected: String) {
        #expect(CSVTable.quoted(field) == expected)
    }

    @Test("the text is the header, then one line per row, each ending with \\n")
    func text() {
        var table = CSVTable(header: ["name", "value"])
        table.append(["log 2", "0.6931"])
        table.append(["a, b", "say \"x\""])
        #expect(table.text == "name,value\nlog 2,0.6931\n\"a, b\",\"say \"\"x\"\"\"\n")
        #expect(table.rows.count == 2)
    }

    @Test("the records read back are the fields written, whatever they hold; an open quote is nil")
    func readBack() {
        let fields = [
            "plain", "", "a,b", "say \"hi\"", "\"", "line\nbreak", "carriage\rreturn", "windows\r\nline", " both ",
        ]
        var table = CSVTable(header: ["field", "again"])
        for field in fields { table.append([field, field + "!"]) }
        let records = CSVTable.records(in: table.text)
        #expect(records == [["field", "again"]] + fields.map { [$0, $0 + "!"] })
        #expect(CSVTable.records(in: "a,\"b\n") == nil)
        #expect(CSVTable.records(in: "") == [])
    }

    @Test("a table with no rows is its header line")
    func headerOnly() {
        #expect(CSVTable(header: ["iteration", "d_loss"]).text == "iteration,d_loss\n")
    }

    @Test("written to a file, the table reads back byte for byte")
    func writes() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var table = CSVTable(header: ["x", "note"])
        table.append(["1", "first, with a comma"])
        table.append(["2", "two\nlines"])
        let path = directory.appendingPathComponent("table.csv").path
        try table.write(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == table.text)
    }
}

/// LineChart: where ticks go, and text that cannot break the SVG.
@Suite("Line charts")
struct LineChartTests {
    /// A chart with one straight series, for checking the document's text.
    static func chart(
        title: String = "t", xLabel: String = "x", yLabel: String = "y", series: String = "s"
    ) -> LineChart {
        var chart = LineChart(title: title, xLabel: xLabel, yLabel: yLabel)
        chart.series = [.init(name: series, points: [.init(x: 0, y: 0), .init(x: 10, y: 1)])]
        return chart
    }

    @Test(
        "automatic ticks are round numbers 1, 2 or 5 × 10ᵏ apart",
        arguments: [
            (0.0...1.0, [0, 0.2, 0.4, 0.6, 0.8, 1]),
            (0.0...100.0, [0, 20, 40, 60, 80, 100]),
            (0.0...9_370.0, [0, 2_000, 4_000, 6_000, 8_000]),
            (-1.0...1.0, [-1, -0.5, 0, 0.5, 1]),
            (0.5...0.9, [0.5, 0.6, 0.7, 0.8, 0.9]),
            (0.37...2.9, [0.5, 1, 1.5, 2, 2.5]),
            (-0.003...0.012, [0, 0.005, 0.01]),
        ])
    func niceTicks(range: ClosedRange<Double>, expected: [Double]) {
        let ticks = LineChart.niceTicks(in: range)
        #expect(ticks.count == expected.count, "ticks \(ticks)")
        for (tick, wanted) in zip(ticks, expected) {
            #expect(abs(tick - wanted) <= 1e-12 * max(1, abs(wanted)), "ticks \(ticks), expected \(expected)")
            #expect(range.contains(tick), "tick \(tick) outside \(range)")
        }
    }

    @Test(
        "a tick at zero is +0, so it never prints as \"-0\"",
        arguments: [-1.0...1.0, -5.0...3.0, -0.3...0.1, -0.003...0.012])
    func noNegativeZero(range: ClosedRange<Double>) throws {
        let zero = try #require(LineChart.niceTicks(in: range).first { $0 == 0 })
        #expect(zero.sign == .plus)
    }

    @Test("an empty or single-point range gives one tick, not a loop", arguments: [3.0...3.0, 0.0...0.0])
    func degenerateRange(range: ClosedRange<Double>) {
        #expect(LineChart.niceTicks(in: range) == [range.lowerBound])
    }

    @Test("given ticks outside the shown range are left out, the rest labelled with the unit")
    func givenTicks() {
        var chart = Self.chart()
        chart.yRange = 0...100
        chart.yTicks = [0, 50, 100, 150]
        chart.yUnit = "%"
        let svg = chart.svg
        for label in ["0%", "50%", "100%"] {
            #expect(svg.contains(">\(label)</text>"), "missing tick label \(label)")
        }
        #expect(!svg.contains(">150%</text>"))
    }

    @Test("tick labels: whole numbers without a decimal point, others with up to 4 significant digits")
    func tickLabels() {
        var chart = Self.chart()
        chart.xRange = 0...10
        chart.xTicks = [2, 2.5, 0.123456]
        let svg = chart.svg
        #expect(svg.contains(">2</text>"))
        #expect(svg.contains(">2.5</text>"))
        #expect(svg.contains(">0.1235</text>"))
        #expect(!svg.contains(">2.0</text>"))
    }

    /// Text with every character XML reserves.
    static let hostile = "D(x) < 0.5 & G's \"loss\" > log 2"
    static let escaped = "D(x) &lt; 0.5 &amp; G&apos;s &quot;loss&quot; &gt; log 2"

    @Test(
        "the title, axis labels and legend are escaped for XML",
        arguments: ["title", "x label", "y label", "series name"])
    func escaping(field: String) {
        let h = Self.hostile
        let chart =
            switch field {
            case "title": Self.chart(title: h)
            case "x label": Self.chart(xLabel: h)
            case "y label": Self.chart(yLabel: h)
            default: Self.chart(series: h)
            }
        let svg = chart.svg
        #expect(svg.contains(">\(Self.escaped)</text>"))
        #expect(!svg.contains(h))
        // Outside the markup itself, no raw & remains that is not an entity.
        let text = svg.replacingOccurrences(of: "&amp;", with: "").replacingOccurrences(of: "&lt;", with: "")
            .replacingOccurrences(of: "&gt;", with: "").replacingOccurrences(of: "&quot;", with: "")
            .replacingOccurrences(of: "&apos;", with: "")
        #expect(!text.contains("&"))
    }

    @Test("non-finite points are skipped rather than written as nan")
    func nonFinitePoints() {
        var chart = Self.chart()
        chart.series[0].points.append(.init(x: 11, y: .nan))
        chart.series[0].points.append(.init(x: .infinity, y: 1))
        let svg = chart.svg.lowercased()
        #expect(!svg.contains("nan"))
        #expect(!svg.contains("inf"))
    }
}

/// TextFile: atomic writes through a temporary file, and errors that name the path.
@Suite("Text files")
struct TextFileTests {
    /// The names in `directory`, hidden ones included, sorted.
    func contents(_ directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    @Test("write puts the text in the file and leaves no temporary file behind")
    func writes() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("notes.txt").path
        try TextFile.write("first\n", to: path)
        try TextFile.write("second, longer, with ünïcode ✓\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second, longer, with ünïcode ✓\n")
        #expect(try contents(directory) == ["notes.txt"])
    }

    @Test("an empty text makes an empty file")
    func empty() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("empty.csv").path
        try TextFile.write("", to: path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).isEmpty)
        #expect(try contents(directory) == ["empty.csv"])
    }

    @Test(
        "a path that cannot be written throws an error naming it and the reason",
        arguments: ["/proc/learn-output-test.csv", "/proc/no-such-directory/chart.svg", "/nonexistent-learn-dir/x.txt"])
    func unwritable(path: String) {
        #expect(throws: OutputFileError.self) { try TextFile.write("x", to: path) }
        do {
            try TextFile.write("x", to: path)
        } catch {
            #expect(error.path == path)
            #expect(error.action == .writeFile)
            #expect(!error.reason.isEmpty)
            #expect(error.description == "cannot write \(path): \(error.reason)")
        }
    }

    @Test("a rename that fails removes the temporary file (the destination is a directory)")
    func failedRename() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let blocked = directory.appendingPathComponent("results.csv")
        try FileManager.default.createDirectory(at: blocked, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: blocked.appendingPathComponent("inside"))
        #expect(throws: OutputFileError.self) { try TextFile.write("a,b\n", to: blocked.path) }
        #expect(try contents(directory) == ["results.csv"])
        #expect(try contents(blocked) == ["inside"])
    }

    @Test("createDirectory makes missing parents and accepts an existing directory")
    func createsDirectories() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let nested = directory.appendingPathComponent("out/part2-task2").path
        try TextFile.createDirectory(nested)
        try TextFile.createDirectory(nested)
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: nested, isDirectory: &isDirectory) && isDirectory.boolValue)
    }

    @Test("createDirectory fails with the path when it cannot create, or a file is in the way")
    func directoryErrors() throws {
        #expect(throws: OutputFileError.self) { try TextFile.createDirectory("/proc/learn-output-test/out") }
        do {
            try TextFile.createDirectory("/proc/learn-output-test/out")
        } catch {
            #expect(error.action == .createDirectory)
            #expect(error.path.hasPrefix("/proc/learn-output-test"))
        }

        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("taken").path
        try TextFile.write("x", to: file)
        #expect(
            throws: OutputFileError(path: file, action: .createDirectory, reason: "a file of that name is in the way")
        ) {
            try TextFile.createDirectory(file)
        }
    }
}

@Suite("Temporary files of interrupted saves")
struct StaleTemporaryTests {
    @Test("a save's temporary file whose process is gone is removed; one of a running process is kept")
    func removesOnlyStaleOnes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stale-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A pid beyond the kernel's limit (4 194 304) belongs to no process.
        let stale = ".gan.checkpoint.4999999.tmp"
        let live = ".gan.checkpoint.\(ProcessInfo.processInfo.processIdentifier).tmp"
        let mine = (BinaryFile.temporaryPath(for: directory + "/gan.checkpoint") as NSString).lastPathComponent
        let staleOfMine = ".gan.checkpoint.token.4999999.tmp"
        for name in [stale, live, staleOfMine, mine, "gan.checkpoint", ".hidden"] {
            try Data("x".utf8).write(to: URL(fileURLWithPath: directory + "/" + name))
        }
        #expect(BinaryFile.removeStaleTemporaries(in: directory) == [stale, staleOfMine].sorted())
        let left = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(left == [live, mine, ".hidden", "gan.checkpoint"].sorted())
        // The name holds this process's id last, and a random token no other process can guess.
        #expect(mine.hasSuffix(".\(ProcessInfo.processInfo.processIdentifier).tmp"))
        #expect(mine != BinaryFile.temporaryPath(for: directory + "/other"))
    }

    @Test("a symlink or a file planted at the temporary name is never followed: the write fails, nothing else changes")
    func refusesPlantedTemporary() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("planted-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let target = directory + "/victim", book = directory + "/grades.csv"
        try Data("precious".utf8).write(to: URL(fileURLWithPath: target))
        try Data("old".utf8).write(to: URL(fileURLWithPath: book))
        try FileManager.default.createSymbolicLink(
            atPath: BinaryFile.temporaryPath(for: book), withDestinationPath: target)
        #expect(throws: OutputFileError.self) { try TextFile.write("forged", to: book) }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious")
        #expect(try String(contentsOfFile: book, encoding: .utf8) == "old")
        // A symlink at the destination itself is replaced by the file, never written through.
        try FileManager.default.removeItem(atPath: BinaryFile.temporaryPath(for: book))
        try FileManager.default.removeItem(atPath: book)
        try FileManager.default.createSymbolicLink(atPath: book, withDestinationPath: target)
        try TextFile.write("new", to: book)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: book)) == nil)
        #expect(try String(contentsOfFile: book, encoding: .utf8) == "new")
    }
}

@Suite("Reading a file")
struct ReadingTests {
    @Test("a regular file is read whole; a missing path, a directory, a device and a pipe are refused in plain words")
    func refusesWhatIsNoFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("read-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("bytes")
        try Data([1, 2, 3]).write(to: file)
        #expect(try BinaryFile.read(file) == [1, 2, 3])
        let pipe = directory.appendingPathComponent("pipe")
        #expect(mkfifo(pipe.path, 0o600) == 0)
        #expect(throws: BinaryFile.ReadFailure.missing) {
            try BinaryFile.read(directory.appendingPathComponent("none"))
        }
        #expect(throws: BinaryFile.ReadFailure.unreadable("it is a directory, not a file")) {
            try BinaryFile.read(directory)
        }
        for special in [URL(fileURLWithPath: "/dev/zero"), pipe] {
            #expect(
                throws: BinaryFile.ReadFailure.unreadable("it is not a regular file (a device, a pipe or a socket)")
            ) {
                try BinaryFile.read(special)
            }
        }
    }
}
