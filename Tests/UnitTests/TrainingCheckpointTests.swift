import Learn
import LearnTesting
import Testing

/// Saving a training run and continuing it: the continued run must be the run that
/// was saved, bit for bit.
@Suite("Training checkpoints: optimiser state, generators and counters")
struct TrainingCheckpointTests {
    /// A GAN small enough to train in milliseconds: 12-pixel images, 160 of them, so
    /// a pass is 5 batches of 32 and a run of 13 iterations crosses two reshuffles.
    static func trainer(
        _ architecture: GANArchitecture, changing change: (inout GANOptions) -> Void = { _ in }
    ) throws -> GANTrainer {
        var a = architecture
        (a.noiseSize, a.generatorWidths, a.imageSize) = (4, [8, 16], 12)
        a.discriminatorWidths = architecture.dropout > 0 ? [10, 6] : [12, 8]
        var options = GANOptions()
        (options.architecture, options.batchSize, options.seed) = (a, 32, 9)
        change(&options)
        var random = SeededGenerator(seed: 10)
        return try GANTrainer(
            images: Matrix<Float>.uniform(rows: 160, columns: 12, bound: 1, using: &random), options: options)
    }

    @Test(
        "a GAN restored from a checkpoint continues exactly as the saved run did",
        .requires(Piece.ganTraining), arguments: ["template", "balanced"])
    func ganResumesBitForBit(_ variant: String) throws {
        let architecture = variant == "balanced" ? GANArchitecture.balanced : .template
        var original = try Self.trainer(architecture)
        for _ in 0..<7 { _ = try original.step() }
        // Through the bytes of a file, as a user's checkpoint travels.
        let saved = try Checkpoint(decoding: original.checkpoint().encoded(), source: "memory")
        var expected: [GANRecord] = []
        for _ in 0..<6 { expected.append(try original.step()) }

        var resumed = try Self.trainer(architecture)
        try resumed.restore(from: saved)
        #expect(resumed.iteration == 7)
        var continued: [GANRecord] = []
        for _ in 0..<6 { continued.append(try resumed.step()) }
        #expect(continued == expected)
        #expect(resumed.epoch == original.epoch && resumed.iteration == original.iteration)
        for p in original.generator.state {
            #expect(resumed.generator[keyPath: p.path] == original.generator[keyPath: p.path], "generator \(p.name)")
        }
        for p in original.discriminator.parameters {
            #expect(resumed.discriminator[keyPath: p.path] == original.discriminator[keyPath: p.path], "D \(p.name)")
        }
    }

    /// A copy of `checkpoint` without the tensors whose names `drop` picks.
    static func copy(_ checkpoint: Checkpoint, dropping drop: (String) -> Bool) throws -> Checkpoint {
        var copy = Checkpoint()
        for tensor in checkpoint.tensors where !drop(tensor.name) {
            if tensor.scalarType == .float32 {
                copy.store(try checkpoint.matrix(tensor.name, as: Float.self), as: tensor.name)
            } else {
                copy.store(try checkpoint.matrix(tensor.name, as: Double.self), as: tensor.name)
            }
        }
        return copy
    }

    /// With fresh optimisers the same weights take a different step: Adam's moments
    /// and bias correction are part of where training is, and the checkpoint keeps them.
    @Test("the optimiser state matters: fresh optimisers would take another step", .requires(Piece.ganTraining))
    func optimiserStateMatters() throws {
        var original = try Self.trainer(.template)
        for _ in 0..<7 { _ = try original.step() }
        let saved = original.checkpoint()
        let next = try original.step()

        var full = try Self.trainer(.template)
        try full.restore(from: saved)
        #expect(try full.step() == next)

        var fresh = try Self.copy(saved) { $0.hasPrefix("adam.") }
        fresh.store(Adam<Generator<Float>>(learningRate: 2e-4), as: "adam.generator")
        fresh.store(Adam<Discriminator<Float>>(learningRate: 2e-4), as: "adam.discriminator")
        var withoutMoments = try Self.trainer(.template)
        try withoutMoments.restore(from: fresh)
        #expect(try withoutMoments.step() != next)
    }

