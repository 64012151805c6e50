import Foundation
import Learn

/// Every graded check of the course, defined once: Assignment 3's Part I is worth 40
/// points and its Part II 60; Assignment 2's Part I 30, its Part II (so far its layers) 12
/// and its Part III 40 (``Assignment``).
/// `swift test` runs each as a parameterised test case and `Course grade` prints the
/// points table from the same lists.
///
/// Points are earned only by running the student's code: against PyTorch's reference
/// values (`Fixtures/cases`, plus an instructor's hidden cases), by finite differences
/// of its own forward pass, and by seeded training runs with real thresholds. A piece
/// both assignments use is graded in each, by checks of its own: Assignment 2's ids
/// start with `a2.`, so that an id names one check in the whole course.
public enum GradingCatalogue {
    /// The checks of `assignment`, task by task.
    public static func checks(for assignment: Assignment) -> [GradedCheck] {
        switch assignment {
        case .two: assignmentTwo
        case .three: partOne + partTwo
        }
    }

    /// Every assignment's checks.
    public static let all: [GradedCheck] = Assignment.allCases.flatMap(checks(for:))

    /// The check with `id`, in whichever assignment has it.
    public static func check(id: String) -> GradedCheck? {
        all.first { $0.id == id }
    }

    /// Every case that loads, visible and hidden.
    public static func cases(_ options: GradingOptions) -> [FixtureCase] {
        GradedCases.load(options).cases.map(\.fixture)
    }

    /// Case files, visible or hidden, that cannot be loaded or that no check of any
    /// assignment takes: each fails the report although no check's points depend on it.
    public static func caseProblems(_ options: GradingOptions) -> [String] {
        let (cases, problems) = GradedCases.load(options)
        let ungraded = cases.filter { loaded in !all.contains { $0.selects?(loaded.fixture) == true } }
        return problems + ungraded.map { "\($0.label) (kind \($0.fixture.kind.rawValue)) is taken by no check" }
    }

    /// True when a check of `assignment` takes `fixture`.
    public static func takes(_ fixture: FixtureCase, in assignment: Assignment) -> Bool {
        checks(for: assignment).contains { $0.selects?(fixture) == true }
    }

    /// The points `part` of `assignment` is worth.
    public static func points(_ assignment: Assignment, part: Int) -> Int {
        checks(for: assignment).filter { $0.task.part == part }.reduce(0) { $0 + $1.points }
    }

    // MARK: Part I — 40 points

    static let partOne: [GradedCheck] =
        [
            ("g", "(1) input modulation g", Piece.inputModulation), ("i", "(2) input gate i", .inputGate),
            ("f", "(3) forget gate f", .forgetGate), ("o", "(4) output gate o", .outputGate),
        ].flatMap { letter, title, piece in
            caseChecks(
                "gate-\(letter)", .part1Task1, title, fixturePoints: 2, gradientPoints: 1, pieces: [piece]
            ) { $0.kind == .gate && $0.options["gate"] == .text(letter) }
        }
        + caseChecks(
            "cell-state", .part1Task1, "(5) cell state c", fixturePoints: 2, gradientPoints: 1, kind: .cellState)
        + caseChecks(
            "hidden-state", .part1Task1, "(6) hidden state h", fixturePoints: 2, gradientPoints: 1, kind: .hiddenState)
        + caseChecks(
            "prediction", .part1Task1, "(7) prediction p", fixturePoints: 1, gradientPoints: 1, kind: .prediction)
        + caseChecks(
            "softmax-cross-entropy", .part1Task1, "(8)–(9) softmax cross-entropy", fixturePoints: 2, gradientPoints: 1,
            kind: .softmaxCrossEntropy)
        + caseChecks(
            "lstm", .part1Task1, "the LSTM through time (T up to 20)", fixturePoints: 3, gradientPoints: 2, kind: .lstm)
        + caseChecks(
            "rnn-hidden-state", .part1Task2, "the RNN's recurrence", fixturePoints: 1, gradientPoints: 1,
            kind: .rnnHiddenState)
        + caseChecks("rnn", .part1Task2, "the RNN through time", fixturePoints: 1, gradientPoints: 1, kind: .rnn)
        + [
            fixtureCheck(
                "optimizers.sgd-rmsprop", .part1Task2, "SGD with momentum and RMSProp follow PyTorch's steps",
                points: 1, pieces: [.sgd, .rmsProp]
            ) { [.sgd, .rmsprop].contains($0.kind) },
            GradedCheck(
                id: "lstm.learns-T5", task: .part1Task2,
                title: "the LSTM reaches ≥ 99% test accuracy at T = 5 with the default settings", points: 5,
                pieces: [.lstm, .rmsProp], timeLimit: 300, work: GradedTraining.lstmLearns),
            GradedCheck(
                id: "lstm.beats-rnn-T5", task: .part1Task2,
                title: "the LSTM is at least as accurate as the RNN at T = 5 under the same budget", points: 2,
                pieces: Piece.palindromeTraining, timeLimit: 300,
                work: GradedTraining.lstmAtLeastAsAccurateAsRNN),
        ]

