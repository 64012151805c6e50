/// Which loss the generator minimises.
public enum GeneratorLoss: String, Sendable, CaseIterable {
    /// −log D(G(z)): strong gradients early (see ``NonSaturatingLoss``). The default.
    case nonSaturating = "non-saturating"
    /// log(1 − D(G(z))), the original minimax term: saturates early (see ``MinimaxLoss``).
    case minimax
}

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
        try require(a.generatorWidths.allSatisfy { $0 >= 1 }, "generator widths", a.generatorWidths, "positive")
        try require(
            a.discriminatorWidths.allSatisfy { $0 >= 1 }, "discriminator widths", a.discriminatorWidths, "positive")
        try require(a.dropout >= 0 && a.dropout < 1, "dropout", a.dropout, "in [0, 1)")
        try require(a.slope >= 0 && a.slope < 1, "LeakyReLU slope", a.slope, "in [0, 1)")
    }
}

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
}

/// Trains a GAN on images in `Float`.
///
/// One iteration, as in the original algorithm with k discriminator steps:
/// 1. k times: sample z, run G once, and update D on a real batch and on G(z), the
///    latter treated as a constant (no gradient reaches G);
/// 2. update G through the *freshly updated* D, reusing the last G(z) and its cache.
///
/// Concrete, not generic, so the networks are specialised for `Float` inside the library.
public struct GANTrainer: Sendable {
    /// The options the run was started with, already validated.
    public let options: GANOptions
    /// The generator G.
    public internal(set) var generator: Sequential<Float>
    /// The discriminator D (its output is a logit; D = σ of it).
    public internal(set) var discriminator: Sequential<Float>
    var generatorOptimizer: Adam<Sequential<Float>>
    var discriminatorOptimizer: Adam<Sequential<Float>>
    let images: Matrix<Float>
    var random: SeededGenerator
    var order: [Int] = []
    var position = 0
    /// Completed passes over the images.
    public internal(set) var epoch = 0
    /// Generator steps taken.
    public internal(set) var iteration = 0

    /// A trainer over `images` (N×784, pixels in [−1, 1]).
    public init(images: Matrix<Float>, options: GANOptions = GANOptions()) throws(OptionError) {
        try options.validate()
        _ = AllocatorTuning.applied  // keep freed matrices for reuse (see there)
        if images.columns != options.architecture.imageSize {
            throw OptionError(
                option: "images", value: images.shapeDescription,
                expected: "N×\(options.architecture.imageSize) (one image per row)")
        }
        if images.rows < options.batchSize {
            throw OptionError(
                option: "images", value: "\(images.rows) rows", expected: "at least one batch (\(options.batchSize))")
        }
        self.options = options
        self.images = images
        var weights = SeededGenerator(seed: options.seed)
        generator = options.architecture.generator(using: &weights)
        discriminator = options.architecture.discriminator(using: &weights)
        generatorOptimizer = Adam(learningRate: options.generatorLearningRate, beta1: options.beta1)
        discriminatorOptimizer = Adam(learningRate: options.discriminatorLearningRate, beta1: options.beta1)
        random = SeededGenerator(seed: options.seed &+ 1)
    }

    /// The iterations in one pass over the images.
    public var iterationsPerEpoch: Int { images.rows / (options.batchSize * options.discriminatorSteps) }

    /// The next batch of real images, reshuffling at the end of each pass.
    mutating func nextRealBatch() -> Matrix<Float> {
        let n = options.batchSize
        if order.isEmpty || position + n > order.count {
            if !order.isEmpty { epoch += 1 }
            order = Array(0..<images.rows)
            random.shuffle(&order)
            position = 0
        }
        var batch = Matrix<Float>(rows: n, columns: images.columns)
        let width = images.columns
        for (row, index) in order[position..<(position + n)].enumerated() {
            batch.elements.replaceSubrange(
                (row * width)..<((row + 1) * width), with: images.elements[(index * width)..<((index + 1) * width)])
        }
        position += n
        return batch
    }

    /// Noise z ~ N(0, I), one row per sample.
    public mutating func noise(count: Int) -> Matrix<Float> {
        .normal(rows: count, columns: options.architecture.noiseSize, using: &random)
    }

