import Foundation
import Learn

/// A case file as it is written, decoded into checked values: every tensor's values
/// fill its shape, every option is a number, a string, true/false or a list of
/// numbers, and the objective is one of the three. What the kind requires of them is
/// checked afterwards (``FixtureReading``).
///
/// It is read with `JSONDecoder`, whose number parsing is correctly rounded: every
/// number written by `repr` in Python reads back to the very same double. (On Linux,
/// `JSONSerialization` is not: it misreads about one double in five in the last bit,
/// which would be a spurious disagreement of 1e-16 before any maths had run.)
struct FixtureFile: Decodable {
    var schemaVersion: Double?
    var kind: String
    var name: String
    var description: String
    var precision: String
    var tolerance: Tolerance
    var generatedBy: GeneratedBy?
    var options: [String: Option]?
    var inputs: [String: Tensor]
    var parameters: [String: Tensor]?
    var buffers: [String: Tensor]?
    var outputs: [String: Tensor]
    var objective: Objective
    var gradients: [String: Tensor]?

    struct Tolerance: Decodable {
        var relative: Double
        var floor: Double
    }

    struct GeneratedBy: Decodable {
        var torch: String?
    }

    /// What is wrong at a place in the file, in words (`inputs.x has shape 2×2, which
    /// needs 4 values, but has 3`).
    struct Problem: Error {
        var text: String
    }

    /// `{"shape": [rows, columns], "values": [...]}`, nothing else, as a matrix.
    struct Tensor: Decodable {
        var matrix: Matrix<Double>

        init(from decoder: any Decoder) throws {
            let path = FixtureFile.place(decoder.codingPath)
            let container = try decoder.container(keyedBy: AnyKey.self)
            if let key = container.allKeys.map(\.stringValue).filter({ $0 != "shape" && $0 != "values" }).min() {
                throw Problem(
                    text: "\(path) has an unexpected field \"\(key)\" (a tensor has only \"shape\" and \"values\")")
            }
            let shape = try container.decode([Double].self, forKey: AnyKey("shape"))
            guard shape.count == 2, let rows = Int(exactly: shape[0]), let columns = Int(exactly: shape[1]),
                rows > 0, columns > 0, rows < 1 << 31, columns < 1 << 31
            else {
                let written = shape.map { Int(exactly: $0).map(String.init) ?? "\($0)" }.joined(separator: ", ")
                throw Problem(
                    text: "\(path).shape must be [rows, columns], two positive whole numbers, not [\(written)]")
            }
            let values = try container.decode([Double].self, forKey: AnyKey("values"))
            guard values.count == rows * columns else {
                throw Problem(
                    text:
                        "\(path) has shape \(rows)×\(columns), which needs \(rows * columns) values, but has \(values.count)"
                )
            }
            matrix = Matrix(rows: rows, columns: columns, elements: values)
        }
    }

    /// An option's value.
    struct Option: Decodable {
        var value: FixtureOption

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Double.self) {
                value = .number(number)
            } else if let text = try? container.decode(String.self) {
                value = .text(text)
            } else if let flag = try? container.decode(Bool.self) {
                value = .flag(flag)
            } else if let list = try? container.decode([Double].self) {
                value = .numbers(list)
            } else {
                let what = container.decodeNil() ? "null" : "an object or a list of non-numbers"
                throw Problem(
                    text: "\(FixtureFile.place(decoder.codingPath)) must be a number, a string, true/false "
                        + "or a list of numbers, not \(what)")
            }
        }
    }

    /// `{"type": "output" | "weightedSum" | "none", "output": …, "weights": …}`.
    struct Objective: Decodable {
        var objective: FixtureObjective

        enum Key: String, CodingKey { case type, output, weights }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            func output() throws -> String {
                guard let name = try container.decodeIfPresent(String.self, forKey: .output) else {
                    throw Problem(text: "missing field objective.output")
                }
                return name
            }
            switch try container.decode(String.self, forKey: .type) {
            case "output":
                objective = .output(try output())
            case "weightedSum":
                guard let weights = try container.decodeIfPresent(Tensor.self, forKey: .weights) else {
                    throw Problem(text: "missing field objective.weights")
                }
                objective = .weightedSum(output: try output(), weights: weights.matrix)
            case "none":
                objective = .none
            case let type:
                throw Problem(text: "objective.type \"\(type)\" is unknown (known: output, weightedSum, none)")
            }
        }
    }

    /// Any key, for reading an object whose keys are checked afterwards.
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// The file's fields, or a ``FixtureError`` saying where the JSON is broken, which
    /// field is missing or of the wrong type, or which tensor is malformed.
    static func decode(_ data: Data, source: String) throws -> FixtureFile {
        func failure(_ problem: String) -> FixtureError { FixtureError(file: source, problem: problem) }
        do {
            return try JSONDecoder().decode(FixtureFile.self, from: data)
        } catch let problem as Problem {
            throw failure(problem.text)
        } catch let DecodingError.keyNotFound(key, context) {
            throw failure("missing field \(place(context.codingPath + [key]))")
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
    static func place(_ path: [any CodingKey]) -> String {
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

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type: "a number"
        case is String.Type: "a string"
        case is [Double].Type: "a list of numbers"
        default: "an object"
        }
    }
}
