import Learn
import LearnTesting
import Testing

/// Finite differences through the whole of backpropagation through time: every
/// parameter of the LSTM and the RNN, for short and long sequences.
@Suite("Gradient checks: whole models")
struct ModelGradientTests {
    /// A small palindrome batch as the models see it: N = 3, one-hot D = 10, T steps.
    func batch(_ t: Int) -> SequenceBatch<Double> {
        var stream = PalindromeStream(inputLength: t, seed: UInt64(t))
        return stream.next(batchSize: 3)
    }

    /// Scales every weight by `scale`, then checks every parameter's gradient of the
    /// last-step loss on a T-step palindrome batch.
    func checkEveryParameter<Model: SequenceClassifier>(
        _ model: Model, scale: Double, inputLength t: Int
    ) -> [GradientCheckReport]
    where Model.Scalar == Double {
        var model = model
        for p in model.parameters {
            model[keyPath: p.path] = scale * model[keyPath: p.path]
        }
        let data = batch(t)
        let gradients = model.lossAndGradients(data.inputs, labels: data.targets).gradients
        return checker.check(model, gradients: gradients) { $0.loss(data.inputs, labels: data.targets) }
    }

    @Test("LSTM: every parameter, through time", .requires(.lstm), arguments: [1, 2, 5, 10, 12])
    func lstm(inputLength t: Int) {
        var generator = SeededGenerator(seed: 100 + UInt64(t))
        // Weights a little larger than PyTorch's ±1/√H so every gate is away from 0.5
        // and the check exercises the nonlinearity, not just its linear part.
        let model = LSTM<Double>(inputSize: 10, hiddenSize: 4, classes: 10, using: &generator)
        let reports = checkEveryParameter(model, scale: 3, inputLength: t)
        #expect(reports.count == 14)
        expectAllPass(reports)
    }

    @Test("RNN: every parameter, through time", .requires(.rnn), arguments: [1, 2, 5, 10, 12])
    func rnn(inputLength t: Int) {
        var generator = SeededGenerator(seed: 200 + UInt64(t))
        let model = RNN<Double>(inputSize: 10, hiddenSize: 4, classes: 10, using: &generator)
        let reports = checkEveryParameter(model, scale: 2, inputLength: t)
        #expect(reports.count == 5)
        expectAllPass(reports)
    }

    @Test("LSTM with raw digit values as input (D = 1)", .requires(.lstm))
    func lstmDigitValues() {
        var generator = SeededGenerator(seed: 300)
        let model = LSTM<Double>(inputSize: 1, hiddenSize: 3, classes: 10, forgetBias: 1, using: &generator)
        var stream = PalindromeStream(inputLength: 6, encoding: .value, seed: 301)
        let data: SequenceBatch<Double> = stream.next(batchSize: 4)
        let gradients = model.lossAndGradients(data.inputs, labels: data.targets).gradients
        expectAllPass(checker.check(model, gradients: gradients) { $0.loss(data.inputs, labels: data.targets) })
    }
}
