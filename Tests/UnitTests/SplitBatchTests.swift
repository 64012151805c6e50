import Learn
import LearnTesting
import Testing

/// Splitting a batch between two cores must change nothing but the rounding.
@Suite("Split batch: two halves on two cores give the whole batch's loss and gradients")
struct SplitBatchTests {
    static let (d, h, k, t) = (10, 12, 10, 6)

    /// A seeded batch of `n` one-hot sequences and labels.
    static func batch<T: Real>(_ n: Int, _: T.Type) -> (xs: [Matrix<T>], labels: [Int]) {
        var generator = SeededGenerator(seed: UInt64(n))
        let xs = (0..<t).map { _ in
            var x = Matrix<T>(rows: n, columns: d)
            for row in 0..<n { x[row, generator.integer(below: d)] = 1 }
            return x
        }
        return (xs, (0..<n).map { _ in generator.integer(below: k) })
    }

    /// In Double the two ways of summing agree to ~1e-15; a wrong weighting of the
    /// halves (e.g. a plain average of unequal halves, or a sum) is off by far more.
    static func expectSame<Model: SequenceClassifier>(_ model: Model, _ n: Int, tolerance: Model.Scalar) {
        let (xs, labels) = batch(n, Model.Scalar.self)
        let whole = model.lossAndGradients(xs, labels: labels)
        let split = model.lossAndGradientsSplittingBatch(xs, labels: labels)
        #expect(abs(split.loss - whole.loss) <= tolerance * abs(whole.loss), "loss, N = \(n)")
        for p in model.parameters {
            let (a, b) = (split.gradients[keyPath: p.path], whole.gradients[keyPath: p.path])
            let scale = b.elements.reduce(0) { max($0, abs($1)) }
            expectClose(a, b, tolerance: tolerance * max(scale, 1e-30), "d\(p.name), N = \(n)")
        }
        #expect(model.predictSplittingBatch(xs) == model.predict(xs), "predictions, N = \(n)")
    }

    @Test(
        "LSTM and RNN: the same loss, gradients and predictions, even and odd batches",
        .requires(.lstm, .rnn), arguments: [32, 33, 128])
    func sameAsWholeBatch(_ n: Int) {
        var generator = SeededGenerator(seed: 7)
        let lstm = LSTM<Double>(inputSize: Self.d, hiddenSize: Self.h, classes: Self.k, using: &generator)
        let rnn = RNN<Double>(inputSize: Self.d, hiddenSize: Self.h, classes: Self.k, using: &generator)
        Self.expectSame(lstm, n, tolerance: 1e-12)
        Self.expectSame(rnn, n, tolerance: 1e-12)
        let lstmFloat = LSTM<Float>(inputSize: Self.d, hiddenSize: Self.h, classes: Self.k, using: &generator)
        Self.expectSame(lstmFloat, n, tolerance: 1e-5)
    }

    /// Below the threshold the batch is not split at all, so the result is the
    /// whole-batch computation bit for bit.
    @Test("a batch too small to split gives exactly the whole-batch result", .requires(.lstm))
    func smallBatchIsNotSplit() {
        var generator = SeededGenerator(seed: 8)
        let lstm = LSTM<Float>(inputSize: Self.d, hiddenSize: Self.h, classes: Self.k, using: &generator)
        let n = LSTM<Float>.smallestSplitBatch - 1
        let (xs, labels) = Self.batch(n, Float.self)
        let whole = lstm.lossAndGradients(xs, labels: labels)
        let split = lstm.lossAndGradientsSplittingBatch(xs, labels: labels)
        #expect(split.loss == whole.loss)
        for p in lstm.parameters {
            #expect(split.gradients[keyPath: p.path] == whole.gradients[keyPath: p.path], "d\(p.name)")
        }
    }

    @Test("slicingRows copies exactly the rows asked for")
    func slicingRows() {
        let m = Matrix<Float>([[1, 2], [3, 4], [5, 6], [7, 8]])
        #expect(m.slicingRows(1..<3) == Matrix([[3, 4], [5, 6]]))
        #expect(m.slicingRows(0..<4) == m)
        #expect(m.slicingRows(2..<2).shape == Shape2(0, 2))
    }
}
