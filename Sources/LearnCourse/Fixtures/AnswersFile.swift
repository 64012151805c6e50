import Foundation
import Learn

/// An outside implementation's outputs and gradients for the reference cases, as
/// `Course verify --answers FILE` reads them:
///
///     {"cases": {"<path relative to the cases' folder, without .json>":
///                  {"outputs":   {"<name>": {"shape": [rows, columns], "values": [...]}, …},
///                   "gradients": {…}}}}
///
/// One malformed case fails that case only (``LenientAnswer``); a file that is not
/// JSON, or has no `cases`, is a thrown ``FixtureError`` saying where it went wrong.
public struct AnswersFile: Decodable, Sendable {
    /// Each case's answer, by the case's key.
    public var cases: [String: LenientAnswer]

    /// Reads and decodes `file`. `JSONDecoder` reads every double back exactly, as for
    /// the cases; "NaN" and "±Infinity" are accepted as strings (and then fail).
    public init(contentsOf file: URL) throws(FixtureError) {
        let bytes: [UInt8]
        do {
            bytes = try BinaryFile.read(file)
        } catch {
            switch error {
            case .missing: throw FixtureError(file: file.path, problem: "cannot be read (no such file)")
            case .unreadable(let reason): throw FixtureError(file: file.path, problem: "cannot be read (\(reason))")
            }
        }
        try self.init(data: Data(bytes), source: file.path)
    }

    /// Decodes an answers file's bytes; `source` names it in errors.
    public init(data: Data, source: String) throws(FixtureError) {
        do {
            try JSONStructure.check(data)
        } catch {
            throw FixtureError(file: source, problem: "is not an answers file: \(error)")
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        do {
            self = try decoder.decode(AnswersFile.self, from: data)
        } catch {
            throw FixtureError(file: source, problem: "is not an answers file: \(Self.explain(error))")
        }
    }

    /// A decoding error in one sentence, with where it happened (`cases.x.outputs.y.values[3]`).
    public static func explain(_ error: any Error) -> String {
        func place(_ path: [any CodingKey]) -> String {
            let text = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "the file" : String(text.drop(while: { $0 == "." }))
        }
        switch error {
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.dataCorrupted(let context):
            let detail = (context.underlyingError as NSError?).map { " (\($0.localizedDescription))" } ?? ""
            return "\(place(context.codingPath)): \(context.debugDescription)\(detail)"
        case DecodingError.keyNotFound(let key, let context):
            return "\(place(context.codingPath + [key])) is missing"
        default:
            return "\(error)"
        }
    }
}

/// One case's answer, or why it could not be read — so that one bad entry fails one case.
public struct LenientAnswer: Decodable, Sendable {
    /// The answer, when it decoded.
    public var answer: Answer?
    /// Why it did not.
    public var problem: String?

    /// Decodes an ``Answer``, keeping the decoding error as ``problem`` instead of
    /// throwing it, so that one bad entry fails its own case only.
    public init(from decoder: any Decoder) throws {
        do {
            answer = try Answer(from: decoder)
        } catch {
            problem = AnswersFile.explain(error)
        }
    }
}

/// What an implementation computed for a case, named as the case's tensors.
public struct Answer: Codable, Sendable {
    /// The outputs, by name.
    public var outputs: [String: AnswerTensor]?
    /// The gradients, by name.
    public var gradients: [String: AnswerTensor]?
    /// How the gradients compared with finite differences of the implementation's own
    /// forward pass, where they were computed (`Scripts/pytorch/learn_answers.py` checks
    /// so); what the finite-difference checks are graded on when answers come from a file.
    public var finiteDifferences: FiniteDifferenceClaim?
    /// Why the implementation could not answer (the exception it raised), if it could not.
    public var error: String?

    /// An answer of `outputs` and `gradients`.
    public init(
        outputs: [String: AnswerTensor]?, gradients: [String: AnswerTensor]?,
        finiteDifferences: FiniteDifferenceClaim? = nil, error: String? = nil
    ) {
        (self.outputs, self.gradients, self.finiteDifferences, self.error) =
            (outputs, gradients, finiteDifferences, error)
    }

