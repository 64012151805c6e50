/// A model that reads a sequence x(1)…x(T) and scores K classes from its last step:
/// the shape both the LSTM and its RNN baseline share, so that training, evaluation
/// and gradient checks are written once.
///
/// Shapes: the sequence is T matrices of N×D; the scores are N×K.
public protocol SequenceClassifier: Parameterized {
    /// What ``backward(_:cache:)`` needs from ``forward(_:)``.
    associatedtype Cache: Sendable
    /// D, the number of features per time step.
    var inputSize: Int { get }
    /// H, the size of the hidden state.
    var hiddenSize: Int { get }
    /// K, the number of classes.
    var classes: Int { get }
    /// The last step's scores p(T), N×K, and what the backward pass needs.
    func forward(_ xs: [Matrix<Scalar>]) -> (scores: Matrix<Scalar>, cache: Cache)
    /// Backpropagation through time from `dScores = ∂L/∂p(T)`: ∂L/∂θ for every
    /// parameter θ, stored in a value of the model's own type, and ∂L/∂x(t) for every
    /// step (`dXs[t]` is for x(t+1)).
    func backwardThroughTime(_ dScores: Matrix<Scalar>, cache: Cache) -> (gradients: Self, dXs: [Matrix<Scalar>])
}

extension SequenceClassifier {
    /// ``backwardThroughTime(_:cache:)`` keeping only the parameter gradients, which
    /// is all training needs.
    public func backward(_ dScores: Matrix<Scalar>, cache: Cache) -> Self {
        backwardThroughTime(dScores, cache: cache).gradients
    }

    /// The mean cross-entropy of the last step's prediction (equation 9) and its
    /// gradient with respect to every parameter: one forward and one backward pass.
    public func lossAndGradients(
        _ xs: [Matrix<Scalar>], labels: [Int]
    ) -> (loss: Scalar, gradients: Self) {
        let (scores, cache) = forward(xs)
        let (loss, lossCache) = SoftmaxCrossEntropy.forward(scores, labels: labels)
        let dScores = SoftmaxCrossEntropy.backward(cache: lossCache)
        return (loss, backward(dScores, cache: cache))
    }

    /// The mean cross-entropy alone (what a finite-difference check perturbs).
    public func loss(_ xs: [Matrix<Scalar>], labels: [Int]) -> Scalar {
        SoftmaxCrossEntropy.forward(forward(xs).scores, labels: labels).loss
    }

    /// The predicted class of each example: the arg-max of its last-step scores.
    public func predict(_ xs: [Matrix<Scalar>]) -> [Int] {
        let scores = forward(xs).scores
        return (0..<scores.rows).map { n in
            let row = scores.row(n)
            return row.indices.max { row[$0] < row[$1] } ?? 0
        }
    }

    /// Checks a sequence against the model's input size, naming the step that is off.
    func requireValidSequence(_ xs: [Matrix<Scalar>]) {
        ensure(!xs.isEmpty, "the sequence is empty: a model needs at least one time step")
        let n = xs[0].rows
        for (t, x) in xs.enumerated() {
            ensure(
                x.columns == inputSize && x.rows == n,
                "time step \(t + 1) is \(x.shapeDescription), expected \(n)×\(inputSize) (N×D)")
        }
    }
}
