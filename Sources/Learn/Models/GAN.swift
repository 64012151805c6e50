/// The shapes of the two fully connected GAN networks.
///
/// ``template`` is the course's: G is z ∈ R¹⁰⁰ → 128 → 256 → 512 → 1024 → 784 with
/// LeakyReLU(0.2) after every hidden layer and batch normalisation after the 256-,
/// 512- and 1024-wide linear layers, tanh output; D is 784 → 512 → 256 → 1 with
/// LeakyReLU(0.2). ``balanced`` narrows D to 784 → 256 → 128 → 1 and adds dropout 0.4,
/// the remedy reports found for a discriminator that overpowers its generator.
public struct GANArchitecture: Sendable, Equatable {
    /// The size of the noise vector z.
    public var noiseSize = 100
    /// G's hidden widths, in order.
    public var generatorWidths = [128, 256, 512, 1024]
    /// The pixels per image (28 × 28).
    public var imageSize = 784
    /// D's hidden widths, in order.
    public var discriminatorWidths = [512, 256]
    /// D's dropout probability after each hidden layer (0: none).
    public var dropout = 0.0
    /// LeakyReLU's slope for negative inputs.
    public var slope = 0.2

    /// The course template's shapes; change the properties for another variant.
    public init() {}

    /// The course template.
    public static let template = GANArchitecture()

    /// The balanced variant: a narrower discriminator with dropout.
    public static let balanced: GANArchitecture = {
        var a = GANArchitecture()
        a.discriminatorWidths = [256, 128]
        a.dropout = 0.4
        return a
    }()

    /// A scaled-down architecture with every kind of layer the real ones have, for
    /// checks that must run in moments: G 3 → 4 → 5 → 6 → 7 (batch normalisation after
    /// the 5- and 6-wide layers), D 7 → 6 → 4 → 1 with dropout 0.3.
    public static var small: GANArchitecture {
        var a = GANArchitecture.balanced
        a.noiseSize = 3
        a.generatorWidths = [4, 5, 6]
        a.imageSize = 7
        a.discriminatorWidths = [6, 4]
        a.dropout = 0.3
        return a
    }

    /// The generator: a first block Linear → LeakyReLU, a block Linear → BatchNorm →
    /// LeakyReLU for each further hidden width, then Linear → tanh, so pixels lie in
    /// (−1, 1).
    public func generator<T: Real>(using random: inout SeededGenerator, as _: T.Type = T.self) -> Generator<T> {
        ensure(!generatorWidths.isEmpty, "a generator needs at least one hidden width (its first block), got none")
        let slope = LeakyReLU<T>(slope: T(self.slope))
        let first = generatorWidths.first ?? imageSize
        let input = DenseBlock(linear: Linear<T>(inputs: noiseSize, outputs: first, using: &random), activation: slope)
        var hidden: [NormalizedBlock<T>] = []
        for (width, next) in zip(generatorWidths, generatorWidths.dropFirst()) {
            hidden.append(
                NormalizedBlock(
                    linear: Linear(inputs: width, outputs: next, using: &random), norm: BatchNorm(features: next),
                    activation: slope))
        }
        let last = generatorWidths.last ?? imageSize
        return Generator(input: input, hidden: hidden, output: Linear(inputs: last, outputs: imageSize, using: &random))
    }

    /// The discriminator: Linear → LeakyReLU [→ Dropout] for each hidden width, then a
    /// Linear to one *logit* ℓ. D(x) = σ(ℓ) is applied inside the losses, where
    /// log σ(ℓ) can be computed without ever taking log(0) (see ``Softplus``).
    public func discriminator<T: Real>(
        using random: inout SeededGenerator, as _: T.Type = T.self
    ) -> Discriminator<T> {
        var hidden: [DenseBlock<T>] = []
        var width = imageSize
        for next in discriminatorWidths {
            let linear = Linear<T>(inputs: width, outputs: next, using: &random)
            let dropout = dropout > 0 ? Dropout<T>(probability: T(dropout), seed: random.next()) : nil
            hidden.append(DenseBlock(linear: linear, activation: LeakyReLU(slope: T(slope)), dropout: dropout))
            width = next
        }
        return Discriminator(hidden: hidden, output: Linear(inputs: width, outputs: 1, using: &random))
    }
}