    // MARK: Part II — 60 points

    static let partTwo: [GradedCheck] =
        caseChecks("linear", .part2Task1, "the Linear layer", fixturePoints: 3, gradientPoints: 1, kind: .linear)
        + caseChecks(
            "leaky-relu", .part2Task1, "the LeakyReLU layer", fixturePoints: 1, gradientPoints: 1, kind: .leakyReLU)
        + caseChecks("relu", .part2Task1, "the ReLU layer", fixturePoints: 1, gradientPoints: 1, kind: .relu)
        + caseChecks(
            "squashing", .part2Task1, "the Tanh and Sigmoid layers", fixturePoints: 1, gradientPoints: 1,
            pieces: [.squashing]
        ) { $0.kind == .tanh || $0.kind == .sigmoid }
        + caseChecks(
            "batch-norm", .part2Task1, "BatchNorm in training and evaluation", fixturePoints: 3, gradientPoints: 2,
            kind: .batchNorm)
        + [
            GradedCheck(
                id: "dropout.properties", task: .part2Task1,
                title: "Dropout: identity in evaluation, expectation kept in training, backward through the mask",
                points: 2, pieces: [.dropout], work: GradedProperties.dropout)
        ]
        + caseChecks(
            "minimax-discriminator", .part2Task1, "(10) the discriminator's minimax loss, stable at logits ±100",
            fixturePoints: 2, gradientPoints: 1, kind: .minimaxDiscriminatorLoss)
        + caseChecks(
            "minimax-generator", .part2Task1, "(10) the generator's saturating loss, stable at logits ±100",
            fixturePoints: 2, gradientPoints: 1, kind: .minimaxGeneratorLoss)
        + caseChecks(
            "non-saturating", .part2Task1, "the non-saturating generator loss, stable at logits ±100",
            fixturePoints: 2, gradientPoints: 1, kind: .nonSaturatingLoss)
        + [
            fixtureCheck(
                "optimizers.adam", .part2Task1, "Adam follows PyTorch's steps (bias correction, ε outside the root)",
                points: 2, pieces: [.adam]
            ) { $0.kind == .adam }
        ]
        + caseChecks(
            "generator", .part2Task1, "the whole generator (BatchNorm in training and evaluation)",
            fixturePoints: 2, gradientPoints: 2, pieces: Piece.networkLayers
        ) { $0.kind == .generator }
        + caseChecks(
            "discriminator", .part2Task1, "the whole discriminator", fixturePoints: 2, gradientPoints: 2,
            pieces: Piece.networkLayers
        ) { $0.kind == .discriminator }
        + [
            GradedCheck(
                id: "gan.balanced-game", task: .part2Task2,
                title: "a seeded GAN run stays balanced and its samples look like varied digits to the stored judge",
                points: 18, pieces: Piece.ganTraining, timeLimit: 600,
                work: GradedTraining.balancedGame),
            GradedCheck(
                id: "latent.interpolation", task: .part2Task3,
                title: "the interpolation z(α) = (1 − α) z_a + α z_b: from z_a to z_b, evenly spaced", points: 3,
                pieces: [.latentInterpolation], work: GradedProperties.interpolation),
            GradedCheck(
                id: "judge.accuracy", task: .part2Task3,
                title:
                    "the digit classifier that picks the two classes, built from your layers, reaches ≥ 97% on MNIST's test set",
                points: 3, pieces: Piece.judge, timeLimit: 300, work: GradedTraining.judgeAccuracy),
        ]

    // MARK: Assignment 2 — Part I 30 points, Part II 30, Part III 40

