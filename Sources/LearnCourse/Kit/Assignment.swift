import Foundation
import Learn

/// One of the course's two assignments. Assignment 2 (an MLP, a CNN, the vanilla RNN)
/// comes first; Assignment 3 (the LSTM against the RNN, a GAN on MNIST) builds on it.
///
/// A piece both use (Linear, ReLU, softmax–CE, SGD, RMSProp, the RNN) is written once in
/// the library and graded in each, by checks of its own (``GradingCatalogue``). Every
/// course command takes `--assignment 2|3`; without it, a starter kit's own assignment
/// (``StarterKit/manifestFile``), else Assignment 3.
public enum Assignment: Int, CaseIterable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// The MLP on moons, circles and CIFAR-10; the CNN; the vanilla RNN.
    case two = 2
    /// The LSTM by hand on palindromes, against the RNN; the GAN on MNIST.
    case three = 3

    /// The assignment a command works on when none is named.
    public static let standard = Assignment.three

    /// "Assignment 3".
    public var description: String { "Assignment \(rawValue)" }

    /// What it teaches, in a line.
    public var subject: String {
        switch self {
        case .two: "the MLP on moons and circles, the CNN on images, and the vanilla RNN on palindromes"
        case .three: "the LSTM by hand on palindromes, and the GAN on MNIST"
        }
    }

    /// The parts that are graded and what each is worth.
    public var points: [(part: Int, points: Int)] {
        switch self {
        case .two: [(1, 30), (2, 30), (3, 40)]
        case .three: [(1, 40), (2, 60)]
        }
    }

    /// The pieces it has students write, in an order of work: each after every piece it
    /// uses, so its tests can pass as soon as it is written.
    public var pieces: [Piece] {
        switch self {
        case .two:
            [
                .affine, .linear, .leakyReLU, .relu, .softmaxCrossEntropy, .sgd, .mlp, .conv2d, .maxPool2d,
                .batchNorm2d, .adam,
                .activation, .gateMachinery, .rnnHiddenState, .prediction, .rnn, .rmsProp, .xavierInitialization,
                .learningRateDecay,
            ]
        case .three: Piece.allCases.filter { $0.assignments.contains(.three) }
        }
    }

    /// The pieces a starter kit of this assignment leaves to write: its own and every
    /// later assignment's (a student of Assignment 2 must not find Assignment 3's
    /// solutions). An earlier assignment's own pieces stay written: they were done.
    public var stubbedPieces: [Piece] {
        Piece.allCases.filter { piece in piece.assignments.contains { $0 >= self } }
    }

    /// The assignment `--assignment` names: "2" or "3".
    public init?(argument: String) {
        guard let number = Int(argument), let assignment = Assignment(rawValue: number) else { return nil }
        self = assignment
    }

    /// Assignments are ordered as the course takes them.
    public static func < (a: Assignment, b: Assignment) -> Bool { a.rawValue < b.rawValue }

    /// The assignment of the package at `root`: a starter kit's own (its manifest), or
    /// ``standard`` for the reference solution.
    public static func of(package root: URL = PackageDirectory.root) -> Assignment {
        StarterKit.manifest(inPackage: root)?.assignment ?? standard
    }
}

extension Piece {
    /// The assignments that have students write it.
    public var assignments: [Assignment] {
        switch self {
        case .mlp, .conv2d, .maxPool2d, .batchNorm2d, .xavierInitialization, .learningRateDecay: [.two]
        case .affine, .activation, .gateMachinery, .softmaxCrossEntropy, .prediction, .rnnHiddenState, .rnn, .sgd,
            .rmsProp, .adam, .linear, .leakyReLU, .relu:
            [.two, .three]
        case .inputModulation, .inputGate, .forgetGate, .outputGate, .cellState, .hiddenState, .lstm,
            .squashing, .batchNorm, .dropout, .minimaxLoss, .nonSaturatingLoss, .latentInterpolation:
            [.three]
        }
    }
}
