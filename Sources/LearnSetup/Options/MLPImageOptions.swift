/// Everything that defines an MLP training run on images (CIFAR-10) apart from the
/// images themselves. The defaults follow the course: one hidden layer of 256 and
/// mini-batch SGD (its reports reach about 43% test accuracy on CIFAR-10); with batches
/// of 64, step size 0.01 and momentum 0.9 (PyTorch's CIFAR-10 tutorial takes the same
/// momentum with step size 0.001 for batches of 4), 10 epochs.
public struct MLPImageOptions: Sendable, Equatable {
    /// The hidden layers' widths, input side first (the input is the image's width, the
    /// output the number of classes).
    public var hiddenWidths = [256]
    /// N, the images per SGD step.
    public var batchSize = 64
    /// SGD's step size η.
    public var learningRate: Float = 0.01
    /// SGD's momentum μ (0: plain SGD).
    public var momentum: Float = 0.9
    /// Passes over the training images.
    public var epochs = 10
    /// How many training images the training loss and accuracy are measured on after
    /// each epoch: the first ones of the set (nil: all). A pass over all 50,000 costs a
    /// third of an epoch's training; the test set is always measured whole.
    public var trainEvaluationSize: Int? = 10_000
    /// Fixes the initial weights and the batch order.
    public var seed: UInt64 = 0

    /// The course defaults.
    public init() {}

    /// The network's widths: the input, the hidden ones, the classes.
    public func widths(inputs: Int, classes: Int) -> [Int] { [inputs] + hiddenWidths + [classes] }

    /// Checks every option, naming the first that is out of range.
    public func validate() throws(OptionError) {
        func require(_ ok: Bool, _ name: String, _ value: Any, _ expected: String) throws(OptionError) {
            if !ok { throw OptionError(option: name, value: "\(value)", expected: expected) }
        }
        try require(
            hiddenWidths.count <= 16 && hiddenWidths.allSatisfy { (1...4096).contains($0) }, "hidden widths",
            hiddenWidths, "at most 16 widths, each 1…4096")
        try require(batchSize >= 1 && batchSize <= 100_000, "batch size", batchSize, "1…100,000")
        try require(learningRate > 0 && learningRate.isFinite, "learning rate", learningRate, "a positive number")
        try require((0..<1).contains(momentum), "momentum", momentum, "in [0, 1)")
        try require(epochs >= 1 && epochs <= 100_000, "epochs", epochs, "1…100,000")
        try require(
            (trainEvaluationSize ?? 1) >= 1, "train evaluation size", trainEvaluationSize.map { "\($0)" } ?? "nil",
            "at least 1 (or nil: all)")
    }
}