    @Test("a checkpoint of another architecture is refused and changes nothing", .requires(Piece.ganTraining))
    func otherArchitectureRefused() throws {
        var template = try Self.trainer(.template)
        _ = try template.step()
        var balanced = try Self.trainer(.balanced)
        let before = balanced.checkpoint().encoded()
        #expect(throws: CheckpointError.self) { try balanced.restore(from: template.checkpoint()) }
        #expect(balanced.checkpoint().encoded() == before)
    }

    @Test(
        "a checkpoint saved with other options (η, k, the generator loss, the seed) is refused, naming each difference",
        .requires(Piece.ganTraining))
    func otherOptionsRefused() throws {
        var saved = try Self.trainer(.template)
        _ = try saved.step()
        let checkpoint = saved.checkpoint()
        var same = try Self.trainer(.template)
        try same.restore(from: checkpoint)
        #expect(same.iteration == 1)
        for (change, named) in [
            (
                { (o: inout GANOptions) in o.generatorLearningRate = 1e-3 },
                "generator learning rate: saved 0.0002, this run 0.001"
            ),
            ({ (o: inout GANOptions) in o.discriminatorSteps = 2 }, "(k): saved 1, this run 2"),
            (
                { (o: inout GANOptions) in o.generatorLoss = .minimax },
                "generator loss (0 non-saturating, 1 minimax): saved 0, this run 1"
            ),
            ({ (o: inout GANOptions) in o.seed = 8 }, "seed, low 32 bits: saved 9, this run 8"),
        ] {
            var other = try Self.trainer(.template, changing: change)
            let before = other.checkpoint().encoded()
            #expect {
                try other.restore(from: checkpoint)
            } throws: { error in
                "\(error)".contains("saved with other options") && "\(error)".contains(named)
            }
            #expect(other.checkpoint().encoded() == before, "a refused restore changed the trainer")
        }
        // A checkpoint from before options were recorded still resumes.
        let old = try Self.copy(checkpoint) { $0 == "trainer/options" }
        var fresh = try Self.trainer(.template)
        try fresh.restore(from: old)
        #expect(fresh.iteration == 1)
    }

    @Test("a batch order that is not a shuffle of the images is refused", .requires(Piece.ganTraining))
    func foreignOrderRefused() throws {
        var trainer = try Self.trainer(.template)
        _ = try trainer.step()
        var checkpoint = try Self.copy(trainer.checkpoint()) { $0 == "trainer/order" }
        // Image 0 twice and image 159 never: saved from some other set of images.
        let order = [0.0] + (0..<159).map(Double.init)
        checkpoint.store(Matrix(rows: 1, columns: order.count, elements: order), as: "trainer/order")
        let before = trainer.checkpoint().encoded()
        do {
            try trainer.restore(from: checkpoint)
            Issue.record("a foreign batch order was accepted")
        } catch {
            #expect("\(error)".contains("trainer/order"))
        }
        #expect(trainer.checkpoint().encoded() == before)
    }

    /// Tensors of a checkpoint set to values training cannot continue from.
    static let unusableStates: [(tensor: String, values: [Double])] = [
        // A xoshiro generator whose four words are all 0 draws 0 forever: the next
        // shuffle would never end.
        ("trainer/random", [Double](repeating: 0, count: 10)),
        ("trainer/dropout/2", [Double](repeating: 0, count: 10)),
        // A count so large that the next increment could no longer be saved.
        ("trainer/iteration", [0x1p53 - 1]),
        ("adam.generator/steps", [0x1p53 - 1]),
        // β powers outside [0, 1] make every later step garbage.
        ("adam.discriminator/powers", [2, 0.5]),
        ("adam.generator/powers", [-0.5, 0.5]),
        ("adam.generator/powers", [.nan, 0.5]),
        // After a step the powers are below 1; 1 means no step was taken.
        ("adam.generator/powers", [1, 1]),
    ]

    /// A checkpoint that decodes, checksum and all, but holds a state training cannot
    /// continue from: each is refused on restore, naming the tensor, and the trainer is
    /// left as it was — instead of hanging, crashing at the next save, or saving garbage.
    @Test(
        "a checkpoint whose state training cannot continue from is refused, naming the tensor",
        .requires(Piece.ganTraining), arguments: unusableStates)
    func unusableStateRefused(_ tensor: String, _ values: [Double]) throws {
        var trainer = try Self.trainer(.balanced)
        for _ in 0..<3 { _ = try trainer.step() }
        let saved = trainer.checkpoint()
        var checkpoint = try Self.copy(saved) { $0 == tensor }
        // Stored in the tensor's own precision: counts and generators in Double, β powers in Float.
        if saved.tensors.first(where: { $0.name == tensor })?.scalarType == .float32 {
            checkpoint.store(Matrix(rows: 1, columns: values.count, elements: values.map(Float.init)), as: tensor)
        } else {
            checkpoint.store(Matrix(rows: 1, columns: values.count, elements: values), as: tensor)
        }
        let before = trainer.checkpoint().encoded()
        do {
            try trainer.restore(from: checkpoint)
            Issue.record("\(tensor) = \(values) was accepted")
        } catch {
            #expect("\(error)".contains(tensor), "\(error)")
        }
        #expect(trainer.checkpoint().encoded() == before)
    }

    @Test(
        "a checkpoint holding a non-finite weight or moment is refused, naming the tensor",
        .requires(Piece.ganTraining), arguments: ["generator/0.w", "discriminator/3.b", "adam.generator/v/0.w"])
    func nonFiniteStateRefused(_ tensor: String) throws {
        var trainer = try Self.trainer(.balanced)
        for _ in 0..<3 { _ = try trainer.step() }
        var checkpoint = try Self.copy(trainer.checkpoint()) { $0 == tensor }
        var poisoned = try trainer.checkpoint().matrix(tensor, as: Float.self)
        poisoned.elements[poisoned.count / 2] = .infinity
        checkpoint.store(poisoned, as: tensor)
        do {
            try trainer.restore(from: checkpoint)
            Issue.record("a non-finite \(tensor) was accepted")
        } catch {
            #expect("\(error)".contains(tensor), "\(error)")
        }
    }

    @Test("a generator's saved state draws the same numbers, a waiting normal deviate included")
    func generatorRoundTrip() throws {
        var random = SeededGenerator(seed: 3)
        _ = random.normal()  // leaves the second deviate of the pair waiting
        var checkpoint = Checkpoint()
        checkpoint.store(random, as: "random")
        var copy = try Checkpoint(decoding: checkpoint.encoded(), source: "memory").generator("random")
        for _ in 0..<5 {
            #expect(copy.normal() == random.normal())
            #expect(copy.next() == random.next())
        }
    }

    @Test("Adam's state before and after its first step survives a round trip", .requires(.linear, .adam))
    func adamRoundTrip() throws {
        var random = SeededGenerator(seed: 4)
        var model = Linear<Float>(inputs: 3, outputs: 2, using: &random)
        var adam = Adam<Linear<Float>>(learningRate: 0.1)
        for steps in 0..<3 {
            var checkpoint = Checkpoint()
            checkpoint.store(adam, as: "adam")
            var copy = Adam<Linear<Float>>(learningRate: 0.1)
            try checkpoint.restore(&copy, from: "adam", shapedLike: model)
            #expect(copy.steps == steps)
            #expect(copy.m?.w == adam.m?.w && copy.v?.b == adam.v?.b)
            #expect(copy.beta1Power == adam.beta1Power && copy.beta2Power == adam.beta2Power)
            var (a, b) = (model, model)
            let gradients = Linear<Float>(
                w: .uniform(rows: 2, columns: 3, bound: 1, using: &random),
                b: Matrix(rows: 1, columns: 2, repeating: 0.5))
            adam.step(&a, gradients: gradients)
            copy.step(&b, gradients: gradients)
            #expect(a.w == b.w && a.b == b.b, "after \(steps) steps")
            model = a
        }
    }
}