    static let assignmentTwo: [GradedCheck] =
        caseChecks(
            "a2.linear", .a2Part1Task1, "the Linear layer", fixturePoints: 3, gradientPoints: 1, kind: .linear)
        + caseChecks("a2.relu", .a2Part1Task1, "the ReLU layer", fixturePoints: 1, gradientPoints: 1, kind: .relu)
        + caseChecks(
            "a2.softmax-cross-entropy", .a2Part1Task1, "softmax cross-entropy", fixturePoints: 2, gradientPoints: 1,
            kind: .softmaxCrossEntropy)
        + [
            fixtureCheck(
                "a2.optimizers.sgd", .a2Part1Task1, "SGD follows PyTorch's steps (with and without momentum)",
                points: 2, pieces: [.sgd]
            ) { $0.kind == .sgd }
        ]
        + caseChecks(
            "a2.mlp", .a2Part1Task1, "the whole MLP, Linear → ReLU → … → Linear", fixturePoints: 4,
            gradientPoints: 3, kind: .mlp)
        + [
            GradedCheck(
                id: "a2.moons.learns", task: .a2Part1Task2,
                title: "the MLP reaches ≥ 95% test accuracy on moons with the default settings", points: 6,
                pieces: Piece.mlpTraining, timeLimit: 120, work: GradedTraining.mlpLearns(.moons)),
            GradedCheck(
                id: "a2.circles.learns", task: .a2Part1Task2,
                title: "the MLP reaches ≥ 95% test accuracy on circles with the default settings", points: 6,
                pieces: Piece.mlpTraining, timeLimit: 120, work: GradedTraining.mlpLearns(.circles)),
        ]
        + caseChecks(
            "a2.conv2d", .a2Part2Task1, "the Conv2d layer (stride, padding, non-square kernels and images)",
            fixturePoints: 3, gradientPoints: 2, kind: .conv2d)
        + caseChecks(
            "a2.max-pool2d", .a2Part2Task1, "the MaxPool2d layer (padding as −∞, ties to the first maximum)",
            fixturePoints: 2, gradientPoints: 1, kind: .maxPool2d)
        + caseChecks(
            "a2.batch-norm2d", .a2Part2Task1, "BatchNorm2d in training and evaluation", fixturePoints: 3,
            gradientPoints: 1, kind: .batchNorm2d)
        + [
            fixtureCheck(
                "a2.optimizers.adam", .a2Part2Task1,
                "Adam, which trains the CNN, follows PyTorch's steps (bias correction, ε outside the root)", points: 2,
                pieces: [.adam]
            ) { $0.kind == .adam },
            GradedCheck(
                id: "a2.cnn.learns", task: .a2Part2Task2,
                title:
                    "the CNN (the course's VGG 8× narrower, Adam 1e-3 then 3e-4, two epochs of 30,000 digits) reaches ≥ 97% "
                    + "on MNIST's test digits padded to 32×32",
                points: GradedTraining.cnnPoints, pieces: Piece.cnnTraining, timeLimit: 600,
                work: GradedTraining.cnnLearns),
        ]
        + caseChecks(
            "a2.rnn-hidden-state", .a2Part3Task1, "the RNN's recurrence h = tanh(W_hx x + W_hh h + b_h)",
            fixturePoints: 5, gradientPoints: 3, kind: .rnnHiddenState)
        + caseChecks(
            "a2.prediction", .a2Part3Task1, "the output o = W_ph h + b_o", fixturePoints: 2, gradientPoints: 1,
            kind: .prediction)
        + caseChecks(
            "a2.rnn", .a2Part3Task1, "the RNN through time (T up to 20)", fixturePoints: 6, gradientPoints: 4,
            kind: .rnn)
        + [
            fixtureCheck(
                "a2.optimizers.rmsprop", .a2Part3Task1, "RMSProp follows PyTorch's steps", points: 3,
                pieces: [.rmsProp]
            ) { $0.kind == .rmsprop },
            GradedCheck(
                id: "a2.xavier-initialization", task: .a2Part3Task1,
                title: "Xavier-uniform weights: within ±√(6/(fan_in + fan_out)), spread over it, variance a²/3",
                points: 2, pieces: [.xavierInitialization], work: GradedProperties.xavier),
            GradedCheck(
                id: "a2.learning-rate-decay", task: .a2Part3Task2,
                title: "the schedule η₀·γ^⌊e/k⌋: η₀ for the first k epochs, then ×γ every k", points: 2,
                pieces: [.learningRateDecay], work: GradedProperties.decay),
            GradedCheck(
                id: "a2.rnn.learns-T5", task: .a2Part3Task2,
                title: "the RNN reaches ≥ 99% test accuracy at T = 5 (Xavier, RMSProp 1e-3 decayed, clipping)",
                points: 12, pieces: Piece.rnnTraining, timeLimit: 300, work: GradedTraining.rnnLearns),
        ]

