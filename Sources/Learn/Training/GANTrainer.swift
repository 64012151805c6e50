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
    public internal(set) var generator: Generator<Float>
    /// The discriminator D (its output is a logit; D = σ of it).
    public internal(set) var discriminator: Discriminator<Float>
    var generatorOptimizer: Adam<Generator<Float>>
    var discriminatorOptimizer: Adam<Discriminator<Float>>
    let images: any ImageRows
    var random: SeededGenerator
    var order: [Int] = []
    var position = 0
    /// Completed passes over the images.
    public internal(set) var epoch = 0
    /// Generator steps taken.
    public internal(set) var iteration = 0

    /// A trainer over `images` (N×784, pixels in [−1, 1] — a `Float` matrix, or a data
    /// set kept as bytes such as `MNIST.images`, scaled a batch at a time).
    public init(images: some ImageRows, options: GANOptions = GANOptions()) throws(OptionError) {
        try options.validate()
        _ = AllocatorTuning.applied  // keep freed matrices for reuse (see there)
        if images.columns != options.architecture.imageSize {
            throw OptionError(
                option: "images", value: "\(images.rows)×\(images.columns)",
                expected: "N×\(options.architecture.imageSize) (one image per row)")
        }
        // One iteration takes a fresh batch for each of D's k steps: fewer images than
        // that would make an epoch of no iterations.
        let perIteration = options.batchSize * options.discriminatorSteps
        if images.rows < perIteration {
            throw OptionError(
                option: "images", value: "\(images.rows) images",
                expected:
                    "at least one iteration's worth: k × batch = \(options.discriminatorSteps) × \(options.batchSize) "
                    + "= \(perIteration)")
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
        let batch = images.selectingRows(Array(order[position..<(position + n)]))
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
        var (fake, generatorCache) = try discriminatorStep(&record)
        for _ in 1..<options.discriminatorSteps {
            (fake, generatorCache) = try discriminatorStep(&record)
        }

        // G's step, through the freshly updated D, from the last fake batch: only G's
        // gradients are kept.
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
        _ = generator.backward(into: &gGradients, dImages, cache: generatorCache)  // ∂L/∂z: unused
        guard gGradients.isFinite else { throw NonFiniteError(step: iteration, what: "the generator's gradients") }
        generatorOptimizer.step(&generator, gradients: gGradients)
        record.generator = Double(loss)
        return record
    }

    /// One step of D on a real batch and a fake one, G(z) held constant; its losses go
    /// into `record`. Returns the fake batch and G's cache, for G's step.
    mutating func discriminatorStep(
        _ record: inout GANRecord
    ) throws(NonFiniteError) -> (fake: Matrix<Float>, cache: Generator<Float>.Cache) {
        let real = nextRealBatch()
        let z = noise(count: options.batchSize)
        let (fake, generatorCache) = generator.forward(z, mode: .training)

        // D has no batch normalisation (see GANArchitecture), so it treats every row on
        // its own: one pass over both batches stacked is the two passes in one, with
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
        record.meanDReal = Double(realLogits.elements.reduce(0) { $0 + Float.sigmoid($1) }) / Double(realLogits.count)
        record.meanDFake = Double(fakeLogits.elements.reduce(0) { $0 + Float.sigmoid($1) }) / Double(fakeLogits.count)
        return (fake, generatorCache)
    }

    /// Images from noise, with G in evaluation mode (batch normalisation uses its
    /// running statistics, so a sample does not depend on the others in its batch).
    public func generate(_ z: Matrix<Float>) -> Matrix<Float> {
        Self.generate(z, with: generator)
    }

    /// Images from noise through any generator (one read from a checkpoint, say), in
    /// evaluation mode. A concrete entry point, so the network runs specialised for
    /// `Float` even when called from another module.
    public static func generate(_ z: Matrix<Float>, with generator: Generator<Float>) -> Matrix<Float> {
        var g = generator
        return g.forward(z, mode: .evaluation).y
    }
}
