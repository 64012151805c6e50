import Foundation
import Learn

/// A piece of an assignment (``Assignment``) a student writes: an equation, a layer, a loss, or a
/// model's pass through time. In the reference solution each is marked where it is
/// written, between `// BEGIN SOLUTION <piece>` (its raw value, e.g. `cellState`) and
/// `// END SOLUTION`; the starter kit (``StarterKit``) replaces those regions with
/// `unimplemented(_:file:line:)` stubs that quote its ``title``. Where a piece is
/// is read from the sources (``SolutionSources``), never kept in a table here.
///
/// Tests and graded checks name the pieces they exercise, so that in the starter kit a
/// check on a piece not yet written fails with "not implemented yet" instead of
/// stopping the whole run at the stub.
public enum Piece: String, CaseIterable, Sendable, Codable {
    // Part I: the machinery the gates share, equations (1)–(9), the two models.
    /// What the gates share: the affine map y = x·Wᵀ + b, the derivatives of σ and tanh,
    /// and the gate machinery y = φ(W_x x + W_h h + b) built from them.
    case affine, activation, gateMachinery
    /// Equations (1)–(7): the gates g, i, f and o, the cell state c, the hidden state h
    /// and the prediction p (``Piece/title`` names each).
    case inputModulation, inputGate, forgetGate, outputGate, cellState, hiddenState, prediction
    /// Equations (8)–(9) fused, the LSTM through time, the RNN's recurrence
    /// h = tanh(W_hx x + W_hh h + b_h), and the RNN through time.
    case softmaxCrossEntropy, lstm, rnnHiddenState, rnn
    // Part I, task 2: the optimisers that train the models (SGD for comparison).
    /// SGD with momentum and RMSProp, the optimisers of Part I, task 2.
    case sgd, rmsProp
    // Part II: the layers and the losses of equation (10).
    /// Part II's layers (Linear, LeakyReLU, ReLU, Tanh and Sigmoid as `squashing`, BatchNorm,
    /// Dropout), the minimax loss of equation (10), the non-saturating loss, and Adam.
    case linear, leakyReLU, relu, squashing, batchNorm, dropout, minimaxLoss, nonSaturatingLoss, adam
    // Part II, task 3: the walk through the latent space.
    /// The line z(α) = (1 − α)·z_a + α·z_b between two latent vectors.
    case latentInterpolation
    // Assignment 2 alone (its other pieces are Assignment 3's too: see `assignments`).
    /// The MLP of Assignment 2, Part I: Linear → ReLU → … → Linear, forward and backward.
    case mlp
    /// Assignment 2, Part II: the CNN's layers — the convolution (patches unfolded, then
    /// one linear map), max-pooling, and batch normalisation of images.
    case conv2d, maxPool2d, batchNorm2d
    /// Assignment 2, Part III: Xavier-uniform initialisation, and the exponential
    /// learning-rate schedule η₀·γ^⌊e/k⌋.
    case xavierInitialization, learningRateDecay

    /// How a student would name it, e.g. "equation (5), cell state".
    public var title: String {
        switch self {
        case .affine: "the affine map y = x·Wᵀ + b"
        case .activation: "the derivatives of σ and tanh"
        case .gateMachinery: "the gate machinery y = φ(W_x x + W_h h + b)"
        case .inputModulation: "equation (1), input modulation g"
        case .inputGate: "equation (2), input gate i"
        case .forgetGate: "equation (3), forget gate f"
        case .outputGate: "equation (4), output gate o"
        case .cellState: "equation (5), cell state c"
        case .hiddenState: "equation (6), hidden state h"
        case .prediction: "equation (7), prediction p"
        case .softmaxCrossEntropy: "equations (8)–(9), softmax cross-entropy"
        case .lstm: "the LSTM through time (forward and BPTT)"
        case .rnnHiddenState: "the RNN's recurrence h = tanh(W_hx x + W_hh h + b_h)"
        case .rnn: "the RNN through time (forward and BPTT)"
        case .sgd: "SGD with momentum"
        case .rmsProp: "the RMSProp optimiser"
        case .adam: "the Adam optimiser"
        case .linear: "the Linear layer"
        case .leakyReLU: "the LeakyReLU layer"
        case .relu: "the ReLU layer"
        case .squashing: "the Tanh and Sigmoid layers"
        case .batchNorm: "the BatchNorm layer"
        case .dropout: "the Dropout layer"
        case .minimaxLoss: "equation (10), the minimax loss"
        case .nonSaturatingLoss: "the non-saturating generator loss"
        case .latentInterpolation: "the linear interpolation in latent space"
        case .mlp: "the MLP, Linear → ReLU → … → Linear"
        case .conv2d: "the Conv2d layer"
        case .maxPool2d: "the MaxPool2d layer"
        case .batchNorm2d: "the BatchNorm2d layer"
        case .xavierInitialization: "Xavier-uniform initialisation, a = √(6/(fan_in + fan_out))"
        case .learningRateDecay: "the learning-rate schedule η₀·γ^⌊e/k⌋"
        }
    }

