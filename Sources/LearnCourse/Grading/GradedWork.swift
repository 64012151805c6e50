import Foundation
import Learn

/// What a graded check does, in three steps, so that its points never rest on what the
/// student's code says about itself:
///
/// 1. `ask`, in the grader: what the pieces are given — a case's inputs, never its
///    expected values;
/// 2. `answer`, wherever the pieces run (under `Course grade`, a process of its own,
///    ``IsolatedCheck``): the pieces' results, as evidence;
/// 3. `judge`, in the grader, which kept the expected values: the deductions.
///
/// Code in the answering process can print or write anything, a forged verdict
/// included; the grader reads only its evidence, and judges it.
///
/// A check on reference cases can also take its evidence from an answers file — an
/// outside implementation's outputs and gradients (`Course verify --answers`) — and is
/// then judged the same way, for the same points.
public struct GradedWork<Question: Codable & Sendable, Evidence: Codable & Sendable>: Sendable {
    /// What the pieces are given.
    public var ask: @Sendable (GradingOptions) throws -> Question
    /// What the pieces make of it.
    public var answer: @Sendable (Question) throws -> Evidence
    /// The deductions the evidence earns.
    public var judge: @Sendable (Question, Evidence, GradingOptions) throws -> [Deduction]
    /// The evidence an answers file gives, in the grader; nil for a check whose pieces
    /// must run here (training, properties).
    public var answerFromFile: (@Sendable (GradingOptions, AnswersFile) throws -> Evidence)?

    /// The three steps, and where an answers file can stand in for the second.
    public init(
        ask: @escaping @Sendable (GradingOptions) throws -> Question,
        answer: @escaping @Sendable (Question) throws -> Evidence,
        judge: @escaping @Sendable (Question, Evidence, GradingOptions) throws -> [Deduction],
        answerFromFile: (@Sendable (GradingOptions, AnswersFile) throws -> Evidence)? = nil
    ) {
        (self.ask, self.answer, self.judge, self.answerFromFile) = (ask, answer, judge, answerFromFile)
    }
}

/// A ``GradedWork`` with its question and evidence as JSON, as they cross between the
/// grader and the answering process.
struct ErasedWork: Sendable {
    let ask: @Sendable (GradingOptions) throws -> Data
    let answer: @Sendable (Data) throws -> Data
    let judge: @Sendable (Data, Data, GradingOptions) throws -> [Deduction]
    let answerFromFile: (@Sendable (GradingOptions, AnswersFile) throws -> Data)?

    init<Question, Evidence>(_ work: GradedWork<Question, Evidence>) {
        ask = { options in try Exchange.encode(try work.ask(options)) }
        if let fromFile = work.answerFromFile {
            answerFromFile = { options, file in try Exchange.encode(try fromFile(options, file)) }
        } else {
            answerFromFile = nil
        }
        answer = { question in try Exchange.encode(try work.answer(try Exchange.decode(Question.self, question))) }
        judge = { question, given, options in
            let evidence: Evidence
            do {
                evidence = try Exchange.decode(Evidence.self, given)
            } catch {
                throw GradingError(problem: "the answering process gave evidence that cannot be read: \(error)")
            }
            return try work.judge(try Exchange.decode(Question.self, question), evidence, options)
        }
    }
}

/// The JSON of questions and evidence: exact doubles, non-finite ones as strings (a
/// NaN an implementation computed is evidence too).
enum Exchange {
    static func encode<T: Encodable>(_ value: T, sortedKeys: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        if sortedKeys { encoder.outputFormatting = [.sortedKeys] }
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try encoder.encode(value)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try decoder.decode(type, from: data)
    }
}

/// The question of a check whose pieces need no input from the grader.
struct NoQuestion: Codable, Sendable {}
