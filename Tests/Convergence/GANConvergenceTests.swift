import Learn
import LearnTesting
import Testing

/// The GAN's training runs that are not graded checks. The graded one — a seeded run
/// whose game stays balanced and whose samples look like varied digits to the judge —
/// is `gan.balanced-game` in ``GradingCatalogue`` (run by the Grading suite); here the
/// same balance check is shown to reject a run whose discriminator overpowers its
/// generator, so a pass there means something.
@Suite("Convergence of the GAN", .tags(.training), .serialized)
struct GANConvergenceTests {
    /// The first 10,000 training images: enough for a balanced game in 1,200 steps.
    static func subset() throws -> ImageBytes {
        try MNIST.load(split: .train, limit: 10_000).images
    }

    @Test("the balance check rejects a discriminator that overpowers its generator", .requires(Piece.ganTraining))
    func overpoweredDiscriminator() throws {
        var options = GANOptions()
        options.discriminatorLearningRate = 2e-3
        options.generatorLearningRate = 2e-6
        options.discriminatorSteps = 2
        var trainer = try GANTrainer(images: Self.subset(), options: options)
        var records: [GANRecord] = []
        for _ in 0..<200 { records.append(try trainer.step()) }
        let balance = GANBalance(Array(records.suffix(100)))
        #expect(!balance.isBalanced, "an overpowered discriminator was judged balanced")
        #expect(balance.meanDFake < 0.1 && balance.discriminatorReal < 0.35)
    }

    @Test("GAN training is bit-for-bit reproducible for a seed", .requires(Piece.ganTraining))
    func deterministic() throws {
        let images = try MNIST.load(split: .train, limit: 512).images
        func run() throws -> ([GANRecord], Matrix<Float>) {
            var trainer = try GANTrainer(images: images)
            var records: [GANRecord] = []
            for _ in 0..<5 { records.append(try trainer.step()) }
            var noise = SeededGenerator(seed: 1)
            return (records, trainer.generate(.normal(rows: 4, columns: 100, using: &noise)))
        }
        let (a, b) = (try run(), try run())
        #expect(a.0 == b.0)
        #expect(a.1 == b.1)
    }
}
