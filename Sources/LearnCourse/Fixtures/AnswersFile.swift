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

    /// An answer of `outputs` and `gradients`.
    public init(outputs: [String: AnswerTensor]?, gradients: [String: AnswerTensor]?) {
        (self.outputs, self.gradients) = (outputs, gradients)
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
