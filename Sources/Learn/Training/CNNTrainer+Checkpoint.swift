/// Saving a CNN's training at the end of an epoch, to continue it later exactly where it
/// stopped.
///
/// A checkpoint from ``CNNTrainer/checkpoint()`` holds, as ordinary tensors:
///
///     network/…            the VGG: every block's conv and batch norm (with its running
///                          statistics), and the output layer
///     adam/…               Adam's step count, β powers, m and v
///     trainer/epoch, trainer/steps     the counters
///     trainer/order        the generator that shuffles the next epoch's batches
///     trainer/curves       each finished epoch's epoch, losses and accuracies (E × 5)
///     trainer/options      the options and the number of training images
///
/// so a run restored with ``CNNTrainer/restore(from:)`` draws the same batches as the
/// run that was saved and continues bit for bit; its curves go on from the saved ones.
extension CNNTrainer {
    /// Everything needed to continue this training later (see the extension's
    /// documentation for what is stored).
    public func checkpoint() -> Checkpoint {
        var checkpoint = Checkpoint()
        checkpoint.store(model, as: "network")
        checkpoint.store(optimizer, as: "adam")
        checkpoint.store(count: epoch, as: "trainer/epoch")
        checkpoint.store(count: steps, as: "trainer/steps")
        checkpoint.store(order, as: "trainer/order")
        let curves = history.flatMap {
            [Double($0.epoch), $0.trainLoss, $0.trainAccuracy, $0.testLoss, $0.testAccuracy]
        }
        checkpoint.store(Matrix(rows: history.count, columns: 5, elements: curves), as: "trainer/curves")
        checkpoint.store(options: recordedOptions, as: "trainer/options")
        return checkpoint
    }

    /// Continues from `checkpoint`, saved by ``checkpoint()`` from a trainer with the
    /// same options and the same training images (the number of epochs may differ: a
    /// run is continued for more).
    ///
    /// Nothing changes unless everything fits: the network's shapes and finite values,
    /// Adam's moments and β powers, counters that agree with each other (a step count of
    /// whole epochs), a usable generator state, and one row of curves per epoch.
    ///
    /// - Throws: `CheckpointError` naming the file and the first tensor at fault.
    public mutating func restore(from checkpoint: Checkpoint) throws(CheckpointError) {
        try checkpoint.requireOptions(recordedOptions, as: "trainer/options")
        var next = self
        try checkpoint.restoreFinite(&next.model, from: "network")
        try checkpoint.restore(&next.optimizer, from: "adam", shapedLike: next.model)
        next.epoch = try checkpoint.count("trainer/epoch")
        next.steps = try checkpoint.count("trainer/steps")
        func malformed(_ problem: String) -> CheckpointError {
            CheckpointError(file: checkpoint.source, problem: .malformed(problem))
        }
        guard next.steps == next.epoch * stepsPerEpoch, next.optimizer.steps == next.steps else {
            throw malformed(
                "trainer/steps (\(next.steps)) and adam/steps (\(next.optimizer.steps)) should both be "
                    + "\(next.epoch) epochs × \(stepsPerEpoch) steps: a checkpoint is saved between epochs")
        }
        next.order = try checkpoint.generator("trainer/order")
        let curves = try checkpoint.matrix("trainer/curves", as: Double.self)
        guard curves.rows == next.epoch, curves.columns == 5 || curves.rows == 0, curves.elements.allSatisfy(\.isFinite)
        else {
            throw malformed(
                "trainer/curves is \(curves.shapeDescription), expected one row of 5 finite numbers for each of the "
                    + "\(next.epoch) epochs")
        }
        next.history = (0..<curves.rows).map { r in
            let row = curves.row(r)
            return MLPEpoch(
                epoch: Int(row[0]), trainLoss: row[1], trainAccuracy: row[2], testLoss: row[3], testAccuracy: row[4])
        }
        self = next
    }

    /// The options whose change would make a resumed run a different run, and the
    /// number of training images (the shuffles depend on it), each as a `Double`. The
    /// widths are checked by the network's shapes.
    var recordedOptions: [(name: String, value: Double)] {
        [
            ("learning rate", Double(options.learningRate)),
            ("learning-rate decay", Double(options.learningRateDecay)),
            ("batch size", Double(options.batchSize)),
            ("pools after blocks (bits)", Double(options.pooledAfter.reduce(0) { $0 | (1 << $1) })),
            ("seed, high 32 bits", Double(options.seed >> 32)),
            ("seed, low 32 bits", Double(options.seed & 0xFFFF_FFFF)),
            ("training images", Double(train.count)),
        ]
    }
}
