/// Trains an ``MLP`` on moons or circles in `Float`: mini-batches of the training points
/// in a seeded random order, one forward and backward pass each through the network and
/// ``SoftmaxCrossEntropy``, and an ``SGD`` step.
///
/// Concrete, not generic, for the reason ``PalindromeTrainer`` is: the library
/// specialises the generic pieces for `Float` here. The step, the epoch and the
/// evaluation are the ones ``MLPImageTrainer`` runs on images.
public struct MLPTrainer: Sendable {
    /// The options the run was made with.
    public let options: MLPOptions
    /// The training and test points.
    public let train: LabelledPoints, test: LabelledPoints
    /// The network.
    public var model: MLP<Float> { learner.model }
    /// The epochs trained so far.
    public private(set) var epoch = 0
    /// The optimiser steps taken so far.
    public var steps: Int { learner.steps }
    var learner: MLPLearner

    /// Draws the points, splits them and initialises the network. Throws when an option is
    /// out of range.
    public init(options: MLPOptions) throws(OptionError) {
        try options.validate()
        self.options = options
        var data = SeededGenerator(seed: options.seed)
        let points = options.dataset.points(
            count: options.samples, noise: options.noise ?? options.dataset.defaultNoise, using: &data)
        (train, test) = points.split(trainFraction: options.trainFraction, using: &data)
        learner = MLPLearner(
            widths: options.widths, learningRate: options.learningRate, momentum: options.momentum,
            seed: options.seed)
    }

    /// One SGD step on the points at `rows` of the training set. Returns the loss before
    /// the step; throws if the loss or the gradients are not finite, leaving the network
    /// as it was.
    public mutating func step(rows: [Int]) throws(NonFiniteError) -> Float {
        let batch = train.selecting(rows)
        return try learner.step(batch.inputs, labels: batch.labels)
    }

    /// One pass over the training points in a fresh random order, in batches of
    /// `MLPOptions/batchSize` (the last one smaller when they do not divide evenly),
    /// then both parts measured.
    public mutating func trainEpoch() throws(NonFiniteError) -> MLPEpoch {
        let train = train  // a local copy (shared storage): the closure must not capture self, which the step mutates
        try learner.trainEpoch(count: train.count, batchSize: options.batchSize) { rows in
            let batch = train.selecting(rows)
            return (batch.inputs, batch.labels)
        }
        epoch += 1
        let (trainLoss, trainAccuracy) = evaluate(train)
        let (testLoss, testAccuracy) = evaluate(test)
        return MLPEpoch(
            epoch: epoch, trainLoss: trainLoss, trainAccuracy: trainAccuracy, testLoss: testLoss,
            testAccuracy: testAccuracy)
    }

    /// Every epoch of `MLPOptions/epochs`, each reported to `progress` as it ends.
    public mutating func run(progress: (MLPEpoch) -> Void = { _ in }) throws(NonFiniteError) -> [MLPEpoch] {
        var epochs: [MLPEpoch] = []
        while epoch < options.epochs {
            let record = try trainEpoch()
            epochs.append(record)
            progress(record)
        }
        return epochs
    }

    /// The mean cross-entropy and the accuracy on `points`.
    public func evaluate(_ points: LabelledPoints) -> (loss: Double, accuracy: Double) {
        guard points.count > 0 else { return (0, 0) }
        let (loss, accuracy) = learner.evaluate(count: points.count) { rows in
            let chunk = points.selecting(rows)
            return (chunk.inputs, chunk.labels)
        }
        return (loss, accuracy.overall)
    }

    /// The probability of class 1 at each row of `points` (N×2), e.g. the cells of a
    /// grid over the plane, for a picture of the decision regions.
    public func classOneProbability(at points: Matrix<Float>) -> [Float] {
        var net = model
        let p = SoftmaxCrossEntropy.softmax(net.forward(points, mode: .evaluation).y)
        return (0..<p.rows).map { p[$0, 1] }
    }
}
