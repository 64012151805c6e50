import Learn

/// Everything one run of a2-part3-task2 needs, read from the command line.
struct A2Part3Plan {
    var lengths: [Int]
    var seeds: [UInt64]
    /// The settings shared by every run; each run sets its length and seed.
    var base = PalindromeOptions()
    var outDirectory: String
    var quick: Bool

    /// Assignment 2's RNN: Xavier-uniform weights, zero biases, RMSProp 1e-3 decayed
    /// ×0.98 every 10 epochs, clipping; a fixed number of epochs (no early stop, so
    /// every run of a length gets the same steps and a lucky seed cannot stop first).
    init(
        lengths: [Int], seeds: [UInt64], epochs: Int, datasetSize: Int, hiddenSize: Int, outDirectory: String,
        quick: Bool
    ) {
        (self.lengths, self.seeds, self.outDirectory, self.quick) = (lengths, seeds, outDirectory, quick)
        base.model = .rnn
        base.initialization = A2RNNSettings.initialization
        base.learningRate = A2RNNSettings.learningRate
        base.learningRateDecay = A2RNNSettings.decay
        base.decayInterval = A2RNNSettings.decayInterval
        base.clipNorm = A2RNNSettings.clipNorm
        base.hiddenSize = hiddenSize
        base.datasetSize = datasetSize
        base.maxEpochs = epochs
        base.targetAccuracy = nil
    }

    /// The options of one training run. The test accuracy is measured once an epoch,
    /// at its end: the number of steps an epoch takes depends on how many distinct
    /// palindromes of length T there are.
    func options(inputLength t: Int, seed: UInt64) -> PalindromeOptions {
        var o = base
        o.inputLength = t
        o.seed = seed
        o.evaluationInterval = stepsPerEpoch(inputLength: t)
        return o
    }

    /// ⌈training palindromes / batch⌉ at length `t`, the training part counted as
    /// ``PalindromeDataset`` splits it (were the two to differ, the accuracy would be
    /// measured a little off the epoch's end, nothing worse).
    func stepsPerEpoch(inputLength t: Int) -> Int {
        let count = min(base.datasetSize, PalindromeDataset.distinctCount(inputLength: t) ?? base.datasetSize)
        let train = min(max(Int((Double(count) * base.trainFraction).rounded()), 1), count - 1)
        return (train + base.batchSize - 1) / base.batchSize
    }
}
