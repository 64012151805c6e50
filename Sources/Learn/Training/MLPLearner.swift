/// An ``MLP`` in `Float` with its ``SGD`` state and its batch order: the training step,
/// the epoch and the evaluation that both MLP trainers share — on points in the plane
/// (``MLPTrainer``) and on images (``MLPImageTrainer``). They differ only in where a
/// batch's rows come from, which each passes in as a closure.
///
/// Seeds: the weights are drawn from `seed + 1` and the batch order from `seed + 2`
/// (``MLPTrainer`` draws its points from `seed` itself).
struct MLPLearner: Sendable {
    /// The network.
    private(set) var model: MLP<Float>
    /// The optimiser steps taken so far, counting one that stopped on a non-finite number.
    private(set) var steps = 0
    var optimizer: SGD<MLP<Float>>
    var order: SeededGenerator

    /// The rows evaluated at once: enough for the matrix products to run at full speed,
    /// few enough that a 10,000-image test set never needs one 123 MB input matrix.
    static let evaluationChunk = 2_048

    init(widths: [Int], learningRate: Float, momentum: Float, seed: UInt64) {
        var weights = SeededGenerator(seed: seed &+ 1)
        model = MLP(widths: widths, using: &weights)
        optimizer = SGD(learningRate: learningRate, momentum: momentum)
        order = SeededGenerator(seed: seed &+ 2)
    }

    /// One SGD step on a batch: `x` N×D, one example per row, and its N labels. Returns
    /// the loss before the step; throws if the loss or the gradients are not finite,
    /// leaving the network as it was.
    mutating func step(_ x: Matrix<Float>, labels: [Int]) throws(NonFiniteError) -> Float {
        steps += 1
        let (scores, cache) = model.forward(x, mode: .training)
        let (loss, lossCache) = SoftmaxCrossEntropy.forward(scores, labels: labels)
        guard loss.isFinite else { throw NonFiniteError(step: steps, what: "the loss") }
        var gradients = model.zeroed()
        _ = model.backward(into: &gradients, SoftmaxCrossEntropy.backward(cache: lossCache), cache: cache)
        guard gradients.isFinite else { throw NonFiniteError(step: steps, what: "the gradients") }
        optimizer.step(&model, gradients: gradients)
        return loss
    }

    /// One pass over `count` examples in a fresh random order, `batchSize` at a time
    /// (the last batch smaller when they do not divide evenly). `batch` gives the inputs
    /// and labels of the rows it is handed; `afterStep` hears each step's number within
    /// the epoch (from 1) and its loss.
    mutating func trainEpoch(
        count: Int, batchSize: Int, batch: ([Int]) -> (inputs: Matrix<Float>, labels: [Int]),
        afterStep: (Int, Float) -> Void = { _, _ in }
    ) throws(NonFiniteError) {
        var rows = Array(0..<count)
        order.shuffle(&rows)
        for (k, start) in stride(from: 0, to: rows.count, by: batchSize).enumerated() {
            let (x, labels) = batch(Array(rows[start..<min(start + batchSize, rows.count)]))
            afterStep(k + 1, try step(x, labels: labels))
        }
    }

    /// The mean cross-entropy and the accuracy, class by class, on the first `count`
    /// examples, fetched ``evaluationChunk`` rows at a time by `batch`.
    func evaluate(
        count: Int, batch: ([Int]) -> (inputs: Matrix<Float>, labels: [Int])
    ) -> (loss: Double, accuracy: ClassAccuracy) {
        let classes = model.widths[model.widths.count - 1]
        guard count > 0 else { return (0, ClassAccuracy(classes: classes)) }
        var net = model
        var total = 0.0
        var accuracy = ClassAccuracy(classes: classes)
        for start in stride(from: 0, to: count, by: Self.evaluationChunk) {
            let (x, labels) = batch(Array(start..<min(start + Self.evaluationChunk, count)))
            let scores = net.forward(x, mode: .evaluation).y
            // A chunk's mean times its size is exact in Double (a Float times a count
            // below 2²⁹), so one chunk gives exactly the loss one pass would.
            total += Double(SoftmaxCrossEntropy.forward(scores, labels: labels).loss) * Double(labels.count)
            accuracy.add(predicted: Self.classes(scores), labels: labels)
        }
        return (total / Double(count), accuracy)
    }

    /// The predicted class of each row of scores (the first, on a tie).
    static func classes(_ scores: Matrix<Float>) -> [Int] {
        (0..<scores.rows).map { n in
            let row = scores.row(n)
            return row.indices.max { row[$0] < row[$1] } ?? 0
        }
    }
}
