import Foundation
import Learn
import LearnCourse
import Testing

/// Grading an outside implementation from its answers file (`Course verify --answers`):
/// the checks on reference cases take their evidence from the file and are judged as
/// the pieces' are, so right answers earn those checks' points and each kind of wrong
/// answer loses exactly the checks it should.
@Suite("Grading from an answers file")
struct AnswersGradingTests {
    static let visible = FixtureCase.defaultDirectory
    static let hidden = PackageDirectory.root.appendingPathComponent("Tests/Grading/StressCases")

    /// Every case's expected values as the answer, with an agreeing finite-difference
    /// report where there are gradients; `change` edits an answer by key first.
    static func answers(
        including directories: [(URL, hidden: Bool)] = [(visible, false)],
        _ change: (String, inout Answer) -> Void = { _, _ in }
    ) throws -> AnswersFile {
        var cases: [String: Answer] = [:]
        for (directory, hidden) in directories {
            for file in try FixtureCase.caseFiles(under: directory) {
                let fixture = try FixtureCase.load(from: file)
                let key = AnswersFile.key(of: file, under: directory, hidden: hidden)
                var answer = Answer(
                    outputs: fixture.outputs.mapValues(AnswerTensor.init),
                    gradients: fixture.gradients.mapValues(AnswerTensor.init),
                    finiteDifferences: fixture.gradients.isEmpty
                        ? nil : FiniteDifferenceClaim(checked: 12, worstRelativeError: 2e-10))
                change(key, &answer)
                cases[key] = answer
            }
        }
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try AnswersFile(data: encoder.encode(["cases": cases]), source: "test")
    }

    /// Each check that takes evidence from `file`, with the points it earns.
    static func points(_ file: AnswersFile, options: GradingOptions = GradingOptions()) throws -> [String: Int] {
        var earned: [String: Int] = [:]
        for check in GradingCatalogue.checks(for: .three) {
            guard let evidence = try check.evidence(from: file, options: options) else { continue }
            let lost = try check.judge(evidence, question: check.question(options), options: options)
                .reduce(0) { $0 + $1.points }
            earned[check.id] = max(0, check.points - lost)
        }
        return earned
    }

    /// The checks that lost points.
    static func losers(_ earned: [String: Int]) -> Set<String> {
        Set(earned.filter { id, e in e < GradingCatalogue.check(id: id)!.points }.keys)
    }

    @Test("right answers earn every check on reference cases, 33 points of Part I and 34 of Part II")
    func rightAnswers() throws {
        let earned = try Self.points(Self.answers())
        #expect(Self.losers(earned).isEmpty)
        let part = { (p: Int) in
            earned.filter { GradingCatalogue.check(id: $0.key)!.task.part == p }.values.reduce(0, +)
        }
        #expect((part(1), part(2)) == (33, 34))
        let needPieces = Set(GradingCatalogue.checks(for: .three).map(\.id)).subtracting(earned.keys)
        #expect(
            needPieces == [
                "lstm.learns-T5", "lstm.beats-rnn-T5", "dropout.properties", "gan.balanced-game",
                "latent.interpolation", "judge.accuracy",
            ])
    }

    @Test("a wrong output loses its piece's case check and, with it, its gradient check; nothing else")
    func wrongOutput() throws {
        let file = try Self.answers { key, answer in
            if key == "equations/cell-state" { answer.outputs?["c"]?.values[4] += 0.01 }
        }
        #expect(Self.losers(try Self.points(file)) == ["cell-state.fixtures", "cell-state.gradients"])
    }

    @Test("a finite-difference report above 1e-6, or none, loses the gradient check only")
    func finiteDifferences() throws {
        let file = try Self.answers { key, answer in
            if key == "layers/linear" { answer.finiteDifferences?.worstRelativeError = 3e-5 }
            if key == "layers/relu" { answer.finiteDifferences = nil }
            if key == "layers/tanh" { answer.finiteDifferences?.worstRelativeError = .nan }
        }
        #expect(Self.losers(try Self.points(file)) == ["linear.gradients", "relu.gradients", "squashing.gradients"])
    }

    @Test("an answer that says the implementation raised fails its case, with the reason")
    func raised() throws {
        let file = try Self.answers { key, answer in
            if key == "optimizers/adam-gan" { answer = Answer(outputs: nil, gradients: nil, error: "ValueError: boom") }
        }
        let check = try #require(GradingCatalogue.check(id: "optimizers.adam"))
        let deductions = try check.judge(try #require(try check.evidence(from: file)), question: check.question())
        #expect(deductions.map(\.points) == [2])
        #expect(deductions.first?.reason.contains("raised ValueError: boom") == true)
    }

    @Test("with hidden cases, their answers are read under hidden/ and a missing one loses its checks")
    func hiddenCases() throws {
        let options = GradingOptions(hidden: Self.hidden)
        let both = try Self.answers(including: [(Self.visible, false), (Self.hidden, true)])
        #expect(Self.losers(try Self.points(both, options: options)).isEmpty)
        let visibleOnly = try Self.points(Self.answers(), options: options)
        let onHidden = try FixtureCase.caseFiles(under: Self.hidden).map { try FixtureCase.load(from: $0) }
        let expected = Set(
            GradingCatalogue.checks(for: .three).filter { check in onHidden.contains { check.selects?($0) == true } }
                .map(\.id))
        #expect(!expected.isEmpty)
        #expect(Self.losers(visibleOnly) == expected)
    }
}

