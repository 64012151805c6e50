import Foundation
import Learn

/// Runs a fixture case through the library, in Double, and compares every output and
/// gradient with the expected values.
///
/// For each kind the runner builds the library's own object from the case's
/// parameters (a gate, a layer, the LSTM, a network from `GANArchitecture`, an
/// optimiser), runs its forward pass, then its backward pass from the objective's
/// upstream gradient — R for Σ R ⊙ output, the loss's own backward for a loss — and
/// collects what it computed under the case's names.
///
///     let result = FixtureRunner.run(try FixtureCase.load(from: url))
///     print(result)   // PASS models/lstm-T10-H4-palindromes (lstm): 33 tensors, …
///
/// See also: ``FixtureCase``, ``FixtureResult``.
public enum FixtureRunner {
    /// Evaluates `fixture` and compares; never stops the program (a case that cannot
    /// be run is a failed result with the reason).
    public static func run(_ fixture: FixtureCase) -> FixtureResult {
        do {
            let computed = try compute(fixture)
            return compare(fixture, outputs: computed.outputs, gradients: computed.gradients)
        } catch {
            var result = FixtureResult(
                label: fixture.label, kind: fixture.kind, tolerance: fixture.tolerance, comparisons: [])
            result.problem = "\(error)"
            return result
        }
    }

    /// Compares any implementation's outputs and gradients, named as in the case, with
    /// the expected ones, under the case's tolerance (and, at a rectifier's kink,
    /// either one-sided derivative); `source` names the implementation in the messages.
    public static func compare(
        _ fixture: FixtureCase, outputs: [String: Matrix<Double>], gradients: [String: Matrix<Double>],
        source: String = "Learn"
    ) -> FixtureResult {
        var result = FixtureResult(
            label: fixture.label, kind: fixture.kind, tolerance: fixture.tolerance, comparisons: [])
        let alternatives = kinkAlternatives(fixture)
        for (section, expected, actual) in [
            ("outputs", fixture.outputs, outputs), ("gradients", fixture.gradients, gradients),
        ] {
            for name in expected.keys.sorted(by: naturalOrder) {
                guard let e = expected[name] else { continue }
                result.comparisons.append(
                    FixtureComparison(
                        tensor: "\(section).\(name)", expected: e, actual: actual[name], tolerance: fixture.tolerance,
                        alternatives: section == "gradients" ? alternatives[name] ?? [] : [], source: source))
            }
        }
        return result
    }

    /// Loads and runs every case under `directory` (a `verify` command's loop); a file
    /// that cannot be loaded is a failed result naming the problem.
    public static func runAll(under directory: URL) throws -> [FixtureResult] {
        try FixtureCase.caseFiles(under: directory).map(run(file:))
    }

    /// Loads and runs the case in `url`; a file that cannot be loaded is a failed result
    /// naming the problem.
    public static func run(file url: URL) -> FixtureResult {
        do {
            return run(try FixtureCase.load(from: url))
        } catch {
            let label =
                url.deletingLastPathComponent().lastPathComponent + "/" + url.deletingPathExtension().lastPathComponent
            return FixtureResult(
                label: label, kind: nil, tolerance: FixtureTolerance(relative: 0, floor: 0), comparisons: [],
                problem: "\(error)")
        }
    }

    /// `x(2)` before `x(10)`: names compared with their numbers as numbers.
    static func naturalOrder(_ a: String, _ b: String) -> Bool {
        a.compare(b, options: .numeric) == .orderedAscending
    }

    /// What the library computed, under the case's names.
    struct FixtureComputation {
        var outputs: [String: Matrix<Double>] = [:]
        var gradients: [String: Matrix<Double>] = [:]

        /// Adds every parameter gradient of `grads` under its name (`wfx`, `3.gamma`),
        /// less `primer` (see ``primed(_:)``).
        mutating func addParameterGradients<Model: Parameterized>(_ grads: Model, primer: Double = 0)
        where Model.Scalar == Double {
            for p in grads.parameters { gradients[p.name] = grads[keyPath: p.path].map { $0 - primer } }
        }

        /// What ``primed(_:)`` fills every gradient with: a power of two, so taking it
        /// off again costs at most half an ulp of 0.5 (6e-17), far inside every tolerance.
        static let primer = 0.5

        /// The place for a piece's backward pass to add its parameter gradients into,
        /// holding ``primer`` already instead of 0. A backward pass adds (`+=`): that is
        /// how a weight used at every time step sums its gradient. One that assigns
        /// (`=`) loses the primer, and the gradients it reports are off by 0.5.
        static func primed<Model: Parameterized>(_ model: Model) -> Model where Model.Scalar == Double {
            var grads = model
            for p in model.parameters {
                grads[keyPath: p.path] = Matrix(shapeOf: model[keyPath: p.path], repeating: primer)
            }
            return grads
        }
    }

    static func compute(_ fixture: FixtureCase) throws -> FixtureComputation {
        switch fixture.kind {
        case .gate: try gate(fixture)
        case .rnnHiddenState: try rnnHiddenState(fixture)
        case .cellState: try cellState(fixture)
        case .hiddenState: try hiddenState(fixture)
        case .prediction: try prediction(fixture)
        case .softmaxCrossEntropy: try softmaxCrossEntropy(fixture)
        case .lstm: try lstm(fixture)
        case .rnn: try rnn(fixture)
        case .linear: try layer(Linear(w: fixture.parameter("w"), b: fixture.parameter("b")), fixture)
        case .leakyReLU: try layer(LeakyReLU(slope: fixture.slope()), fixture)
        case .relu: try layer(ReLU<Double>(), fixture)
        case .tanh: try layer(Tanh<Double>(), fixture)
        case .sigmoid: try layer(Sigmoid<Double>(), fixture)
        case .batchNorm: try batchNorm(fixture)
        case .minimaxDiscriminatorLoss: try minimaxDiscriminatorLoss(fixture)
        case .minimaxGeneratorLoss: try generatorLoss(fixture, MinimaxLoss.generator, MinimaxLoss.generatorBackward)
        case .nonSaturatingLoss:
            try generatorLoss(fixture, NonSaturatingLoss.generator, NonSaturatingLoss.generatorBackward)
        case .generator, .discriminator: try networkCase(fixture)
        case .sgd:
            try trajectory(
                SGD<Linear<Double>>(learningRate: fixture.number("learningRate"), momentum: fixture.number("momentum")),
                fixture)
        case .rmsprop:
            try trajectory(
                RMSProp<Linear<Double>>(
                    learningRate: fixture.number("learningRate"), alpha: fixture.number("alpha"),
                    epsilon: fixture.number("epsilon")), fixture)
        case .adam:
            try trajectory(
                Adam<Linear<Double>>(
                    learningRate: fixture.number("learningRate"), beta1: fixture.number("beta1"),
                    beta2: fixture.number("beta2"), epsilon: fixture.number("epsilon")), fixture)
        }
    }

    /// A 1×1 matrix holding a loss, so it compares like any other output.
    static func scalar(_ x: Double) -> Matrix<Double> {
        Matrix(rows: 1, columns: 1, repeating: x)
    }
}
