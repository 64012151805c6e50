/// The trained model of a palindrome run, as a checkpoint: so that a model trained in
/// one process can be measured in another.
extension PalindromeTrainer {
    /// The model's parameters (not the optimiser's state), named as the model names them.
    public func modelCheckpoint() -> Checkpoint {
        var checkpoint = Checkpoint()
        switch learner {
        case .lstm(let l): checkpoint.store(l.model, as: "model")
        case .rnn(let l): checkpoint.store(l.model, as: "model")
        }
        return checkpoint
    }

    /// Replaces the model's parameters with those in `checkpoint`, saved by
    /// ``modelCheckpoint()`` from a trainer of the same options. Nothing changes unless
    /// every tensor is there, with this model's shape and finite values.
    ///
    /// - Throws: `CheckpointError` naming the first tensor at fault.
    public mutating func restoreModel(from checkpoint: Checkpoint) throws(CheckpointError) {
        switch learner {
        case .lstm(var l):
            try checkpoint.restoreFinite(&l.model, from: "model")
            learner = .lstm(l)
        case .rnn(var l):
            try checkpoint.restoreFinite(&l.model, from: "model")
            learner = .rnn(l)
        }
    }
}
