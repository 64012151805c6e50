import Foundation
import Learn

/// A reference case as the process that runs a student's pieces receives it: what the
/// computation reads — kind, options, inputs, parameters, buffers, the objective — and
/// none of the expected values. Whatever that process sends back is then a computation,
/// not a copy of the answers, and it is judged by the process that kept them.
struct CaseQuestion: Codable, Sendable {
    /// The case's label, which the evidence repeats.
    var label: String
    var kind: FixtureKind
    var name: String
    var group: String?
    var tolerance: FixtureTolerance
    var options: [String: FixtureOption]
    var inputs: [String: AnswerTensor]
    var parameters: [String: AnswerTensor]
    var buffers: [String: AnswerTensor]
    var objective: Objective

    /// ``FixtureObjective``, with its weights as a tensor.
    enum Objective: Codable, Sendable {
        case output(String)
        case weightedSum(output: String, weights: AnswerTensor)
        case none
    }

    /// `fixture` without its outputs and gradients.
    init(_ fixture: FixtureCase) {
        func tensors(_ m: [String: Matrix<Double>]) -> [String: AnswerTensor] { m.mapValues(AnswerTensor.init) }
        (label, kind, name, group, tolerance, options) =
            (fixture.label, fixture.kind, fixture.name, fixture.group, fixture.tolerance, fixture.options)
        (inputs, parameters, buffers) = (tensors(fixture.inputs), tensors(fixture.parameters), tensors(fixture.buffers))
        switch fixture.objective {
        case .output(let name): objective = .output(name)
        case .weightedSum(let output, let weights):
            objective = .weightedSum(output: output, weights: AnswerTensor(weights))
        case .none: objective = .none
        }
    }

    /// The case to compute, with no expected values; throws if a tensor is malformed.
    func fixture() throws -> FixtureCase {
        func matrices(_ t: [String: AnswerTensor], _ section: String) throws -> [String: Matrix<Double>] {
            try t.mapValues { tensor in
                guard let m = tensor.matrix else { throw GradingError(problem: "\(label): \(section) is malformed") }
                return m
            }
        }
        let goal: FixtureObjective
        switch objective {
        case .output(let name): goal = .output(name)
        case .weightedSum(let output, let weights):
            guard let r = weights.matrix else { throw GradingError(problem: "\(label): the objective is malformed") }
            goal = .weightedSum(output: output, weights: r)
        case .none: goal = .none
        }
        return FixtureCase(
            kind: kind, name: name, group: group, source: label, tolerance: tolerance, options: options,
            inputs: try matrices(inputs, "inputs"), parameters: try matrices(parameters, "parameters"),
            buffers: try matrices(buffers, "buffers"), objective: goal)
    }
}

extension FixtureCase {
    /// A case to compute, without expected values (``CaseQuestion``).
    init(
        kind: FixtureKind, name: String, group: String?, source: String, tolerance: FixtureTolerance,
        options: [String: FixtureOption], inputs: [String: Matrix<Double>], parameters: [String: Matrix<Double>],
        buffers: [String: Matrix<Double>], objective: FixtureObjective
    ) {
        (self.kind, self.name, self.group, self.source, self.summary, self.torchVersion) =
            (kind, name, group, source, "", nil)
        (self.tolerance, self.options, self.inputs, self.parameters, self.buffers) =
            (tolerance, options, inputs, parameters, buffers)
        (self.outputs, self.objective, self.gradients) = ([:], objective, [:])
    }
}