    /// The outputs and gradients as matrices; a tensor whose values do not fill its
    /// shape is left out, and so fails as not given.
    public var matrices: (outputs: [String: Matrix<Double>], gradients: [String: Matrix<Double>]) {
        ((outputs ?? [:]).compactMapValues(\.matrix), (gradients ?? [:]).compactMapValues(\.matrix))
    }
}

/// `{"checked": 64, "worstRelativeError": 3.1e-10}`: gradient elements compared with
/// central differences, and the worst relative error |a − n| / max(|a|, |n|, floor) among
/// them after the allowance for kinks — the rule of Learn's `GradientChecker`.
public struct FiniteDifferenceClaim: Codable, Sendable {
    /// How many gradient elements were compared.
    public var checked: Int
    /// The worst relative error among them.
    public var worstRelativeError: Double

    /// A claim of `checked` elements, the worst at `worstRelativeError`.
    public init(checked: Int, worstRelativeError: Double) {
        (self.checked, self.worstRelativeError) = (checked, worstRelativeError)
    }

    private enum CodingKeys: String, CodingKey { case checked, worstRelativeError }

    /// Decodes a claim, refusing one no honest check can make: fewer than 0 elements, or
    /// a relative error below 0 (a NaN stays, and never agrees).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        checked = try container.decode(Int.self, forKey: .checked)
        worstRelativeError = try container.decode(Double.self, forKey: .worstRelativeError)
        guard checked >= 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .checked, in: container, debugDescription: "\(checked) elements cannot have been checked")
        }
        guard !(worstRelativeError < 0) else {
            throw DecodingError.dataCorruptedError(
                forKey: .worstRelativeError, in: container,
                debugDescription: "a relative error is never below 0, and \(worstRelativeError) was given")
        }
    }

    /// True when some element was compared and every one agreed within `GradientChecker`'s
    /// tolerance (1e-6, as the checks' titles say); a NaN never agrees.
    public var agrees: Bool { checked > 0 && worstRelativeError <= GradientChecker().tolerance }
}

extension AnswersFile {
    /// A case's key: the path of `file` relative to `directory`, without `.json`, after
    /// `hidden/` for a hidden case (`equations/gate-f`, `hidden/adversarial/lstm-T40`).
    public static func key(of file: URL, under directory: URL, hidden: Bool) -> String {
        let (path, root) = (file.standardizedFileURL.path, directory.standardizedFileURL.path + "/")
        let relative = path.hasPrefix(root) ? path.dropFirst(root.count) : Substring(file.lastPathComponent)
        return (hidden ? "hidden/" : "") + String(relative.dropLast(".json".count))
    }

    /// The answer for the case `fixture`, filed under `key`, against the case's
    /// expected values: as `grade` compares the pieces' outputs (``FixtureRunner/compare(_:outputs:gradients:source:)``,
    /// kinks allowed), or a problem when there is no answer, it is malformed or the
    /// implementation raised.
    public func result(for fixture: FixtureCase, key: String) -> FixtureResult {
        var failed = FixtureResult(
            label: fixture.label, kind: fixture.kind, tolerance: fixture.tolerance, comparisons: [])
        guard let entry = cases[key] else {
            failed.problem = "no answer given (the key \(key))"
            return failed
        }
        guard let answer = entry.answer else {
            failed.problem = "the answer is malformed: \(entry.problem ?? "")"
            return failed
        }
        if let error = answer.error {
            failed.problem = "the implementation raised: \(error)"
            return failed
        }
        let (outputs, gradients) = answer.matrices
        return FixtureRunner.compare(fixture, outputs: outputs, gradients: gradients, source: "the answer")
    }
}

/// `{"shape": [rows, columns], "values": [row-major]}`; checked against the expected
/// tensor when compared, so a wrong shape is a failing line, not a crash.
public struct AnswerTensor: Codable, Sendable {
    /// `[rows, columns]`, as given.
    public var shape: [Int]
    /// The values, row-major.
    public var values: [Double]

    /// The tensor `m`.
    public init(_ m: Matrix<Double>) {
        (shape, values) = ([m.rows, m.columns], m.elements)
    }

    /// The matrix, when the shape is `[rows, columns]` and the values fill it.
    public var matrix: Matrix<Double>? {
        guard shape.count == 2, shape.allSatisfy({ $0 >= 0 }) else { return nil }
        let (count, overflow) = shape[0].multipliedReportingOverflow(by: shape[1])
        guard !overflow, count == values.count else { return nil }
        return Matrix(rows: shape[0], columns: shape[1], elements: values)
    }
}
