import Foundation
import Learn

/// A case file as it is written, before any checking: every field optional, so that a
/// missing one is reported by name rather than as a decoding failure.
///
/// It is read with `JSONDecoder`, whose number parsing is correctly rounded: every
/// number written by `repr` in Python reads back to the very same double. (On Linux,
/// `JSONSerialization` is not: it misreads about one double in five in the last bit,
/// which would be a spurious disagreement of 1e-16 before any maths had run.)
struct FixtureFile: Decodable {
    var schemaVersion: Double?
    var kind: String?
    var name: String?
    var description: String?
    var precision: String?
    var tolerance: Tolerance?
    var generatedBy: GeneratedBy?
    var options: [String: FixtureJSON]?
    var inputs: [String: Tensor]?
    var parameters: [String: Tensor]?
    var buffers: [String: Tensor]?
    var outputs: [String: Tensor]?
    var objective: Objective?
    var gradients: [String: Tensor]?

    struct Tolerance: Decodable {
        var relative: Double?
        var floor: Double?
    }

    struct GeneratedBy: Decodable {
        var torch: String?
    }

    /// `{"shape": [rows, columns], "values": [...]}`, nothing else.
    struct Tensor: Decodable {
        var shape: [Double]?
        var values: [Double]?
        /// A field other than the two, which is a mistake in the file.
        var unexpected: String?

        enum Key: String, CodingKey { case shape, values }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            unexpected = container.allKeys.map(\.stringValue).filter { Key(rawValue: $0) == nil }.sorted().first
            shape = try container.decodeIfPresent([Double].self, forKey: AnyKey("shape"))
            values = try container.decodeIfPresent([Double].self, forKey: AnyKey("values"))
        }
    }

    struct Objective: Decodable {
        var type: String?
        var output: String?
        var weights: Tensor?
    }

    /// Any key, for reading an object whose keys are checked afterwards.
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// An option's value, which may be a number, a string, true/false or a list.
enum FixtureJSON: Decodable, Sendable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case numbers([Double])
    case other(String)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let list = try? container.decode([Double].self) {
            self = .numbers(list)
        } else {
            self = .other(container.decodeNil() ? "null" : "an object or a list of non-numbers")
        }
    }
}

/// Turns the raw file into checked values, each surprise a ``FixtureError`` naming the
/// file and the place (`inputs.x`, `options.momentum`).
struct FixtureReader {
    /// The file being read, for the error messages.
    let file: String

    func failure(_ problem: String) -> FixtureError {
        FixtureError(file: file, problem: problem)
    }

    /// The file's fields, or an error saying where the JSON is broken or of the wrong type.
    func decode(_ data: Data) throws -> FixtureFile {
        do {
            return try JSONDecoder().decode(FixtureFile.self, from: data)
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
            let detail = context.underlyingError.map { " (\($0.localizedDescription))" } ?? ""
            throw failure("is not valid JSON: \(context.debugDescription)\(detail)")
        } catch let DecodingError.typeMismatch(type, context) {
            throw failure("\(place(context.codingPath)) must be \(describe(type)) (\(context.debugDescription))")
        } catch let DecodingError.valueNotFound(type, context) {
            throw failure("\(place(context.codingPath)) must be \(describe(type)), not null")
        } catch let DecodingError.dataCorrupted(context) {
            throw failure("\(place(context.codingPath)): \(context.debugDescription)")
        } catch {
            throw failure("cannot be decoded: \(error)")
        }
    }

    /// `inputs.x.values[3]` from a decoder's coding path.
    func place(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text.isEmpty ? "the file" : text
    }

    func describe(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type: "a number"
        case is String.Type: "a string"
        case is [Double].Type: "a list of numbers"
        default: "an object"
        }
    }

    /// `value`, present.
    func required<Value>(_ value: Value?, _ place: String) throws -> Value {
        guard let value else { throw failure("missing field \(place)") }
        return value
    }

    /// A tensor as a matrix, its shape checked against its values.
    func matrix(_ tensor: FixtureFile.Tensor, at path: String) throws -> Matrix<Double> {
        if let key = tensor.unexpected {
            throw failure("\(path) has an unexpected field \"\(key)\" (a tensor has only \"shape\" and \"values\")")
        }
        let shape = try required(tensor.shape, "\(path).shape")
        guard shape.count == 2, let rows = Int(exactly: shape[0]), let columns = Int(exactly: shape[1]),
            rows > 0, columns > 0, rows < 1 << 31, columns < 1 << 31
        else {
            let written = shape.map { Int(exactly: $0).map(String.init) ?? "\($0)" }.joined(separator: ", ")
            throw failure("\(path).shape must be [rows, columns], two positive whole numbers, not [\(written)]")
        }
        let values = try required(tensor.values, "\(path).values")
        guard values.count == rows * columns else {
            throw failure(
                "\(path) has shape \(rows)×\(columns), which needs \(rows * columns) values, but has \(values.count)")
        }
        return Matrix(rows: rows, columns: columns, elements: values)
    }

    /// An object of named tensors (`inputs`), empty when absent and `optional`.
    func matrices(
        _ tensors: [String: FixtureFile.Tensor]?, at path: String, optional: Bool = false
    ) throws
        -> [String: Matrix<Double>]
    {
        guard let tensors else {
            if optional { return [:] }
            throw failure("missing field \(path)")
        }
        var result: [String: Matrix<Double>] = [:]
        for name in tensors.keys.sorted() {
            guard let tensor = tensors[name] else { continue }
            result[name] = try matrix(tensor, at: "\(path).\(name)")
        }
        return result
    }

    /// An option's value.
    func option(_ value: FixtureJSON, at path: String) throws -> FixtureOption {
        switch value {
        case .number(let number): return .number(number)
        case .string(let text): return .text(text)
        case .bool(let flag): return .flag(flag)
        case .numbers(let list): return .numbers(list)
        case .other(let what):
            throw failure("\(path) must be a number, a string, true/false or a list of numbers, not \(what)")
        }
    }
}
