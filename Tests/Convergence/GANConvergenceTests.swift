import Learn
import Testing

/// A seeded GAN run on a subset of MNIST: the game must stay balanced and the samples
/// must look like varied digits to the library's own classifier. The same balance
/// check is shown to reject a run whose discriminator overpowers its generator, so a
/// pass means something.
@Suite("Convergence of the GAN", .tags(.training), .serialized)
struct GANConvergenceTests {
    /// The first 10,000 training images: enough for a balanced game in 1,200 steps.
    static func subset() throws -> Matrix<Float> {
        try MNIST.load(split: .train, limit: 10_000).images
    }

    @Test("a seeded run keeps the game balanced and its samples cover ≥ 8 digits (judged by a ≥ 97% classifier)")
    func balancedGame() throws {
        var trainer = try GANTrainer(images: Self.subset(), options: GANOptions())
        var records: [GANRecord] = []
        for _ in 0..<1_200 { records.append(try trainer.step()) }
        let balance = GANBalance(Array(records.suffix(400)))
        #expect(balance.isBalanced, "\(balance.problems)")

        // The judge: the library's own classifier, itself held to ≥ 97% on the test set.
        let train = try MNIST.load(split: .train)
        let test = try MNIST.load(split: .test)
        let classifier = DigitClassifier(images: train.images, labels: train.labels)
        let accuracy = classifier.accuracy(test.images, labels: test.labels)
        #expect(accuracy >= 0.97, "the digit classifier's test accuracy is \(accuracy)")

        var noise = SeededGenerator(seed: 7)
        let samples = trainer.generate(.normal(rows: 1_000, columns: 100, using: &noise))
        let assessment = classifier.assess(samples)
        #expect(assessment.classesPresent >= 8, "classes found: \(assessment.histogram)")
        // An untrained generator's output scores about 0.2 and uniform noise about 0.5;
        // confident answers mean the samples look like digits.
        #expect(assessment.meanConfidence >= 0.65, "mean classifier confidence \(assessment.meanConfidence)")
    }

    @Test("the balance check rejects a discriminator that overpowers its generator")
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

    @Test("GAN training is bit-for-bit reproducible for a seed")
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
