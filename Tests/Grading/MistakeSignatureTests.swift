import Foundation
import Learn
import LearnCourse
import Testing

/// The grader names a typical mistake when a failing answer matches what that mistake
/// computes (`Fixtures/mistake-signatures.json`), and never hints at the reference.
@Suite("Naming the typical mistakes")
struct MistakeSignatureTests {
    static let signatures = MistakeSignatures.load(besides: FixtureCase.defaultDirectory)

    @Test("the signatures load, and each names a visible case and differs from its expected values")
    func load() throws {
        let signatures = try #require(Self.signatures)
        #expect(signatures.signatures.count > 100)
        let labels = Set(GradingCatalogue.cases(GradingOptions()).map(\.label))
        for signature in signatures.signatures {
            #expect(labels.contains(signature.label), "\(signature.mistake): no case \(signature.label)")
            #expect(!signature.outputs.isEmpty || !signature.gradients.isEmpty, "\(signature.mistake)")
        }
        if !MistakeCatalogue.all.isEmpty {
            let ids = Set(MistakeCatalogue.all.map(\.id))
            #expect(signatures.signatures.allSatisfy { ids.contains($0.mistake) })
        }
    }

    @Test("the expected values match no mistake: a correct answer gets no hint")
    func referenceGetsNoHint() throws {
        let signatures = try #require(Self.signatures)
        for fixture in GradingCatalogue.cases(GradingOptions()) {
            let matches = signatures.matches(fixture, outputs: fixture.outputs, gradients: fixture.gradients)
            #expect(matches.isEmpty, "\(fixture.label): \(matches.map(\.mistake))")
        }
    }

    @Test("a failing answer that is a mistake's is graded with the mistake named and where to look")
    func namesTheMistake() throws {
        let signatures = try #require(Self.signatures)
        let check = try #require(GradingCatalogue.check(id: "cell-state.fixtures"))
        let cases = GradingCatalogue.cases(GradingOptions()).filter { check.selects?($0) == true }
        let signature = try #require(signatures.signatures.first { s in cases.contains { $0.label == s.label } })
        // Every case answered with its expected values, but the mistake's case as the mistake computes it.
        func tensors(_ expected: [String: Matrix<Double>], _ mistaken: [String: AnswerTensor]) -> String {
            let entries = expected.keys.sorted().map { name -> String in
                let m = mistaken[name]?.matrix ?? expected[name]!
                return
                    #""\#(name)":{"shape":[\#(m.rows),\#(m.columns)],"values":[\#(m.elements.map { "\($0)" }.joined(separator: ","))]}"#
            }
            return "{" + entries.joined(separator: ",") + "}"
        }
        let answers = cases.map { fixture -> String in
            let mistaken = fixture.label == signature.label
            return
                #"{"label":"\#(fixture.label)","answer":{"outputs":\#(tensors(fixture.outputs, mistaken ? signature.outputs : [:])),"gradients":\#(tensors(fixture.gradients, mistaken ? signature.gradients : [:]))}}"#
        }
        let evidence = Data(("[" + answers.joined(separator: ",") + "]").utf8)
        let deductions = try check.judge(evidence, question: check.question())
        let reason = deductions.first?.reason ?? ""
        #expect(deductions.map(\.points) == [2])
        #expect(reason.contains("this matches a known mistake: \(signature.title) — look at equation (5)"), "\(reason)")
        // The expected values themselves earn every point, with no hint.
        let right = cases.map { fixture in
            #"{"label":"\#(fixture.label)","answer":{"outputs":\#(tensors(fixture.outputs, [:])),"gradients":\#(tensors(fixture.gradients, [:]))}}"#
        }
        #expect(
            try check.judge(Data(("[" + right.joined(separator: ",") + "]").utf8), question: check.question()).isEmpty)
    }
}
