/// A trained classifier as a checkpoint, so that one trained in one process can judge
/// in another.
extension DigitClassifier {
    /// The network's parameters, under the prefix `classifier`.
    public func checkpoint() -> Checkpoint {
        var checkpoint = Checkpoint()
        checkpoint.store(network, as: "classifier")
        return checkpoint
    }

    /// The classifier saved by ``checkpoint()``: 784 → `hiddenSize` → ReLU → 10, its
    /// parameters from `checkpoint`, untouched by any training.
    ///
    /// - Throws: `CheckpointError` naming the first tensor that is missing, shaped
    ///   otherwise or not finite.
    public init(restoring checkpoint: Checkpoint, hiddenSize: Int = 256) throws(CheckpointError) {
        var random = SeededGenerator(seed: 0)
        var network = ClassifierNetwork<Float>(inputs: 784, hiddenSize: hiddenSize, classes: 10, using: &random)
        try checkpoint.restoreFinite(&network, from: "classifier")
        self.network = network
    }
}
