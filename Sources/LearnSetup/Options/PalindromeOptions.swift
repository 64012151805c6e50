/// Everything that defines a palindrome training run. The defaults are the course's
/// (Assignment 3's): input length 19, 100,000 palindromes, 80% for training, hidden
/// 128, batch 128, learning rate 1e-3 held constant, gradient-norm clip 10, PyTorch's
/// initialisation, up to 100 epochs. Assignment 2's RNN changes two of them:
/// ``initialization`` `.xavierUniform` and a ``learningRateDecay`` of 0.98 every
/// ``decayInterval`` = 10 epochs.
public struct PalindromeOptions: Sendable, Equatable {
    /// Which model to train: the LSTM or the RNN baseline.
    public var model: SequenceModelKind = .lstm
    /// T, the number of digits read.
    public var inputLength = 19
    /// How many distinct palindromes to draw (capped at how many exist).
    public var datasetSize = 100_000
    /// The fraction of the data set used for training; the rest is the test set.
    public var trainFraction = 0.8
    /// How digits are presented.
    public var encoding = DigitEncoding.oneHot
    /// H.
    public var hiddenSize = 128
    /// N.
    public var batchSize = 128
    /// RMSProp's step size η (η₀, when it decays).
    public var learningRate: Float = 1e-3
    /// γ in (0, 1]: η is multiplied by it every ``decayInterval`` epochs (see
    /// `ExponentialDecay`). 1, the default, keeps η constant.
    public var learningRateDecay: Float = 1
    /// k ≥ 1: the epochs between two decays of η (used when ``learningRateDecay`` < 1).
    public var decayInterval = 10
    /// The gradient-norm clip (global over all parameters).
    public var clipNorm: Float = 10
    /// When set, b_f starts at this value instead of a random one (LSTM only).
    public var forgetBias: Float? = nil
    /// How the weights are drawn: PyTorch's default, or Xavier-uniform with zero biases
    /// (the RNN only, as Assignment 2 asks).
    public var initialization = Initialization.pytorchDefault
    /// The most passes over the training set.
    public var maxEpochs = 100
    /// The most optimiser steps (nil: no limit beyond `maxEpochs`).
    public var maxSteps: Int? = nil
    /// Evaluate the test accuracy every this many steps (and at the end).
    public var evaluationInterval = 100
    /// Stop as soon as the test accuracy reaches this (nil: never stop early).
    public var targetAccuracy: Double? = nil
    /// Fixes the data, the initial weights and the batch order.
    public var seed: UInt64 = 0

    /// The course defaults.
    public init() {}

    /// Checks every option, naming the first that is out of range.
    public func validate() throws(OptionError) {
        func require(_ ok: Bool, _ name: String, _ value: Any, _ expected: String) throws(OptionError) {
            if !ok { throw OptionError(option: name, value: "\(value)", expected: expected) }
        }
        try require(inputLength >= 1 && inputLength <= 1000, "input length", inputLength, "1…1000")
        try require(datasetSize >= 2, "data set size", datasetSize, "at least 2")
        try require(trainFraction > 0 && trainFraction < 1, "train fraction", trainFraction, "strictly between 0 and 1")
        try require(hiddenSize >= 1 && hiddenSize <= 4096, "hidden size", hiddenSize, "1…4096")
        try require(batchSize >= 1, "batch size", batchSize, "at least 1")
        try require(learningRate > 0 && learningRate.isFinite, "learning rate", learningRate, "a positive number")
        try require(
            learningRateDecay > 0 && learningRateDecay <= 1, "learning rate decay", learningRateDecay,
            "in (0, 1] (1 keeps the rate constant; Assignment 2 uses 0.98)")
        try require(decayInterval >= 1, "decay interval", decayInterval, "at least 1 epoch")
        try require(clipNorm > 0 && clipNorm.isFinite, "clip norm", clipNorm, "a positive number")
        try require(forgetBias?.isFinite ?? true, "forget bias", forgetBias as Any, "a finite number")
        try require(
            model == .rnn || initialization == .pytorchDefault, "initialization", initialization,
            "pytorchDefault for the LSTM (xavierUniform is Assignment 2's, for the RNN)")
        try require(maxEpochs >= 1, "epochs", maxEpochs, "at least 1")
        try require((maxSteps ?? 1) >= 1, "steps", maxSteps as Any, "at least 1")
        try require(evaluationInterval >= 1, "evaluation interval", evaluationInterval, "at least 1")
        try require(
            (targetAccuracy ?? 0.5).isFinite && (0...1).contains(targetAccuracy ?? 0.5),
            "target accuracy", targetAccuracy as Any, "between 0 and 1")
    }
}
