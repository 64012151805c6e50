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

        init() {}

        /// Outputs, and the gradients with respect to the tensors read, under their names in the case.
        init(
            outputs: [FixtureReading.Tensor: Matrix<Double>], gradients: [FixtureReading.Tensor: Matrix<Double>] = [:]
        ) {
            self.outputs = Dictionary(uniqueKeysWithValues: outputs.map { ($0.key.name, $0.value) })
            self.gradients = Dictionary(uniqueKeysWithValues: gradients.map { ($0.key.name, $0.value) })
        }

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

    /// What a kind computes, once its case has been read.
    typealias Computation = () -> FixtureComputation

    /// Reads `fixture`'s inputs, parameters and options for its kind, and computes (the
    /// whole case was checked when it was loaded; one to compute may hold no expected values).
    static func compute(_ fixture: FixtureCase, forwardOnly: Bool = false) throws -> FixtureComputation {
        var reading = FixtureReading(fixture, checksExpected: false)
        reading.forwardOnly = forwardOnly
        return try read(&reading)()
    }

    /// Each kind's reading (see ``FixtureReading``), which returns its computation.
    static func read(_ r: inout FixtureReading) throws -> Computation {
        switch r.fixture.kind {
        case .gate: try gate(&r)
        case .rnnHiddenState: try rnnHiddenState(&r)
        case .cellState: try cellState(&r)
        case .hiddenState: try hiddenState(&r)
        case .prediction: try prediction(&r)
        case .softmaxCrossEntropy: try softmaxCrossEntropy(&r)
        case .lstm: try lstm(&r)
        case .rnn: try rnn(&r)
        case .linear: try linear(&r)
        case .leakyReLU: try activation(LeakyReLU(slope: try r.fraction("slope")), &r)
        case .relu: try activation(ReLU<Double>(), &r)
        case .tanh: try activation(Tanh<Double>(), &r)
        case .sigmoid: try activation(Sigmoid<Double>(), &r)
        case .batchNorm: try batchNorm(&r)
        case .minimaxDiscriminatorLoss: try minimaxDiscriminatorLoss(&r)
        case .minimaxGeneratorLoss: try generatorLoss(MinimaxLoss.generator, MinimaxLoss.generatorBackward, &r)
        case .nonSaturatingLoss: try generatorLoss(NonSaturatingLoss.generator, NonSaturatingLoss.generatorBackward, &r)
        case .generator, .discriminator: try network(&r)
        case .mlp: try mlp(&r)
        case .conv2d: try conv2d(&r)
        case .maxPool2d: try maxPool2d(&r)
        case .batchNorm2d: try batchNorm2d(&r)
        case .sgd:
            try trajectory(&r) { r, rate in SGD(learningRate: rate, momentum: try r.fraction("momentum")) }
        case .rmsprop:
            try trajectory(&r) { r, rate in
                RMSProp(learningRate: rate, alpha: try r.fraction("alpha"), epsilon: try r.positive("epsilon"))
            }
        case .adam:
            try trajectory(&r) { r, rate in
                Adam(
                    learningRate: rate, beta1: try r.fraction("beta1"), beta2: try r.fraction("beta2"),
                    epsilon: try r.positive("epsilon"))
            }
        }
    }

    /// A 1×1 matrix holding a loss, so it compares like any other output.
    static func scalar(_ x: Double) -> Matrix<Double> {
        Matrix(rows: 1, columns: 1, repeating: x)
    }
}
