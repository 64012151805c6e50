import Foundation
import Learn
import LearnCourse
import LearnTesting
import Testing

/// At an input of exactly 0 a rectifier has two one-sided derivatives, both correct:
/// a case graded against one must accept the other, and nothing else.
@Suite("Kinks in the reference cases")
struct KinkTests {
    static func kinked(_ name: String) throws -> FixtureCase {
        try FixtureCase.load(
            from: PackageDirectory.root.appendingPathComponent("Tests/Grading/StressCases/adversarial/\(name).json"))
    }

    /// An implementation's values: the expected ones, with ∂/∂x at every kink `value(R)`.
    static func result(_ fixture: FixtureCase, atKinks value: (Double) -> Double) throws -> FixtureResult {
        var gradients = fixture.gradients
        let x = try #require(fixture.inputs["x"])
        guard case .weightedSum(_, let r) = fixture.objective else {
            Issue.record("\(fixture.label) has no weighted-sum objective")
            return FixtureRunner.run(fixture)
        }
        for k in 0..<x.count where x.elements[k] == 0 { gradients["x"]!.elements[k] = value(r.elements[k]) }
        return FixtureRunner.compare(fixture, outputs: fixture.outputs, gradients: gradients)
    }

    @Test(
        "either one-sided derivative passes at a kink, and a value between them fails",
        arguments: [("relu-kinks", 0.0), ("leaky-relu-kinks", 0.2)])
    func eitherSideIsAccepted(_ name: String, _ slope: Double) throws {
        let fixture = try Self.kinked(name)
        #expect(fixture.inputs["x"]!.elements.filter { $0 == 0 }.count == 8)
        let left = try Self.result(fixture) { $0 * slope }
        let right = try Self.result(fixture) { $0 }
        let between = try Self.result(fixture) { $0 * (1 + slope) / 2 }
        #expect(left.passed, "\(left)")
        #expect(right.passed, "\(right)")
        #expect(!between.passed && between.failures.map(\.tensor) == ["gradients.x"], "\(between)")
        #expect(between.failures.first?.failureCount == 8, "\(between)")
    }

    @Test("Learn passes the kinked cases", .requires(.leakyReLU, .relu), arguments: ["relu-kinks", "leaky-relu-kinks"])
    func learnPasses(_ name: String) throws {
        let result = FixtureRunner.run(try Self.kinked(name))
        #expect(result.passed, "\(result)")
    }

    @Test("the allowance is only for inputs of exactly 0: the other side's slope elsewhere still fails")
    func elsewhereStillStrict() throws {
        let fixture = try Self.kinked("leaky-relu-kinks")
        var gradients = fixture.gradients
        let k = try #require(fixture.inputs["x"]!.elements.firstIndex { $0 < 0 })
        gradients["x"]!.elements[k] /= 0.2  // the positive side's slope where x < 0
        let result = FixtureRunner.compare(fixture, outputs: fixture.outputs, gradients: gradients)
        #expect(!result.passed && result.failures.first?.failureCount == 1, "\(result)")
    }
}