    /// The pieces its own code calls: a gate is only as right as the machinery under it.
    public var dependencies: [Piece] {
        switch self {
        case .affine, .activation, .cellState, .hiddenState, .softmaxCrossEntropy, .leakyReLU, .batchNorm, .dropout,
            .minimaxLoss, .nonSaturatingLoss, .latentInterpolation, .sgd, .rmsProp, .adam, .xavierInitialization,
            .learningRateDecay, .maxPool2d, .batchNorm2d:
            []
        case .gateMachinery: [.affine, .activation]
        case .inputModulation, .inputGate, .forgetGate, .outputGate, .rnnHiddenState: [.gateMachinery]
        case .prediction, .linear, .conv2d: [.affine]
        case .lstm:
            [
                .inputModulation, .inputGate, .forgetGate, .outputGate, .cellState, .hiddenState, .prediction,
                .softmaxCrossEntropy,
            ]
        case .rnn: [.rnnHiddenState, .prediction, .softmaxCrossEntropy]
        case .relu: [.leakyReLU]
        case .squashing: [.activation]
        case .mlp: [.linear, .relu]
        }
    }

    /// The piece and everything it depends on, each once, dependencies first.
    public var closure: [Piece] {
        var seen: [Piece] = []
        func visit(_ piece: Piece) {
            guard !seen.contains(piece) else { return }
            piece.dependencies.forEach(visit)
            seen.append(piece)
        }
        visit(self)
        return seen
    }

    /// The pieces of the solution the networks of Part II are built from.
    public static let networkLayers: [Piece] = [.linear, .leakyReLU, .relu, .squashing, .batchNorm, .dropout]
    /// What the digit classifier that judges samples is built from and trained with.
    public static let judge: [Piece] = [.linear, .relu, .softmaxCrossEntropy, .adam]
    /// Everything a GAN training step runs: the layers, both losses and Adam.
    public static let ganTraining: [Piece] = networkLayers + [.minimaxLoss, .nonSaturatingLoss, .adam]
    /// Everything an MLP training run on moons or circles runs.
    public static let mlpTraining: [Piece] = [.mlp, .softmaxCrossEntropy, .sgd]
    /// The layers of Assignment 2's CNN (with ReLU and Linear, which the MLP has already).
    public static let convolutionalLayers: [Piece] = [.conv2d, .maxPool2d, .batchNorm2d]
    /// Everything a training run of Assignment 2's CNN runs.
    public static let cnnTraining: [Piece] = convolutionalLayers + [.relu, .linear, .softmaxCrossEntropy, .adam]
    /// Everything Assignment 2's RNN training run runs.
    public static let rnnTraining: [Piece] = [.rnn, .rmsProp, .xavierInitialization, .learningRateDecay]
    /// Everything a palindrome training run of either model runs.
    public static let palindromeTraining: [Piece] = [.lstm, .rnn, .rmsProp]

    /// True when the package at `root` holds no stub of this piece: its solution is
    /// written (whether it is right is for the checks to say). Always false for the
    /// piece a probe run names (``StarterKit/probeVariable``).
    public func isWritten(inPackage root: URL = PackageDirectory.root) -> Bool {
        probedPiece != rawValue && !SolutionSources.of(root).stubbed.contains(self)
    }

    /// Of `pieces` and their dependencies, those still stubbed in the package at `root`.
    public static func unwritten(_ pieces: [Piece], inPackage root: URL = PackageDirectory.root) -> [Piece] {
        var all: [Piece] = []
        for piece in pieces.flatMap(\.closure) where !all.contains(piece) { all.append(piece) }
        return all.filter { !$0.isWritten(inPackage: root) }
    }

    /// "not implemented yet: equation (5), cell state c (Sources/Learn/Equations/CellState.swift)"
    /// naming the first piece to write — the first unwritten one in dependency order —
    /// and how many more this needs; nil when all are written.
    public static func unwrittenMessage(_ pieces: [Piece], inPackage root: URL = PackageDirectory.root) -> String? {
        let missing = unwritten(pieces, inPackage: root)
        guard let first = missing.first else { return nil }
        let files = SolutionSources.of(root).files(of: first).joined(separator: ", ")
        let more = missing.count - 1
        return "not implemented yet: \(first.title) (\(files))"
            + (more == 0 ? "" : ", then \(more) more piece\(more == 1 ? "" : "s") this needs")
    }

    /// The piece whose title is `title`, as a stub quotes it.
    public init?(title: String) {
        guard let piece = Piece.allCases.first(where: { $0.title == title }) else { return nil }
        self = piece
    }
}

/// The piece a maintainer's probe run treats as unwritten, read once (the environment
/// does not change under a running program).
private let probedPiece = ProcessInfo.processInfo.environment[StarterKit.probeVariable]
