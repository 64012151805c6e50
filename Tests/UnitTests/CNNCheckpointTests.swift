import Learn
import LearnTesting
import Testing

/// Saving the CNN's training between epochs and continuing it: the continued run must be
/// the run that was saved, bit for bit, and a checkpoint that does not fit changes nothing.
@Suite("CNN checkpoints: the network, Adam, the shuffles and the curves")
struct CNNCheckpointTests {
    /// A VGG of two narrow blocks on 40 random 8×8 two-channel images: 3 steps an epoch
    /// (the last batch smaller), decayed, so a resumed epoch uses the decayed step size.
    static func trainer(changing change: (inout CNNOptions) -> Void = { _ in }) throws -> CNNTrainer {
        var options = CNNOptions()
        (options.widths, options.pooledAfter, options.batchSize) = ([4, 6], [1], 16)
        (options.learningRate, options.learningRateDecay, options.epochs, options.seed) = (3e-3, 0.5, 4, 5)
        options.trainEvaluationSize = nil
        change(&options)
        var random = SeededGenerator(seed: 11)
        let bytes = (0..<40 * 128).map { _ in UInt8.random(in: 0...255, using: &random) }
        let data = ImageClassificationData(
            images: ImageBytes(bytes: bytes, rows: 40, columns: 128), labels: (0..<40).map { $0 % 3 },
            classNames: ["a", "b", "c"], channels: 2)
        return try CNNTrainer(options: options, train: data, test: data)
    }

    @Test("a CNN restored after an epoch continues exactly as the saved run did", .requires(Piece.cnnTraining))
    func resumesBitForBit() throws {
        var original = try Self.trainer()
        _ = try original.trainEpoch()
        // Through the bytes of a file, as a user's checkpoint travels.
        let saved = try Checkpoint(decoding: original.checkpoint().encoded(), source: "memory")
        let expected = try original.run()

        var resumed = try Self.trainer()
        try resumed.restore(from: saved)
        #expect(resumed.epoch == 1 && resumed.steps == 3 && resumed.history.count == 1)
        #expect(resumed.learningRate == 1.5e-3)
        let continued = try resumed.run()
        #expect(continued == expected)
        #expect(resumed.history == original.history && resumed.history.count == 4)
        for p in original.model.state {
            #expect(resumed.model[keyPath: p.path] == original.model[keyPath: p.path], "\(p.name)")
        }
    }

    @Test(
        "a checkpoint of other options, another network, odd counters or curves, or a NaN is refused, changing nothing",
        .requires(Piece.cnnTraining))
    func refusesWhatDoesNotFit() throws {
        var original = try Self.trainer()
        _ = try original.trainEpoch()
        let saved = original.checkpoint()
        let fresh = try Self.trainer()

        func refused(_ checkpoint: Checkpoint, into trainer: CNNTrainer = fresh) -> CheckpointError? {
            var target = trainer
            do {
                try target.restore(from: checkpoint)
                return nil
            } catch {
                #expect(target.epoch == trainer.epoch && target.model.state.count == trainer.model.state.count)
                for p in trainer.model.state {
                    #expect(target.model[keyPath: p.path] == trainer.model[keyPath: p.path], "\(p.name) changed")
                }
                return error
            }
        }
        let otherRate = refused(saved, into: try Self.trainer { $0.learningRate = 1e-3 })
        guard case .optionsDiffer(let differences)? = otherRate?.problem else {
            Issue.record("another learning rate was not refused as such: \(String(describing: otherRate))")
            return
        }
        #expect(differences == ["learning rate: saved 0.003, this run 0.001"])
        #expect(refused(saved, into: try Self.trainer { $0.widths = [4, 8] }) != nil)

        var steps = try TrainingCheckpointTests.copy(saved) { $0 == "trainer/steps" }
        steps.store(count: 2, as: "trainer/steps")
        #expect(refused(steps)?.description.contains("a checkpoint is saved between epochs") == true)

        var curves = try TrainingCheckpointTests.copy(saved) { $0 == "trainer/curves" }
        curves.store(Matrix<Double>(rows: 2, columns: 5), as: "trainer/curves")
        #expect(refused(curves)?.description.contains("trainer/curves") == true)

        var poisoned = try TrainingCheckpointTests.copy(saved) { $0 == "network/1.norm.gamma" }
        poisoned.store(Matrix<Float>([[1, .nan, 1, 1, 1, 1]]), as: "network/1.norm.gamma")
        #expect(refused(poisoned) != nil)
        #expect(refused(try TrainingCheckpointTests.copy(saved) { $0.hasPrefix("adam/") }) != nil)
        #expect(refused(saved) == nil)
    }
}
