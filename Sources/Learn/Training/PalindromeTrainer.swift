/// Trains an LSTM or an RNN on palindromes in `Float`: minibatches of the training
/// set in a seeded random order, one forward and backward pass each, gradient-norm
/// clipping, and an RMSProp step whose size follows
/// `PalindromeOptions/learningRateSchedule` from epoch to epoch; the test accuracy
/// is measured as it goes.
///
/// The trainer is concrete (not generic) on purpose: the models are generic over
/// `Real`, and a concrete entry point inside the library is where the compiler
/// specialises them for `Float`, so callers in other modules run at full speed.
public struct PalindromeTrainer: Sendable {
    /// The options the run was made with.
    public let options: PalindromeOptions
    /// The palindromes, split into training and test parts.
    public let data: PalindromeDataset
    /// The optimiser steps taken so far.
    public private(set) var steps = 0
    var learner: AnyLearner
    var order: SeededGenerator

    /// Builds the data set and a freshly initialised model. Throws when an option is
    /// out of range.
    public init(options: PalindromeOptions) throws(OptionError) {
        try options.validate()
        self.options = options
        _ = AllocatorTuning.applied  // keep freed matrices for reuse (see there)
        data = PalindromeDataset(
            inputLength: options.inputLength, count: options.datasetSize,
            trainFraction: options.trainFraction, seed: options.seed)
        var weights = SeededGenerator(seed: options.seed &+ 1)
        order = SeededGenerator(seed: options.seed &+ 2)
        let (d, h) = (options.encoding.featureCount, options.hiddenSize)
        let optimizerSettings = (options.learningRate, options.clipNorm)
        switch options.model {
        case .lstm:
            let model = LSTM<Float>(
                inputSize: d, hiddenSize: h, classes: 10, forgetBias: options.forgetBias, using: &weights)
            learner = .lstm(Learner(model: model, settings: optimizerSettings))
        case .rnn:
            let model = RNN<Float>(
                inputSize: d, hiddenSize: h, classes: 10, initialization: options.initialization, using: &weights)
            learner = .rnn(Learner(model: model, settings: optimizerSettings))
        }
    }

    /// RMSProp's step size η now: `PalindromeOptions/learningRate` until
    /// ``train(progress:)`` decays it.
    public var learningRate: Float {
        switch learner {
        case .lstm(let l): l.learningRate
        case .rnn(let l): l.learningRate
        }
    }

    /// Sets RMSProp's step size (the schedule's value for the epoch about to start).
    mutating func setLearningRate(_ eta: Float) {
        switch learner {
        case .lstm(var l):
            l.learningRate = eta
            learner = .lstm(l)
        case .rnn(var l):
            l.learningRate = eta
            learner = .rnn(l)
        }
    }

    /// One training step on `batch`: forward, backward, clip, RMSProp. Returns the
    /// loss before the step; throws if the loss or the gradients are not finite, in
    /// which case the model is left as it was.
    public mutating func step(_ batch: SequenceBatch<Float>) throws(NonFiniteError) -> Float {
        steps += 1
        switch learner {
        case .lstm(var l):
            defer { learner = .lstm(l) }
            return try l.step(batch, stepNumber: steps)
        case .rnn(var l):
            defer { learner = .rnn(l) }
            return try l.step(batch, stepNumber: steps)
        }
    }

    /// The fraction of `part` (e.g. `PalindromeDataset/test`) predicted correctly.
    public func accuracy(on part: [[Int]]) -> Double {
        guard !part.isEmpty else { return 0 }
        var correct = 0
        for batch in batches(part, order: Array(part.indices)) {
            let predicted: [Int]
            switch learner {
            case .lstm(let l): predicted = l.model.predictSplittingBatch(batch.inputs)
            case .rnn(let l): predicted = l.model.predictSplittingBatch(batch.inputs)
            }
            correct += zip(predicted, batch.targets).filter { $0 == $1 }.count
        }
        return Double(correct) / Double(part.count)
    }

    /// The minibatches of `part`, in a fresh seeded order when `shuffled`.
    public mutating func batches(_ part: [[Int]], shuffled: Bool) -> [SequenceBatch<Float>] {
        var indices = Array(part.indices)
        if shuffled { order.shuffle(&indices) }
        return batches(part, order: indices)
    }

    func batches(_ part: [[Int]], order indices: [Int]) -> [SequenceBatch<Float>] {
        stride(from: 0, to: indices.count, by: options.batchSize).map { start in
            let chosen = indices[start..<min(start + options.batchSize, indices.count)]
            return SequenceBatch(palindromes: chosen.map { part[$0] }, encoding: options.encoding)
        }
    }

    /// Trains until the step or epoch budget is spent, or the test accuracy reaches
    /// `PalindromeOptions/targetAccuracy`. Epoch e (from 1) steps with
    /// η₀ · γ^⌊(e − 1)/k⌋ (``ExponentialDecay``). `progress` is called after every
    /// step with the step's record (its accuracy set when it was evaluated).
    public mutating func train(
        progress: (PalindromeProgress) -> Void = { _ in }
    ) throws(NonFiniteError) -> PalindromeResult {
        var history: [PalindromeProgress] = []
        var lastAccuracy = 0.0
        let stepBudget = options.maxSteps ?? Int.max
        let schedule = options.learningRateSchedule
        training: for epoch in 1...options.maxEpochs {
            // At the epoch boundary, as PyTorch's scheduler.step() after each epoch. Without
            // decay (γ = 1, Assignment 3) η stays η₀, so the schedule is not asked.
            if options.learningRateDecay < 1 { setLearningRate(schedule.learningRate(afterEpochs: epoch - 1)) }
            for batch in batches(data.train, shuffled: true) {
                let loss = try step(batch)
                var record = PalindromeProgress(
                    epoch: epoch, step: steps, loss: Double(loss), learningRate: learningRate, testAccuracy: nil)
                let last = steps >= stepBudget
                if steps % options.evaluationInterval == 0 || last {
                    lastAccuracy = accuracy(on: data.test)
                    record.testAccuracy = lastAccuracy
                }
                history.append(record)
                progress(record)
                if let target = options.targetAccuracy, record.testAccuracy.map({ $0 >= target }) == true {
                    break training
                }
                if last { break training }
            }
        }
        if history.last?.testAccuracy == nil {
            lastAccuracy = accuracy(on: data.test)
            history[history.count - 1].testAccuracy = lastAccuracy
        }
        return PalindromeResult(steps: steps, testAccuracy: lastAccuracy, history: history)
    }
}
