/// Saving a GAN's training so it can continue later exactly where it stopped.
///
/// A checkpoint from ``GANTrainer/checkpoint()`` holds, as ordinary tensors:
///
///     generator/…, discriminator/…        the networks (G with its running statistics)
///     adam.generator/…, adam.discriminator/…   both optimisers: step count, β powers, m, v
///     trainer/iteration, trainer/epoch     the counters
///     trainer/order, trainer/position      this pass's shuffled order and place in it
///     trainer/random                       the noise and shuffling generator
///     trainer/dropout/<layer>              each dropout layer's mask generator in D
///     trainer/options                      the options that decide what a step does
///
/// so a run restored with ``GANTrainer/restore(from:)`` draws the same batches, noise
/// and masks as the run that was saved, and continues bit for bit. The networks keep
/// the prefixes part2-task3 reads a generator from.
extension GANTrainer {
    /// Everything needed to continue this training later (see the extension's
    /// documentation for what is stored).
    public func checkpoint() -> Checkpoint {
        var checkpoint = Checkpoint()
        checkpoint.store(generator, as: "generator")
        checkpoint.store(discriminator, as: "discriminator")
        checkpoint.store(generatorOptimizer, as: "adam.generator")
        checkpoint.store(discriminatorOptimizer, as: "adam.discriminator")
        checkpoint.store(count: iteration, as: "trainer/iteration")
        checkpoint.store(count: epoch, as: "trainer/epoch")
        checkpoint.store(count: position, as: "trainer/position")
        checkpoint.store(Matrix(rows: 1, columns: order.count, elements: order.map(Double.init)), as: "trainer/order")
        checkpoint.store(random, as: "trainer/random")
        checkpoint.store(options: Self.recordedOptions(options), as: "trainer/options")
        for (k, block) in discriminator.hidden.enumerated() {
            if let dropout = block.dropout {
                checkpoint.store(
                    dropout.generator, as: "trainer/dropout/\(discriminator.dropoutLayerNumber(ofBlock: k))")
            }
        }
        return checkpoint
    }

    /// Continues from `checkpoint`, saved by ``checkpoint()`` from a trainer with the
    /// same options and the same images.
    ///
    /// Nothing changes unless everything fits: the networks' shapes and finite values,
    /// both optimisers' moments and β powers, counters within reach, usable generator
    /// states, and a batch order that is a permutation of this trainer's images.
    ///
    /// - Throws: `CheckpointError` naming the file and the first tensor at fault.
    public mutating func restore(from checkpoint: Checkpoint) throws(CheckpointError) {
        // Resumed under another learning rate, k or loss, the run would silently become
        // a different one.
        try checkpoint.requireOptions(Self.recordedOptions(options), as: "trainer/options")
        var next = self
        try checkpoint.restoreFinite(&next.generator, from: "generator")
        try checkpoint.restoreFinite(&next.discriminator, from: "discriminator")
        try checkpoint.restore(&next.generatorOptimizer, from: "adam.generator", shapedLike: next.generator)
        try checkpoint.restore(&next.discriminatorOptimizer, from: "adam.discriminator", shapedLike: next.discriminator)
        next.iteration = try checkpoint.count("trainer/iteration")
        next.epoch = try checkpoint.count("trainer/epoch")
        next.position = try checkpoint.count("trainer/position")
        let order = try checkpoint.matrix("trainer/order", as: Double.self).elements
        // Before the first batch the order is empty; after it, a permutation of the images.
        guard order.isEmpty || order.sorted() == (0..<images.rows).map(Double.init),
            next.position <= order.count
        else {
            throw CheckpointError(
                file: checkpoint.source,
                problem: .malformed(
                    "trainer/order is not a shuffle of this trainer's \(images.rows) images"
                        + " (saved with other images?)"))
        }
        next.order = order.map { Int($0) }
        next.random = try checkpoint.generator("trainer/random")
        for k in next.discriminator.hidden.indices where next.discriminator.hidden[k].dropout != nil {
            let name = "trainer/dropout/\(next.discriminator.dropoutLayerNumber(ofBlock: k))"
            next.discriminator.hidden[k].dropout?.generator = try checkpoint.generator(name)
        }
        self = next
    }

    /// The options whose change would make a resumed run a different run, each with
    /// its value as a `Double` (exact for all of them; the seed in two 32-bit halves).
    /// The architecture is checked by the networks' shapes.
    static func recordedOptions(_ o: GANOptions) -> [(name: String, value: Double)] {
        [
            ("generator learning rate", Double(o.generatorLearningRate)),
            ("discriminator learning rate", Double(o.discriminatorLearningRate)),
            ("β₁", Double(o.beta1)),
            ("batch size", Double(o.batchSize)),
            ("discriminator steps per generator step (k)", Double(o.discriminatorSteps)),
            ("generator loss (0 non-saturating, 1 minimax)", o.generatorLoss == .minimax ? 1 : 0),
            ("seed, high 32 bits", Double(o.seed >> 32)),
            ("seed, low 32 bits", Double(o.seed & 0xFFFF_FFFF)),
            ("dropout", Double(o.architecture.dropout)),
            ("LeakyReLU slope", Double(o.architecture.slope)),
        ]
    }
}
