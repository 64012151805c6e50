/// What one iteration of GAN training did (the figures to log).
public struct GANRecord: Sendable, Equatable, Codable {
    /// The generator steps taken so far.
    public var iteration: Int
    /// D's loss on the real batch, −mean log D(x) (log 2 ≈ 0.693 when balanced).
    public var discriminatorReal: Double
    /// D's loss on the generated batch, −mean log(1 − D(G(z))).
    public var discriminatorFake: Double
    /// G's loss (whichever ``GeneratorLoss`` is in use).
    public var generator: Double
    /// mean D(x) on the real batch.
    public var meanDReal: Double
    /// mean D(G(z)) on the generated batch, before D's update.
    public var meanDFake: Double
    /// D's total loss, the sum of its two terms.
    public var discriminator: Double { discriminatorReal + discriminatorFake }

    /// A record of these figures (a training loop of your own can keep them too, and
    /// have ``GANBalance`` judge them).
    public init(
        iteration: Int, discriminatorReal: Double, discriminatorFake: Double, generator: Double, meanDReal: Double,
        meanDFake: Double
    ) {
        (self.iteration, self.discriminatorReal, self.discriminatorFake) = (
            iteration, discriminatorReal, discriminatorFake
        )
        (self.generator, self.meanDReal, self.meanDFake) = (generator, meanDReal, meanDFake)
    }
}
