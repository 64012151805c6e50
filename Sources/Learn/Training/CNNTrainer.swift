import Foundation

/// Trains Assignment 2's CNN (``VGG``) on labelled images with Adam: each step takes a
/// batch in a shuffled order, scores it, takes the softmax cross-entropy, backpropagates
/// through the network and lets Adam move every weight. After each epoch it measures
/// the loss and accuracy on (part of) the training images and on the test images, and
/// the test accuracy of every class.
///
/// The images are rows of `ImageClassificationData`, C planes of S×S pixels each (S²·C
/// numbers): CIFAR-10's 32×32×3, or MNIST padded to 32×32×1.
public struct CNNTrainer: Sendable {
    /// The settings of the run, checked when it was made.
    public let options: CNNOptions
    /// The training and test images.
    public let train: ImageClassificationData, test: ImageClassificationData
    /// The network, as trained so far.
    public internal(set) var model: VGG<Float>
    /// Finished passes over the training images.
    public internal(set) var epoch = 0
    /// Optimiser steps taken.
    public internal(set) var steps = 0
    /// Every finished epoch's losses and accuracies, the first first.
    public internal(set) var history: [MLPEpoch] = []
    /// S, the side of every image.
    public let side: Int
    var optimizer: Adam<VGG<Float>>
    var order: SeededGenerator

    /// Images scored at once when measuring: the network's largest unfolded patches
    /// (at the course's widths, 128·16·16 rows of 576) stay below 100 MB.
    static let evaluationChunk = 128

    /// A trainer for `options`, or the first option out of range; the images must be
    /// square, the same shape in both sets, and of at least one image each.
    public init(options: CNNOptions, train: ImageClassificationData, test: ImageClassificationData) throws(OptionError)
    {
        try options.validate()
        _ = AllocatorTuning.applied  // keep freed matrices for reuse (see there)
        guard train.count >= 1 else { throw OptionError(option: "training images", value: "0", expected: "at least 1") }
        guard test.count >= 1 else { throw OptionError(option: "test images", value: "0", expected: "at least 1") }
        let side = Int(Double(train.width / train.channels).squareRoot().rounded())
        guard side * side * train.channels == train.width else {
            throw OptionError(
                option: "image size", value: "\(train.width) numbers of \(train.channels) channels",
                expected: "C square planes of S×S pixels")
        }
        guard test.width == train.width, test.channels == train.channels, test.classes == train.classes else {
            throw OptionError(
                option: "test images",
                value: "\(test.width) numbers, \(test.channels) channels, \(test.classes) classes",
                expected: "the training images' \(train.width), \(train.channels) and \(train.classes)")
        }
        (self.options, self.train, self.test, self.side) = (options, train, test, side)
        var weights = SeededGenerator(seed: options.seed &+ 1)
        model = VGG(
            channels: train.channels, side: side, widths: options.widths, pooledAfter: options.pooledAfter,
            classes: train.classes, using: &weights)
        optimizer = Adam(learningRate: options.learningRate)
        order = SeededGenerator(seed: options.seed &+ 2)
    }

    /// Batches per epoch (the last one may be smaller).
    public var stepsPerEpoch: Int { (train.count + options.batchSize - 1) / options.batchSize }

    /// The rows of `data` as images.
    func images(_ data: ImageClassificationData, _ rows: [Int]) -> (x: FeatureMaps<Float>, labels: [Int]) {
        let (inputs, labels) = data.batch(rows)
        return (FeatureMaps(unflattening: inputs, channels: data.channels, height: side, width: side), labels)
    }

    /// One Adam step on the training images `rows`; returns the batch's loss.
    public mutating func step(rows: [Int]) throws(NonFiniteError) -> Float {
        steps += 1
        let (x, labels) = images(train, rows)
        let (scores, cache) = model.forward(x, mode: .training)
        let (loss, lossCache) = SoftmaxCrossEntropy.forward(scores, labels: labels)
        guard loss.isFinite else { throw NonFiniteError(step: steps, what: "the loss") }
        var gradients = model.zeroed()
        _ = model.backward(into: &gradients, SoftmaxCrossEntropy.backward(cache: lossCache), cache: cache)
        guard gradients.isFinite else { throw NonFiniteError(step: steps, what: "the gradients") }
        optimizer.step(&model, gradients: gradients)
        return loss
    }

    /// Adam's step size in the next epoch: η₀·γ^e after e epochs.
    public var learningRate: Float {
        options.learningRate * Float(Foundation.pow(Double(options.learningRateDecay), Double(epoch)))
    }

    /// One pass over the training images in a new shuffled order, at ``learningRate``,
    /// then the epoch's measurements. `afterStep` hears each step's number within the
    /// epoch and loss.
    public mutating func trainEpoch(
        afterStep: (_ step: Int, _ loss: Float) -> Void = { _, _ in }
    ) throws(NonFiniteError) -> MLPImageEpoch {
        optimizer.learningRate = learningRate
        var rows = Array(0..<train.count)
        order.shuffle(&rows)
        for (k, start) in stride(from: 0, to: rows.count, by: options.batchSize).enumerated() {
            afterStep(k + 1, try step(rows: Array(rows[start..<min(start + options.batchSize, rows.count)])))
        }
        epoch += 1
        let measured = evaluate(train, limit: options.trainEvaluationSize)
        let tested = evaluate(test)
        let curves = MLPEpoch(
            epoch: epoch, trainLoss: measured.loss, trainAccuracy: measured.accuracy.overall,
            testLoss: tested.loss, testAccuracy: tested.accuracy.overall)
        history.append(curves)
        return MLPImageEpoch(curves: curves, testByClass: tested.accuracy)
    }

    /// Trains until `CNNOptions.epochs` epochs are done, telling `progress` after each.
    public mutating func run(progress: (MLPImageEpoch) -> Void = { _ in }) throws(NonFiniteError) -> [MLPImageEpoch] {
        var epochs: [MLPImageEpoch] = []
        while epoch < options.epochs {
            let record = try trainEpoch()
            epochs.append(record)
            progress(record)
        }
        return epochs
    }

    /// The mean loss and the accuracy (overall and by class) of the network, in
    /// evaluation mode (BatchNorm2d's running statistics), on the first `limit` images
    /// of `data` (nil: all).
    public func evaluate(_ data: ImageClassificationData, limit: Int? = nil) -> (loss: Double, accuracy: ClassAccuracy)
    {
        ensure(
            data.width == train.width && data.channels == train.channels && data.classes == train.classes,
            "CNNTrainer: images of \(data.width) numbers, \(data.channels) channels, \(data.classes) classes; "
                + "expected \(train.width), \(train.channels) and \(train.classes)")
        let count = min(data.count, limit ?? data.count)
        var net = model
        var total = 0.0
        var accuracy = ClassAccuracy(classes: data.classes)
        for start in stride(from: 0, to: count, by: Self.evaluationChunk) {
            let (x, labels) = images(data, Array(start..<min(start + Self.evaluationChunk, count)))
            let scores = net.forward(x, mode: .evaluation).scores
            total += Double(SoftmaxCrossEntropy.forward(scores, labels: labels).loss) * Double(labels.count)
            accuracy.add(predicted: MLPLearner.classes(scores), labels: labels)
        }
        return (count > 0 ? total / Double(count) : 0, accuracy)
    }
}
