/// Everything that defines an MLP training run on moons or circles. The defaults are the
/// course's data (1,000 points, 80/20 split, batch 5) and a network that learns both in
/// seconds: hidden widths 20 and 20, plain SGD with step size 0.1, 100 epochs (both data
/// sets then reach 95.5–98.5% test accuracy over seeds 0–4).
public struct MLPOptions: Sendable, Equatable {
    /// Which data set.
    public var dataset = PlanarDataset.moons
    /// How many points to draw.
    public var samples = 1_000
    /// The noise's standard deviation (nil: the data set's own, 0.2 or 0.05).
    public var noise: Double? = nil
    /// The fraction of the points used for training; the rest is the test set.
    public var trainFraction = 0.8
    /// The hidden layers' widths, input side first (the input is 2 wide, the output 2).
    public var hiddenWidths = [20, 20]
    /// N, the points per SGD step.
    public var batchSize = 5
    /// SGD's step size η.
    public var learningRate: Float = 0.1
    /// SGD's momentum μ (0: plain SGD, as the course asks).
    public var momentum: Float = 0
    /// Passes over the training set.
    public var epochs = 100
    /// Fixes the points, the split, the initial weights and the batch order.
    public var seed: UInt64 = 0

    /// The course defaults.
    public init() {}

    /// The network's widths: 2, the hidden ones, 2.
    public var widths: [Int] { [2] + hiddenWidths + [2] }

    /// Checks every option, naming the first that is out of range.
    public func validate() throws(OptionError) {
        func require(_ ok: Bool, _ name: String, _ value: Any, _ expected: String) throws(OptionError) {
            if !ok { throw OptionError(option: name, value: "\(value)", expected: expected) }
        }
        try require(samples >= 4 && samples <= 10_000_000, "samples", samples, "4…10,000,000")
        try require((noise ?? 0) >= 0 && (noise ?? 0).isFinite, "noise", noise as Any, "a finite number ≥ 0")
        try require(trainFraction > 0 && trainFraction < 1, "train fraction", trainFraction, "strictly between 0 and 1")
        try require(
            hiddenWidths.count <= 16 && hiddenWidths.allSatisfy { (1...4096).contains($0) }, "hidden widths",
            hiddenWidths, "at most 16 widths, each 1…4096")
        try require(batchSize >= 1, "batch size", batchSize, "at least 1")
        try require(learningRate > 0 && learningRate.isFinite, "learning rate", learningRate, "a positive number")
        try require((0..<1).contains(momentum), "momentum", momentum, "in [0, 1)")
        try require(epochs >= 1 && epochs <= 100_000, "epochs", epochs, "1…100,000")
    }
}