/// What an answers file must not get away with: a finite-difference report no honest
/// check can give, a key named twice, nesting the decoder cannot say anything about.
@Suite("An answers file that tries to fool the reader")
struct AnswersFileTrickTests {
    @Test("a relative error below 0 or a negative count is refused: the case fails, and its gradient check with it")
    func impossibleClaims() throws {
        let file = try AnswersGradingTests.answers { key, answer in
            if key == "layers/linear" { answer.finiteDifferences?.worstRelativeError = -1 }
            if key == "layers/tanh" { answer.finiteDifferences?.checked = -5 }
        }
        #expect(file.cases["layers/linear"]?.answer == nil)
        #expect(file.cases["layers/linear"]?.problem?.contains("a relative error is never below 0") == true)
        #expect(file.cases["layers/tanh"]?.problem?.contains("cannot have been checked") == true)
        // A malformed answer has no outputs either: both checks of each piece lose.
        let losers = AnswersGradingTests.losers(try AnswersGradingTests.points(file))
        #expect(losers == ["linear.fixtures", "linear.gradients", "squashing.fixtures", "squashing.gradients"])
    }

    @Test("a key named twice, at any depth and however it is escaped, is refused naming the key")
    func duplicateKeys() {
        func problem(_ text: String) -> String? {
            do {
                _ = try AnswersFile(data: Data(text.utf8), source: "answers.json")
                return nil
            } catch {
                return error.description
            }
        }
        #expect(problem(#"{"cases":{},"cases":{"a":{}}}"#)?.contains(#"names the key "cases" twice"#) == true)
        #expect(problem(#"{"cases":{"x":{"outputs":{"h":1,"\u0068":2}}}}"#)?.contains(#""h" twice"#) == true)
        // The same key in two different objects, or as a value, is no duplicate.
        #expect(problem(#"{"cases":{"a":{"error":"a"},"b":{"error":"a"}}}"#) == nil)
        #expect(problem(#"{"cases":{"a":{"outputs":{"k":{"shape":[1],"values":["k"]}}}}}"#) == nil)
    }

    @Test("JSON nested 100 000 deep is refused as too deep, not as invalid")
    func deepNesting() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        do {
            _ = try AnswersFile(data: Data((#"{"cases":{"a":"# + deep + "}}").utf8), source: "answers.json")
            Issue.record("a file nested 100 000 deep was read")
        } catch {
            #expect("\(error)".contains("nested more than 64 deep"), "\(error)")
        }
    }
}
