import Foundation
import Learn

/// What each typical mistake computes on the visible cases it fails, so that a failing
/// answer which matches one can be named — "this matches a known mistake: dB = …
/// instead of dB += … — look at the affine map y = x·Wᵀ + b (Sources/Learn/…)" —
/// without the kit holding any of the catalogue's code.
///
/// `Fixtures/mistake-signatures.json` is recorded from the instrumented build
/// (`Scripts/mutation-score --record`): for each mistake and each visible case it fails,
/// the tensors that differ from the reference, as that mistake computes them. A
/// starter kit carries the file; titles and numbers only.
public struct MistakeSignatures: Codable, Sendable {
    /// One mistake's answer on one case: only the tensors that differ from the expected
    /// ones (the others are the expected values).
    public struct Signature: Codable, Sendable {
        /// The mistake's id, e.g. `"affine.dW-assigned"` (see ``Mistake/id``).
        public var mistake: String
        /// What the mistake gets wrong, in a student's terms.
        public var title: String
        /// The piece the mistake is a wrong version of: where the hint says to look.
        public var piece: Piece
        /// The case's label, `"group/name"` (see ``FixtureCase/label``).
        public var label: String
        /// The outputs that differ from the expected ones, as the mistake computes them.
        public var outputs: [String: AnswerTensor]
        /// The gradients that differ from the expected ones, as the mistake computes them.
        public var gradients: [String: AnswerTensor]
    }

    /// Every signature, in the catalogue's order.
    public var signatures: [Signature]

    /// A set of `signatures`.
    public init(signatures: [Signature]) {
        self.signatures = signatures
    }

    /// The signatures of `mistake` for the cases of `answers` it fails, from the answers
    /// its instrumented pieces gave (``GradedCheck/caseAnswers(_:options:)``).
    public static func signatures(
        of mistake: Mistake,
        answers: [(fixture: FixtureCase, outputs: [String: Matrix<Double>], gradients: [String: Matrix<Double>])]
    ) -> [Signature] {
        answers.compactMap { fixture, outputs, gradients in
            let result = FixtureRunner.compare(fixture, outputs: outputs, gradients: gradients)
            guard !result.passed, result.problem == nil else { return nil }
            func differing(
                _ given: [String: Matrix<Double>], _ expected: [String: Matrix<Double>]
            ) -> [String: AnswerTensor] {
                given.filter { name, value in
                    guard let e = expected[name], e.rows == value.rows, e.columns == value.columns else { return false }
                    return zip(value.elements, e.elements).contains {
                        !fixture.tolerance.accepts(fixture.tolerance.relativeError(actual: $0, expected: $1))
                    }
                }.mapValues(AnswerTensor.init)
            }
            return Signature(
                mistake: mistake.id, title: mistake.title, piece: mistake.piece, label: fixture.label,
                outputs: differing(outputs, fixture.outputs), gradients: differing(gradients, fixture.gradients))
        }
    }

    /// The file beside the cases, if there is one that reads; hints are a help, so a
    /// missing or broken file means none.
    public static func load(besides cases: URL) -> MistakeSignatures? {
        let file = cases.deletingLastPathComponent().appendingPathComponent("mistake-signatures.json")
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        return decoded.value(at: file.path, data: data) { try? Exchange.decode(MistakeSignatures.self, $0) }
    }

    /// The files read so far in this process: each failing case asks for the same 2 MB.
    private static let decoded = DecodedFiles<MistakeSignatures?>(capacity: 4)

    /// The file's JSON: keys sorted, so a re-recording diffs cleanly; a mistake's NaN or
    /// infinity as a string.
    public func encoded() throws -> Data {
        try Exchange.encode(self, sortedKeys: true)
    }

    /// The mistakes whose answer on `fixture` the given one matches: every tensor within
    /// the case's tolerance of the mistake's, a NaN or an infinity where it has the same.
    public func matches(
        _ fixture: FixtureCase, outputs: [String: Matrix<Double>], gradients: [String: Matrix<Double>]
    ) -> [Signature] {
        func same(_ actual: Matrix<Double>?, _ mistaken: Matrix<Double>?) -> Bool {
            guard let actual, let mistaken, actual.rows == mistaken.rows, actual.columns == mistaken.columns else {
                return false
            }
            return zip(actual.elements, mistaken.elements).allSatisfy { a, m in
                m.isFinite
                    ? fixture.tolerance.accepts(fixture.tolerance.relativeError(actual: a, expected: m))
                    : (m.isNaN ? a.isNaN : a == m)
            }
        }
        return signatures.filter { signature in
            guard signature.label == fixture.label else { return false }
            for (expected, given, mistaken) in [
                (fixture.outputs, outputs, signature.outputs), (fixture.gradients, gradients, signature.gradients),
            ] {
                for (name, value) in expected where !same(given[name], mistaken[name]?.matrix ?? value) {
                    return false
                }
            }
            return true
        }
    }

    /// The hint for a match: the mistake, and where to look.
    public static func hint(_ signature: Signature, inPackage root: URL) -> String {
        let files = SolutionSources.of(root).files(of: signature.piece).joined(separator: ", ")
        return "this matches a known mistake: \(signature.title) — look at \(signature.piece.title) (\(files))"
    }
}
