import Foundation
import Learn

/// One reference case: named inputs, parameters and options; the outputs and gradients
/// an independent implementation (PyTorch, in float64) computed from them; and the
/// tolerance to compare with. The schema is documented in `Fixtures/README.md`.
///
/// Loading checks everything the runner will rely on — the fields, the kind, every
/// tensor's shape against the others, the options' ranges, the labels — and throws a
/// ``FixtureError`` naming the file and the problem, so that a case that loads can be
/// run without tripping any of the library's preconditions.
///
/// Layout, as everywhere in Learn: one example per row; weights out×in; biases 1×out.
/// See also: ``FixtureRunner``, ``FixtureResult``.
public struct FixtureCase: Sendable {
    /// What is computed.
    public var kind: FixtureKind
    /// The case's name, e.g. `"lstm-T10-H4-palindromes"`.
    public var name: String
    /// The folder the file was found in (`"models"`), when it was loaded from a file.
    public var group: String?
    /// The file's plain-English description of the computation.
    public var summary: String
    /// Where the case came from (the file's path), for messages.
    public var source: String
    /// The PyTorch version that produced the expected values, when recorded.
    public var torchVersion: String?
    /// How close Learn's numbers must be to the expected ones.
    public var tolerance: FixtureTolerance
    /// Settings of the computation: activation, mode, momentum, learning rate….
    public var options: [String: FixtureOption]
    /// The data the computation reads (`x`, `prevH`, `labels`, `x(1)`…).
    public var inputs: [String: Matrix<Double>]
    /// The trainable parameters, named as in Learn (`wgx`, `0.w`, `3.gamma`).
    public var parameters: [String: Matrix<Double>]
    /// State that is not trained (BatchNorm's `runningMean`, `runningVariance`), before.
    public var buffers: [String: Matrix<Double>]
    /// The expected outputs.
    public var outputs: [String: Matrix<Double>]
    /// What scalar the gradients are of.
    public var objective: FixtureObjective
    /// The expected ∂objective/∂θ for every differentiable input and every parameter.
    public var gradients: [String: Matrix<Double>]

    /// `"group/name"` (or the name alone): how results and messages refer to the case.
    public var label: String { group.map { "\($0)/\(name)" } ?? name }

    /// Reads and checks one case file.
    public static func load(from url: URL) throws -> FixtureCase {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw FixtureError(file: url.path, problem: "cannot be read (\(error.localizedDescription))")
        }
        return try decoded.value(at: url.path, data: data) {
            try FixtureCase(data: $0, source: url.path, group: url.deletingLastPathComponent().lastPathComponent)
        }
    }

    /// The cases read so far in this process, by path and contents.
    private static let decoded = DecodedFiles<FixtureCase>()

    /// Parses and checks a case from its JSON text; `source` names it in errors.
    public init(data: Data, source: String, group: String? = nil) throws {
        let file = try FixtureFile.decode(data, source: source)
        func failure(_ problem: String) -> FixtureError { FixtureError(file: source, problem: problem) }
        if let version = file.schemaVersion, version != 1 {
            throw failure("schemaVersion \(version) is not supported (this reader knows 1)")
        }
        guard let kind = FixtureKind(rawValue: file.kind) else {
            let known = FixtureKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw failure("unknown kind \"\(file.kind)\" (known kinds: \(known))")
        }
        guard file.precision == "float64" else {
            throw failure("precision \"\(file.precision)\" is not supported (fixtures are \"float64\")")
        }
        guard file.tolerance.relative > 0, file.tolerance.floor > 0 else {
            throw failure("tolerance.relative and tolerance.floor must be positive")
        }
        func matrices(_ tensors: [String: FixtureFile.Tensor]?) -> [String: Matrix<Double>] {
            (tensors ?? [:]).mapValues(\.matrix)
        }
        (self.kind, name, summary, self.source, self.group, torchVersion) =
            (kind, file.name, file.description, source, group, file.generatedBy?.torch)
        tolerance = FixtureTolerance(relative: file.tolerance.relative, floor: file.tolerance.floor)
        options = (file.options ?? [:]).mapValues(\.value)
        (inputs, parameters, buffers) = (matrices(file.inputs), matrices(file.parameters), matrices(file.buffers))
        (outputs, gradients, objective) = (matrices(file.outputs), matrices(file.gradients), file.objective.objective)
        try validate()
    }

    /// The error for `problem` in this case's file.
    func failure(_ problem: String) -> FixtureError {
        FixtureError(file: source, problem: problem)
    }

    /// Every `*.json` file under `directory`, in sorted order of their paths.
    public static func caseFiles(under directory: URL) throws -> [URL] {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else {
            throw FixtureError(file: directory.path, problem: "is not a directory that can be listed")
        }
        let files = walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "json" }
        return files.sorted { $0.path < $1.path }
    }

    /// The package's `Fixtures/cases` (see Learn's `PackageDirectory`).
    public static var defaultDirectory: URL { PackageDirectory.appending("Fixtures/cases") }
}

