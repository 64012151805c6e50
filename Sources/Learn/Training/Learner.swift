/// A model, its RMSProp state and its clip norm.
struct Learner<Model: SequenceClassifier>: Sendable where Model.Scalar == Float {
    var model: Model
    var optimizer: RMSProp<Model>
    let clipNorm: Float

    init(model: Model, settings: (learningRate: Float, clipNorm: Float)) {
        self.model = model
        optimizer = RMSProp(learningRate: settings.learningRate)
        clipNorm = settings.clipNorm
    }

    /// RMSProp's step size η, which a learning-rate schedule changes between epochs.
    var learningRate: Float {
        get { optimizer.learningRate }
        set { optimizer.learningRate = newValue }
    }

    mutating func step(_ batch: SequenceBatch<Float>, stepNumber: Int) throws(NonFiniteError) -> Float {
        var (loss, gradients) = model.lossAndGradientsSplittingBatch(batch.inputs, labels: batch.targets)
        guard loss.isFinite else { throw NonFiniteError(step: stepNumber, what: "the loss") }
        let norm = clipGlobalNorm(&gradients, maxNorm: clipNorm)
        guard norm.isFinite else { throw NonFiniteError(step: stepNumber, what: "the gradient norm") }
        optimizer.step(&model, gradients: gradients)
        return loss
    }
}
