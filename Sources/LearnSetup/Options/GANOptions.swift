/// Everything that defines a GAN training run. Defaults are the course's: Adam with
/// η = 2e-4 and β₁ = 0.5, batch 64, one discriminator step per generator step.
public struct GANOptions: Sendable, Equatable {
    /// The shapes of G and D (the course template by default; see ``GANArchitecture``).
    public var architecture = GANArchitecture.template
    /// N, the images in each real batch and the samples in each generated one.
    public var batchSize = 64
    /// Adam's step size for G.
    public var generatorLearningRate: Float = 2e-4
    /// Adam's step size for D (raise it, or k, to watch D overpower G).
    public var discriminatorLearningRate: Float = 2e-4
    /// Adam's β₁ for both networks, the decay of the mean of gradients: 0.5 rather than
    /// the usual 0.9, as DCGAN found steadier.
    public var beta1: Float = 0.5
    /// k, discriminator steps per generator step (as in the original GAN algorithm).
    public var discriminatorSteps = 1
    /// Which loss G minimises (non-saturating by default).
    public var generatorLoss = GeneratorLoss.nonSaturating
    /// Fixes the initial weights, the batch order, the noise and dropout.
    public var seed: UInt64 = 0

    /// The course defaults.
    public init() {}

    /// Checks every option, naming the first that is out of range.
    public func validate() throws(OptionError) {
        func require(_ ok: Bool, _ name: String, _ value: Any, _ expected: String) throws(OptionError) {
            if !ok { throw OptionError(option: name, value: "\(value)", expected: expected) }
        }
        try require(batchSize >= 2, "batch size", batchSize, "at least 2 (batch normalisation needs two rows)")
        for (name, rate) in [
            ("generator learning rate", generatorLearningRate),
            ("discriminator learning rate", discriminatorLearningRate),
        ] {
            try require(rate > 0 && rate.isFinite, name, rate, "a positive number")
        }
        try require(beta1 >= 0 && beta1 < 1, "beta1", beta1, "in [0, 1)")
        try require(
            discriminatorSteps >= 1 && discriminatorSteps <= 100, "discriminator steps", discriminatorSteps, "1…100")
        let a = architecture
        try require(a.noiseSize >= 1, "noise size", a.noiseSize, "at least 1")
        try require(
            !a.generatorWidths.isEmpty && a.generatorWidths.allSatisfy { $0 >= 1 }, "generator widths",
            a.generatorWidths, "at least one, each positive")
        try require(
            a.discriminatorWidths.allSatisfy { $0 >= 1 }, "discriminator widths", a.discriminatorWidths, "positive")
        try require(a.dropout >= 0 && a.dropout < 1, "dropout", a.dropout, "in [0, 1)")
        try require(a.slope >= 0 && a.slope < 1, "LeakyReLU slope", a.slope, "in [0, 1)")
    }
}
