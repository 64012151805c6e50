/// Trains an ``MLP`` on images in `Float` — Assignment 2's MLP on CIFAR-10: each image
/// one row of D values (3,072 for CIFAR-10) in [−1, 1], mini-batches in a seeded random
/// order, a forward and backward pass each through the network and
/// ``SoftmaxCrossEntropy``, and an ``SGD`` step; after each epoch the loss and accuracy
/// on the training images and on the test images, the latter class by class.
///
/// The step, the epoch and the evaluation are ``MLPTrainer``'s: only where a batch's
/// rows come from differs. A batch is one matrix through every layer, so the time goes
/// into the engine's matrix products (both cores): for the default 3,072 → 256 → 10,
/// 790,000 multiply-adds an image forward and twice as many backward.
///
/// Shapes: N images per batch, D inputs, H… hidden widths, K classes.
public struct MLPImageTrainer: Sendable {
    /// The options the run was made with.
    public let options: MLPImageOptions
    /// The training and test images.
    public let train: ImageClassificationData, test: ImageClassificationData
    /// The network, D → H… → K.
    public var model: MLP<Float> { learner.model }
    /// The epochs trained so far.
    public private(set) var epoch = 0
    /// The optimiser steps taken so far.
    public var steps: Int { learner.steps }
    var learner: MLPLearner

    /// Initialises the network for `train`'s images and classes. Throws when an option is
    /// out of range or a set is empty; `test` must have `train`'s width and classes.
    public init(
        options: MLPImageOptions, train: ImageClassificationData, test: ImageClassificationData
    ) throws(OptionError) {
        try options.validate()
        _ = AllocatorTuning.applied  // keep freed matrices for reuse (see there)
        guard train.count >= 1 else { throw OptionError(option: "training images", value: "0", expected: "at least 1") }
        guard test.count >= 1 else { throw OptionError(option: "test images", value: "0", expected: "at least 1") }
        ensure(
            test.width == train.width && test.classes == train.classes,
            "MLPImageTrainer: test images are \(test.width) wide with \(test.classes) classes,"
                + " training images \(train.width) wide with \(train.classes)")
        (self.options, self.train, self.test) = (options, train, test)
        learner = MLPLearner(
            widths: options.widths(inputs: train.width, classes: train.classes),
            learningRate: options.learningRate, momentum: options.momentum, seed: options.seed)
    }

    /// The SGD steps in an epoch: ⌈training images / batch size⌉.
    public var stepsPerEpoch: Int { (train.count + options.batchSize - 1) / options.batchSize }

    /// One SGD step on the training images at `rows`. Returns the loss before the step;
    /// throws if the loss or the gradients are not finite, leaving the network as it was.
    public mutating func step(rows: [Int]) throws(NonFiniteError) -> Float {
        let (x, labels) = train.batch(rows)
        return try learner.step(x, labels: labels)
    }

    /// One pass over the training images in a fresh random order, in batches of
    /// `MLPImageOptions/batchSize` (the last one smaller when they do not divide
    /// evenly), then both sets measured. `afterStep` hears each step's number within the
    /// epoch (1 … ``stepsPerEpoch``) and its loss, e.g. for a progress line.
    public mutating func trainEpoch(
        afterStep: (_ step: Int, _ loss: Float) -> Void = { _, _ in }
    ) throws(NonFiniteError) -> MLPImageEpoch {
        let train = train  // a local copy (shared storage): the closure must not capture self, which the step mutates
        try learner.trainEpoch(
            count: train.count, batchSize: options.batchSize, batch: train.batch, afterStep: afterStep)
        epoch += 1
        let measured = evaluate(train, limit: options.trainEvaluationSize)
        let tested = evaluate(test)
        return MLPImageEpoch(
            curves: MLPEpoch(
                epoch: epoch, trainLoss: measured.loss, trainAccuracy: measured.accuracy.overall,
                testLoss: tested.loss, testAccuracy: tested.accuracy.overall),
            testByClass: tested.accuracy)
    }

    /// Every epoch of `MLPImageOptions/epochs`, each reported to `progress` as it ends.
    public mutating func run(
        progress: (MLPImageEpoch) -> Void = { _ in }
    ) throws(NonFiniteError) -> [MLPImageEpoch] {
        var epochs: [MLPImageEpoch] = []
        while epoch < options.epochs {
            let record = try trainEpoch()
            epochs.append(record)
            progress(record)
        }
        return epochs
    }

    /// The mean cross-entropy and the accuracy class by class on the first `limit`
    /// images of `data` (nil: all), evaluated a chunk of rows at a time.
    public func evaluate(
        _ data: ImageClassificationData, limit: Int? = nil
    ) -> (loss: Double, accuracy: ClassAccuracy) {
        ensure(data.width == train.width, "MLPImageTrainer: images are \(data.width) wide, expected \(train.width)")
        ensure(data.classes == train.classes, "MLPImageTrainer: \(data.classes) classes, expected \(train.classes)")
        return learner.evaluate(count: min(data.count, limit ?? data.count), batch: data.batch)
    }
}
