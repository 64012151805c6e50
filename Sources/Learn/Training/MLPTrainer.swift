/// Trains an ``MLP`` on moons or circles in `Float`: mini-batches of the training points
/// in a seeded random order, one forward and backward pass each through the network and
/// ``SoftmaxCrossEntropy``, and an ``SGD`` step.
///
/// Concrete, not generic, for the reason ``PalindromeTrainer`` is: the library
/// specialises the generic pieces for `Float` here.
public struct MLPTrainer: Sendable {
    /// The options the run was made with.
    public let options: MLPOptions
    /// The training and test points.
    public let train: LabelledPoints, test: LabelledPoints
    /// The network.
    public private(set) var model: MLP<Float>
    /// The epochs trained so far.
    public private(set) var epoch = 0
    /// The optimiser steps taken so far.
    public private(set) var steps = 0
    var optimizer: SGD<MLP<Float>>
    var order: SeededGenerator

    /// Draws the points, splits them and initialises the network. Throws when an option is
    /// out of range.
    public init(options: MLPOptions) throws(OptionError) {
        try options.validate()
        self.options = options
        var data = SeededGenerator(seed: options.seed)
        let points = options.dataset.points(
            count: options.samples, noise: options.noise ?? options.dataset.defaultNoise, using: &data)
        (train, test) = points.split(trainFraction: options.trainFraction, using: &data)
        var weights = SeededGenerator(seed: options.seed &+ 1)
        model = MLP(widths: options.widths, using: &weights)
        optimizer = SGD(learningRate: options.learningRate, momentum: options.momentum)
        order = SeededGenerator(seed: options.seed &+ 2)
    }

    /// One SGD step on the points at `rows` of the training set. Returns the loss before
    /// the step; throws if the loss or the gradients are not finite, leaving the network
    /// as it was.
    public mutating func step(rows: [Int]) throws(NonFiniteError) -> Float {
        steps += 1
        let batch = train.selecting(rows)
        let (scores, cache) = model.forward(batch.inputs, mode: .training)
        let (loss, lossCache) = SoftmaxCrossEntropy.forward(scores, labels: batch.labels)
        guard loss.isFinite else { throw NonFiniteError(step: steps, what: "the loss") }
        var gradients = model.zeroed()
        _ = model.backward(into: &gradients, SoftmaxCrossEntropy.backward(cache: lossCache), cache: cache)
        guard gradients.isFinite else { throw NonFiniteError(step: steps, what: "the gradients") }
        optimizer.step(&model, gradients: gradients)
        return loss
    }

    /// One pass over the training points in a fresh random order, in batches of
    /// ``MLPOptions/batchSize`` (the last one smaller when they do not divide evenly),
    /// then both parts measured.
    public mutating func trainEpoch() throws(NonFiniteError) -> MLPEpoch {
        var rows = Array(0..<train.count)
        order.shuffle(&rows)
        for start in stride(from: 0, to: rows.count, by: options.batchSize) {
            _ = try step(rows: Array(rows[start..<min(start + options.batchSize, rows.count)]))
        }
        epoch += 1
        let (trainLoss, trainAccuracy) = evaluate(train)
        let (testLoss, testAccuracy) = evaluate(test)
        return MLPEpoch(
            epoch: epoch, trainLoss: trainLoss, trainAccuracy: trainAccuracy, testLoss: testLoss,
            testAccuracy: testAccuracy)
    }

    /// Every epoch of ``MLPOptions/epochs``, each reported to `progress` as it ends.
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
        var net = model
        let scores = net.forward(points.inputs, mode: .evaluation).y
        let loss = SoftmaxCrossEntropy.forward(scores, labels: points.labels).loss
        let correct = zip(Self.classes(scores), points.labels).filter { $0 == $1 }.count
        return (Double(loss), Double(correct) / Double(points.count))
    }

    /// The probability of class 1 at each row of `points` (N×2), e.g. the cells of a
    /// grid over the plane, for a picture of the decision regions.
    public func classOneProbability(at points: Matrix<Float>) -> [Float] {
        var net = model
        let p = SoftmaxCrossEntropy.softmax(net.forward(points, mode: .evaluation).y)
        return (0..<p.rows).map { p[$0, 1] }
    }

    /// The predicted class of each row of scores (the first, on a tie).
    static func classes(_ scores: Matrix<Float>) -> [Int] {
        (0..<scores.rows).map { n in
            let row = scores.row(n)
            return row.indices.max { row[$0] < row[$1] } ?? 0
        }
    }
}
