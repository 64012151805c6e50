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
}
