import Foundation
import Learn
import LearnCourse
import LearnTesting
import Testing

/// Learn against the committed reference cases in `Fixtures/cases` (made by PyTorch in
/// float64 — see `Fixtures/README.md`), and the loader's errors on broken files.
@Suite("Fixtures: Learn against PyTorch's reference values")
struct FixtureTests {
    /// `Fixtures/cases`, found from this file: …/Tests/UnitTests/FixtureTests.swift.
    static let casesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/cases")

    /// Every committed case, as a path relative to `Fixtures/cases` ("models/lstm-T10-H4-palindromes.json"),
    /// so that a failing test names its case.
    static let caseFiles: [String] = {
        let root = casesDirectory.standardizedFileURL.path + "/"
        let files = (try? FixtureCase.caseFiles(under: casesDirectory)) ?? []
        return files.map { String($0.standardizedFileURL.path.dropFirst(root.count)) }
    }()

    @Test("the committed cases are found, in every group")
    func casesAreFound() {
        let groups = Set(Self.caseFiles.map { $0.split(separator: "/").first.map(String.init) ?? "" })
        #expect(Self.caseFiles.count >= 40, "found \(Self.caseFiles.count) cases in \(Self.casesDirectory.path)")
        #expect(groups == ["equations", "models", "layers", "gan", "optimizers"], "groups: \(groups.sorted())")
    }