    /// One iteration (k discriminator steps, one generator step). Throws before the
    /// optimiser step that would apply it if a loss or gradient is NaN or infinite, so
    /// no non-finite number ever reaches the weights.
    public mutating func step() throws(NonFiniteError) -> GANRecord {
        iteration += 1
        var record = GANRecord(
            iteration: iteration, discriminatorReal: 0, discriminatorFake: 0, generator: 0, meanDReal: 0, meanDFake: 0)
        var fake = Matrix<Float>(rows: 0, columns: 0)
        var generatorCache: Sequential<Float>.Cache?
        for _ in 0..<options.discriminatorSteps {
            let real = nextRealBatch()
            let z = noise(count: options.batchSize)
            (fake, generatorCache) = generator.forward(z, mode: .training)

            // D's step: the real batch and the fake one, G(z) held constant. D has no
            // batch normalisation (see GANArchitecture), so it treats every row on its
            // own: one pass over both batches stacked is the two passes in one, with
            // each weight read once instead of twice and matrix products twice as tall.
            let (logits, cache) = discriminator.forward(Matrix(stacking: real, fake), mode: .training)
            let (realLogits, fakeLogits) = (
                logits.slicingRows(0..<real.rows), logits.slicingRows(real.rows..<logits.rows)
            )
            let terms = MinimaxLoss.discriminator(realLogits: realLogits, fakeLogits: fakeLogits)
            guard terms.total.isFinite else { throw NonFiniteError(step: iteration, what: "the discriminator's loss") }
            let (dReal, dFake) = MinimaxLoss.discriminatorBackward(realLogits: realLogits, fakeLogits: fakeLogits)
            var gradients = discriminator.zeroed()
            discriminator.parameterGradients(into: &gradients, Matrix(stacking: dReal, dFake), cache: cache)
            guard gradients.isFinite else {
                throw NonFiniteError(step: iteration, what: "the discriminator's gradients")
            }
            discriminatorOptimizer.step(&discriminator, gradients: gradients)
            record.discriminatorReal = Double(terms.real)
            record.discriminatorFake = Double(terms.fake)
            record.meanDReal =
                Double(realLogits.elements.reduce(0) { $0 + Float.sigmoid($1) }) / Double(realLogits.count)
            record.meanDFake =
                Double(fakeLogits.elements.reduce(0) { $0 + Float.sigmoid($1) }) / Double(fakeLogits.count)
        }

        // G's step, through the freshly updated D: only G's gradients are kept.
        let (logits, dCache) = discriminator.forward(fake, mode: .training)
        let loss: Float
        let dLogits: Matrix<Float>
        switch options.generatorLoss {
        case .nonSaturating:
            loss = NonSaturatingLoss.generator(fakeLogits: logits)
            dLogits = NonSaturatingLoss.generatorBackward(fakeLogits: logits)
        case .minimax:
            loss = MinimaxLoss.generator(fakeLogits: logits)
            dLogits = MinimaxLoss.generatorBackward(fakeLogits: logits)
        }
        guard loss.isFinite else { throw NonFiniteError(step: iteration, what: "the generator's loss") }
        let dImages = discriminator.inputGradient(dLogits, cache: dCache)
        var gGradients = generator.zeroed()
        generator.parameterGradients(into: &gGradients, dImages, cache: generatorCache!)
        guard gGradients.isFinite else { throw NonFiniteError(step: iteration, what: "the generator's gradients") }
        generatorOptimizer.step(&generator, gradients: gGradients)
        record.generator = Double(loss)
        return record
    }

    /// Images from noise, with G in evaluation mode (batch normalisation uses its
    /// running statistics, so a sample does not depend on the others in its batch).
    public func generate(_ z: Matrix<Float>) -> Matrix<Float> {
        Self.generate(z, with: generator)
    }

    /// Images from noise through any generator (one read from a checkpoint, say), in
    /// evaluation mode. A concrete entry point, so the network runs specialised for
    /// `Float` even when called from another module.
    public static func generate(_ z: Matrix<Float>, with generator: Sequential<Float>) -> Matrix<Float> {
        var g = generator
        return g.forward(z, mode: .evaluation).y
    }
}