    // MARK: Building checks

    /// The two checks of a piece with reference cases: its outputs and gradients match
    /// PyTorch's; and its backward pass agrees with finite differences of its forward, on
    /// values that match PyTorch's (the part the grader can verify: see
    /// ``GradedCases/finiteDifferences(points:fixtureCheck:where:)``).
    static func caseChecks(
        _ name: String, _ task: AssignmentTask, _ title: String, fixturePoints: Int, gradientPoints: Int,
        kind: FixtureKind
    ) -> [GradedCheck] {
        caseChecks(
            name, task, title, fixturePoints: fixturePoints, gradientPoints: gradientPoints,
            pieces: pieces(for: kind)
        ) { $0.kind == kind }
    }

    static func caseChecks(
        _ name: String, _ task: AssignmentTask, _ title: String, fixturePoints: Int, gradientPoints: Int,
        pieces: [Piece], where select: @escaping @Sendable (FixtureCase) -> Bool
    ) -> [GradedCheck] {
        [
            fixtureCheck(
                "\(name).fixtures", task, "\(title): outputs and gradients match PyTorch's", points: fixturePoints,
                pieces: pieces, where: select),
            GradedCheck(
                id: "\(name).gradients", task: task,
                title: "\(title): backward agrees with finite differences (relative error ≤ 1e-6) and with PyTorch",
                points: gradientPoints, pieces: pieces, timeLimit: 120, selects: select,
                work: GradedCases.finiteDifferences(
                    points: gradientPoints, fixtureCheck: "\(name).fixtures", where: select)),
        ]
    }

    static func fixtureCheck(
        _ id: String, _ task: AssignmentTask, _ title: String, points: Int, pieces: [Piece],
        where select: @escaping @Sendable (FixtureCase) -> Bool
    ) -> GradedCheck {
        GradedCheck(
            id: id, task: task, title: title, points: points, pieces: pieces, selects: select,
            work: GradedCases.matchReferences(points: points, where: select))
    }

    /// The pieces a case exercises (an optimiser's: none of the student's).
    public static func pieces(for fixture: FixtureCase) -> [Piece] {
        guard fixture.kind == .gate else { return pieces(for: fixture.kind) }
        switch fixture.options["gate"] {
        case .text("g")?: return [.inputModulation]
        case .text("i")?: return [.inputGate]
        case .text("f")?: return [.forgetGate]
        case .text("o")?: return [.outputGate]
        default: return [.gateMachinery]
        }
    }

    /// The pieces a case kind exercises; for gates, only their shared machinery (see
    /// ``pieces(for:)-(FixtureCase)`` for the gate itself).
    public static func pieces(for kind: FixtureKind) -> [Piece] {
        switch kind {
        case .gate: [.gateMachinery]
        case .rnnHiddenState: [.rnnHiddenState]
        case .cellState: [.cellState]
        case .hiddenState: [.hiddenState]
        case .prediction: [.prediction]
        case .softmaxCrossEntropy: [.softmaxCrossEntropy]
        case .lstm: [.lstm]
        case .rnn: [.rnn]
        case .linear: [.linear]
        case .leakyReLU: [.leakyReLU]
        case .relu: [.relu]
        case .tanh, .sigmoid: [.squashing]
        case .batchNorm: [.batchNorm]
        case .minimaxDiscriminatorLoss, .minimaxGeneratorLoss: [.minimaxLoss]
        case .nonSaturatingLoss: [.nonSaturatingLoss]
        case .generator, .discriminator: Piece.networkLayers
        case .mlp: [.mlp]
        case .conv2d: [.conv2d]
        case .maxPool2d: [.maxPool2d]
        case .batchNorm2d: [.batchNorm2d]
        case .sgd: [.sgd]
        case .rmsprop: [.rmsProp]
        case .adam: [.adam]
        }
    }
}