    /// Each case in a process of its own: a piece that stops the program (two shapes that
    /// do not fit) fails its cases alone, and the run goes on.
    @Test("Learn reproduces the reference case", arguments: caseFiles)
    func referenceCase(_ file: String) async throws {
        let fixture = try FixtureCase.load(from: Self.casesDirectory.appendingPathComponent(file))
        guard await written(GradingCatalogue.pieces(for: fixture)) else { return }
        // (A failed exit expectation returns no result, so the message is not shown here;
        // `Course grade` prints it in the reason of the check that takes this case.)
        await #expect(
            processExitsWith: .success,
            "\(file) stopped the program; `swift run -c release Course grade` shows the message"
        ) { [file] in
            let fixture = try FixtureCase.load(from: FixtureTests.casesDirectory.appendingPathComponent(file))
            let result = FixtureRunner.run(fixture)
            #expect(result.passed, "\(result)")
            // Every expected tensor was compared: none was skipped or left without a value.
            #expect(result.comparisons.count == fixture.outputs.count + fixture.gradients.count, "\(result.report)")
        }
    }

    @Test("every kind has at least one committed case")
    func everyKindIsCovered() throws {
        var kinds = Set<FixtureKind>()
        for file in Self.caseFiles {
            kinds.insert(try FixtureCase.load(from: Self.casesDirectory.appendingPathComponent(file)).kind)
        }
        let missing = Set(FixtureKind.allCases).subtracting(kinds).map(\.rawValue).sorted()
        #expect(missing.isEmpty, "no case of kind \(missing)")
    }

    // MARK: - Failures are reported with the tensor, the index and both values

    @Test("a changed expected value fails, naming the case, tensor, worst index and both values", .requires(.linear))
    func disagreementIsReported() throws {
        var fixture = try FixtureCase.load(
            from: Self.casesDirectory.appendingPathComponent("layers/linear-worked-example.json"))
        fixture.gradients["w"]?[1, 0] = 2.5  // the true value is 2
        let result = FixtureRunner.run(fixture)
        #expect(!result.passed)
        let text = result.description
        for fragment in [
            "FAIL layers/linear-worked-example", "gradients.w", "(1, 0)", "Learn 2.0", "expected 2.5",
            "1 of 4 elements",
        ] {
            #expect(text.contains(fragment), "missing \"\(fragment)\" in:\n\(text)")
        }
        #expect(result.failures.map(\.tensor) == ["gradients.w"])
    }

    // MARK: - Broken files give clear errors

    /// The worked example as JSON text, for breaking in one place at a time.
    static let workedExample = """
        {
          "kind": "linear", "name": "tiny", "description": "y = x·Wᵀ + b",
          "precision": "float64", "tolerance": {"relative": 1e-10, "floor": 1e-4},
          "inputs": {"x": {"shape": [1, 2], "values": [1.0, 2.0]}},
          "parameters": {
            "w": {"shape": [2, 2], "values": [0.5, -1.0, 2.0, 0.0]},
            "b": {"shape": [1, 2], "values": [0.25, -0.5]}
          },
          "outputs": {"y": {"shape": [1, 2], "values": [-1.25, 1.5]}},
          "objective": {"type": "weightedSum", "output": "y", "weights": {"shape": [1, 2], "values": [1.0, 2.0]}},
          "gradients": {
            "x": {"shape": [1, 2], "values": [4.5, -1.0]},
            "w": {"shape": [2, 2], "values": [1.0, 2.0, 2.0, 4.0]},
            "b": {"shape": [1, 2], "values": [1.0, 2.0]}
          }
        }
        """

    static func parse(_ text: String) throws -> FixtureCase {
        try FixtureCase(data: Data(text.utf8), source: "broken.json")
    }

    @Test("the inline worked example loads and passes", .requires(.linear))
    func workedExamplePasses() throws {
        let result = FixtureRunner.run(try Self.parse(Self.workedExample))
        #expect(result.passed, "\(result)")
    }

    /// A broken variant of the worked example and a phrase its error must contain.
    struct Breakage: CustomStringConvertible, Sendable {
        var description: String
        var replace: String
        var with: String
        var expected: String
    }

    static let breakages: [Breakage] = [
        Breakage(
            description: "malformed JSON", replace: "\"kind\": \"linear\",", with: "\"kind\": \"linear\"",
            expected: "is not valid JSON"),
        Breakage(
            description: "unknown kind", replace: "\"kind\": \"linear\"", with: "\"kind\": \"convolution\"",
            expected: "unknown kind \"convolution\""),
        Breakage(
            description: "missing field", replace: "\"precision\": \"float64\",", with: "",
            expected: "missing field precision"),
        Breakage(
            description: "too few values for the shape", replace: "[0.5, -1.0, 2.0, 0.0]", with: "[0.5, -1.0, 2.0]",
            expected: "parameters.w has shape 2×2, which needs 4 values, but has 3"),
        Breakage(
            description: "a shape that does not fit the others",
            replace: "\"b\": {\"shape\": [1, 2], \"values\": [0.25, -0.5]}",
            with: "\"b\": {\"shape\": [1, 3], \"values\": [0.25, -0.5, 1]}",
            expected: "parameters.b is 1×3, expected 1×O with O = 2 (from parameters.w)"),
        Breakage(
            description: "a value that is not a number", replace: "[4.5, -1.0]", with: "[4.5, \"one\"]",
            expected: "gradients.x.values[1] must be a number"),
        Breakage(
            description: "a missing gradient", replace: "\"x\": {\"shape\": [1, 2], \"values\": [4.5, -1.0]},",
            with: "", expected: "missing gradients.x"),
        Breakage(
            description: "an unexpected tensor", replace: "\"inputs\": {",
            with: "\"inputs\": {\"z\": {\"shape\": [1, 1], \"values\": [0]}, ",
            expected: "unexpected inputs.z"),
        Breakage(
            description: "an unknown option", replace: "\"inputs\":",
            with: "\"options\": {\"slope\": 0.2}, \"inputs\":",
            expected: "options.slope is not an option of a linear case"),
        Breakage(
            description: "the wrong objective", replace: "\"type\": \"weightedSum\"", with: "\"type\": \"output\"",
            expected: "the objective of a linear case must be"),
        Breakage(
            description: "another precision", replace: "\"float64\"", with: "\"float32\"",
            expected: "precision \"float32\" is not supported"),
        Breakage(
            description: "a negative shape", replace: "\"shape\": [1, 2], \"values\": [1.0, 2.0]}},",
            with: "\"shape\": [-1, 2], \"values\": [1.0, 2.0]}},", expected: "inputs.x.shape must be [rows, columns]"),
    ]

    @Test("a broken file throws an error naming the file and the problem", arguments: breakages)
    func brokenFile(_ breakage: Breakage) {
        #expect(Self.workedExample.contains(breakage.replace), "the breakage does not apply")
        let text = Self.workedExample.replacingOccurrences(of: breakage.replace, with: breakage.with)
        do {
            _ = try Self.parse(text)
            Issue.record("\(breakage) loaded without an error")
        } catch let error as FixtureError {
            #expect(error.file == "broken.json")
            #expect(error.description.hasPrefix("broken.json: "))
            #expect(error.problem.contains(breakage.expected), "\(error)")
        } catch {
            Issue.record("\(breakage) threw \(error), not a FixtureError")
        }
    }

    /// Errors that depend on a kind's own rules, made from committed cases.
    @Test("kind-specific mistakes are caught at load time, before the library could trap")
    func kindSpecificErrors() throws {
        func broken(_ file: String, _ edit: (inout String) -> Void) throws -> String {
            var text = try String(contentsOf: Self.casesDirectory.appendingPathComponent(file), encoding: .utf8)
            edit(&text)
            do {
                _ = try Self.parse(text)
                return "(no error)"
            } catch let error as FixtureError {
                return error.problem
            }
        }
        // A label outside 0..<K would trap in the softmax; a LeakyReLU slope of 1.5 in
        // its initialiser; a gate with the wrong activation is a contradiction.
        let label = try broken("equations/softmax-cross-entropy-single-example.json") { text in
            let range = text.range(of: #""labels": {"shape": [1, 1], "values": ["#)!
            let end = text[range.upperBound...].firstIndex(of: "]")!
            text.replaceSubrange(range.upperBound..<end, with: "10")
        }
        #expect(label.contains("inputs.labels[0] is 10, outside 0..<10"), "\(label)")
        let slope = try broken("layers/leaky-relu.json") {
            $0 = $0.replacingOccurrences(of: "\"slope\": 0.2", with: "\"slope\": 1.5")
        }
        #expect(slope.contains("options.slope must be in [0, 1), got 1.5"), "\(slope)")
        let gate = try broken("equations/gate-f.json") {
            $0 = $0.replacingOccurrences(of: "\"sigmoid\"", with: "\"tanh\"")
        }
        #expect(gate.contains("gate f uses sigmoid"), "\(gate)")
        let steps = try broken("models/lstm-T3-H4.json") {
            $0 = $0.replacingOccurrences(of: "\"timeSteps\": 3", with: "\"timeSteps\": 4")
        }
        #expect(steps.contains("missing inputs.x(4)"), "\(steps)")
        let huge = try broken("gan/generator-training.json") {
            $0 = $0.replacingOccurrences(of: "\"widths\": [6, 8, 5]", with: "\"widths\": [6, 100000000, 5]")
        }
        #expect(huge.contains("the options describe a network of"), "\(huge)")
        // BatchNorm cannot train on a single example (the variance of one row is 0).
        let one = #"{"shape": [1, 1], "values": [0.5]}"#
        let singleRow = """
            {"kind": "batchNorm", "name": "one-row", "description": "", "precision": "float64",
             "tolerance": {"relative": 1e-10, "floor": 1e-4},
             "options": {"mode": "training", "momentum": 0.1, "epsilon": 1e-5},
             "inputs": {"x": \(one)}, "parameters": {"gamma": \(one), "beta": \(one)},
             "buffers": {"runningMean": \(one), "runningVariance": \(one)},
             "outputs": {"y": \(one), "runningMean": \(one), "runningVariance": \(one)},
             "objective": {"type": "weightedSum", "output": "y", "weights": \(one)},
             "gradients": {"x": \(one), "gamma": \(one), "beta": \(one)}}
            """
        var rows = "(no error)"
        do { _ = try Self.parse(singleRow) } catch let error as FixtureError { rows = error.problem }
        #expect(rows.contains("needs at least 2 rows"), "\(rows)")
    }

    /// Every tensor of a committed case, renamed (so it is missing) or given one row
    /// too many, must be a thrown error: a shape the loader let through would reach one
    /// of the library's preconditions and stop the whole test run. (The generator writes
    /// one tensor per line, which makes the edits simple.)
    @Test("any one tensor missing or reshaped is a clear error, never a crash", arguments: caseFiles)
    func everyTensorIsChecked(_ file: String) throws {
        let text = try String(contentsOf: Self.casesDirectory.appendingPathComponent(file), encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        var edits = 0
        for (k, line) in lines.enumerated() {
            guard let shapeStart = line.range(of: "{\"shape\": ["),
                let shapeEnd = line[shapeStart.upperBound...].firstIndex(of: "]"),
                let valuesEnd = line.range(of: "]}", options: .backwards)
            else { continue }
            let shape = line[shapeStart.upperBound..<shapeEnd].split(separator: ",").compactMap {
                Int($0.trimmingCharacters(in: .whitespaces))
            }
            try #require(shape.count == 2, "line \(k + 1) of \(file)")
            var renamed = lines
            renamed[k] = line.replacingOccurrences(of: "\": {\"shape\"", with: "~\": {\"shape\"")
            var reshaped = lines
            let padding = String(repeating: ", 0.5", count: shape[1])
            reshaped[k] =
                String(line[..<shapeStart.upperBound]) + "\(shape[0] + 1), \(shape[1])"
                + String(line[shapeEnd..<valuesEnd.lowerBound]) + padding + String(line[valuesEnd.lowerBound...])
            for (change, variant) in [("renamed", renamed), ("one row longer", reshaped)] {
                #expect(throws: FixtureError.self, "\(file) line \(k + 1) \(change) loaded") {
                    try FixtureCase(data: Data(variant.joined(separator: "\n").utf8), source: file)
                }
                edits += 1
            }
        }
        #expect(edits >= 6, "only \(edits) edits of \(file)")
    }

    @Test("runAll reports a file it cannot load as a failed result and goes on", .requires(.linear))
    func runAllContinuesPastBrokenFiles() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("learn-fixtures-\(UUID().uuidString)/layers")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        try Data(Self.workedExample.utf8).write(to: directory.appendingPathComponent("a-good.json"))
        try Data("{ \"kind\": ".utf8).write(to: directory.appendingPathComponent("b-broken.json"))
        let results = try FixtureRunner.runAll(under: directory.deletingLastPathComponent())
        #expect(results.map(\.passed) == [true, false], "\(results)")
        #expect(results.last?.description.hasPrefix("FAIL layers/b-broken: could not be run:") == true, "\(results)")
        #expect(results.last?.description.contains("is not valid JSON") == true, "\(results)")
    }

    /// A grading run decodes each case file once and keeps it; the kept case must never
    /// outlive an edit of its file, nor a broken file be taken for the case it was.
    @Test("a case file read again after an edit is the edited case; a broken one throws again")
    func editedFileIsReadAfresh() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("learn-fixtures-\(UUID().uuidString)/layers")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let file = directory.appendingPathComponent("edited.json")
        try Data(Self.workedExample.utf8).write(to: file)
        #expect(try FixtureCase.load(from: file).name == "tiny")
        #expect(try FixtureCase.load(from: file).name == "tiny")
        let renamed = Self.workedExample.replacingOccurrences(of: #""name": "tiny""#, with: #""name": "edited""#)
        try Data(renamed.utf8).write(to: file)
        #expect(try FixtureCase.load(from: file).name == "edited")
        try Data("{ \"kind\": ".utf8).write(to: file)
        #expect(throws: FixtureError.self) { try FixtureCase.load(from: file) }
        try Data(Self.workedExample.utf8).write(to: file)
        #expect(try FixtureCase.load(from: file).name == "tiny")
    }

    @Test("numbers read back bit for bit (the loader's JSON parsing is correctly rounded)")
    func numbersAreExact() throws {
        let values: [Double] = [
            0.1, -628.1874682105647, 3.0318594544552576e-87, .leastNonzeroMagnitude, 1.7976931348623157e308, -0.0,
        ]
        // Parameters of a one-step trajectory with zero gradients: read, never computed on.
        let trajectory = """
            {"kind": "sgd", "name": "exact", "description": "", "precision": "float64",
             "tolerance": {"relative": 1e-10, "floor": 1e-4}, "options": {"steps": 1, "learningRate": 1, "momentum": 0},
             "inputs": {"dw(1)": {"shape": [1, 6], "values": [0, 0, 0, 0, 0, 0]}, "db(1)": {"shape": [1, 1], "values": [0]}},
             "parameters": {"w": {"shape": [1, 6], "values": [\(values.map { "\($0)" }.joined(separator: ", "))]},
                            "b": {"shape": [1, 1], "values": [0]}},
             "outputs": {"w(1)": {"shape": [1, 6], "values": [0, 0, 0, 0, 0, 0]}, "b(1)": {"shape": [1, 1], "values": [0]}},
             "objective": {"type": "none"}}
            """
        let fixture = try Self.parse(trajectory)
        let read = try #require(fixture.parameters["w"]).elements
        #expect(read.map(\.bitPattern) == values.map(\.bitPattern), "read \(read)")
    }
}