/// What a case computes; the raw value is the `kind` field of the file.
public enum FixtureKind: String, CaseIterable, Sendable, Codable {
    // Part I: equations (1)–(9) and the two sequence models.
    /// One step of Part I, forward then backward: a gate of equations (1)–(4) (which one
    /// is `options.gate`), the RNN's recurrence, equation (5), (6) or (7), or (8)–(9) fused.
    case gate, rnnHiddenState, cellState, hiddenState, prediction, softmaxCrossEntropy
    /// A whole sequence model over T steps: forward, the loss on the last step, and
    /// backpropagation through time to every parameter and every x(t).
    case lstm, rnn
    // Part II: layers, losses and the two networks.
    /// One layer of Part II, forward (in `options.mode` for BatchNorm) then backward.
    case linear, leakyReLU, relu, tanh, sigmoid, batchNorm
    /// A GAN loss and its gradient with respect to D's logits: D's loss of equation (10),
    /// G's log(1 − D(G(z))), or G's −log D(G(z)).
    case minimaxDiscriminatorLoss, minimaxGeneratorLoss, nonSaturatingLoss
    /// A whole GAN network from the case's architecture: G, z → images, or D, images → logits.
    case generator, discriminator
    // Assignment 2.
    /// A whole MLP of `options.widths`, x → scores, forward then backward.
    case mlp
    /// One layer of Assignment 2's CNN on a batch of images, forward (in `options.mode` for
    /// BatchNorm2d) then backward; images are N × (C·H·W) matrices, one image per row.
    case conv2d, maxPool2d, batchNorm2d
    // Optimiser trajectories.
    /// An optimiser's steps on a linear layer from given dw(t), db(t): w(t), b(t) after each.
    case sgd, rmsprop, adam
}

/// One setting of a case.
public enum FixtureOption: Sendable, Equatable, Codable, CustomStringConvertible {
    /// A JSON number: a momentum, a learning rate, a count.
    case number(Double)
    /// A JSON string: a gate's letter, a mode.
    case text(String)
    /// A JSON `true` or `false`.
    case flag(Bool)
    /// A JSON array of numbers: layer widths.
    case numbers([Double])

    /// The value as a case file writes it: `sigmoid`, `0.2`, `[512, 256]`.
    public var description: String {
        switch self {
        case .number(let x): "\(x)"
        case .text(let s): "\"\(s)\""
        case .flag(let b): "\(b)"
        case .numbers(let xs): "\(xs)"
        }
    }
}

/// The scalar whose gradients a case gives.
public enum FixtureObjective: Sendable {
    /// One of the outputs itself, a 1×1 loss (`"type": "output"`).
    case output(String)
    /// Σ R ⊙ output for a given R of the output's shape (`"type": "weightedSum"`): the
    /// upstream gradient ∂objective/∂output is R.
    case weightedSum(output: String, weights: Matrix<Double>)
    /// No gradients: an optimiser's trajectory (`"type": "none"`).
    case none
}

/// How close is close enough:
///
///     |actual − expected| / max(|expected|, floor) ≤ relative
///
/// A relative test for values above `floor`; below it an absolute one,
/// |actual − expected| ≤ relative · floor (a gradient that is 0 in exact arithmetic is
/// a few ulps of rounding in any implementation, with no relative accuracy to test).
public struct FixtureTolerance: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The largest relative error that passes.
    public var relative: Double
    /// The smallest denominator of the relative error.
    public var floor: Double

    /// A tolerance passing errors up to `relative`, with denominators no smaller than `floor`.
    public init(relative: Double, floor: Double) {
        (self.relative, self.floor) = (relative, floor)
    }

    /// The error of `actual` against `expected`, as defined above (NaN if either is).
    public func relativeError(actual: Double, expected: Double) -> Double {
        abs(actual - expected) / max(abs(expected), floor)
    }

    /// True when `error` is within tolerance (NaN never is).
    public func accepts(_ error: Double) -> Bool { error <= relative }

    /// "relative 1.00e-10, floor 1.00e-04", as failure messages quote it.
    public var description: String {
        "relative \(NumberFormat.scientific(relative)), floor \(NumberFormat.scientific(floor))"
    }
}
