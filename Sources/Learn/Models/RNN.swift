/// The vanilla RNN baseline, built from the same pieces as the LSTM:
///
///     h(t) = tanh(W_hx x(t) + W_hh h(t−1) + b_h),   p(t) = W_ph h(t) + b_p
///
/// with softmax and cross-entropy on the last step. Shapes as in ``LSTM``.
public struct RNN<T: Real>: SequenceClassifier {
    /// The recurrence h(t) = tanh(W_hx x(t) + W_hh h(t−1) + b_h).
    public var hidden: RNNHiddenState<T>
    /// Equation (7), the prediction p.
    public var p: Prediction<T>

    /// An RNN from its parts.
    public init(hidden: RNNHiddenState<T>, p: Prediction<T>) {
        (self.hidden, self.p) = (hidden, p)
    }

    /// A freshly initialised RNN: by default uniform in ±1/√H as PyTorch's `nn.RNN`;
    /// with `Initialization/xavierUniform` (Assignment 2) the weights W_hx, W_hh and
    /// W_ph are Xavier-uniform and the biases b_h and b_p zero. Either way the weights
    /// are drawn in the order W_hx, W_hh, (b_h,) W_ph(, b_p).
    public init(
        inputSize: Int, hiddenSize: Int, classes: Int, initialization: Initialization = .pytorchDefault,
        using generator: inout SeededGenerator
    ) {
        ensure(
            inputSize > 0 && hiddenSize > 0 && classes > 1,
            "RNN sizes must be positive (and K ≥ 2): D=\(inputSize), H=\(hiddenSize), K=\(classes)")
        switch initialization {
        case .pytorchDefault:
            hidden = RNNHiddenState(inputSize: inputSize, hiddenSize: hiddenSize, using: &generator)
            p = Prediction(hiddenSize: hiddenSize, classes: classes, using: &generator)
        case .xavierUniform:
            let whx: Matrix<T> = Initialization.xavierUniform(rows: hiddenSize, columns: inputSize, using: &generator)
            let whh: Matrix<T> = Initialization.xavierUniform(rows: hiddenSize, columns: hiddenSize, using: &generator)
            let wph: Matrix<T> = Initialization.xavierUniform(rows: classes, columns: hiddenSize, using: &generator)
            hidden = RNNHiddenState(wx: whx, wh: whh, b: Matrix(rows: 1, columns: hiddenSize))
            p = Prediction(wph: wph, bp: Matrix(rows: 1, columns: classes))
        }
    }

    public var inputSize: Int { hidden.whx.columns }
    public var hiddenSize: Int { hidden.whh.rows }
    public var classes: Int { p.wph.rows }

    /// All parameters, named as in the maths: whx, whh, bh, wph, bp.
    public var parameters: [(name: String, path: WritableKeyPath<Self, Matrix<T>>)] {
        lift(\.hidden) + lift(\.p)
    }

    /// Every step's cache and the last hidden state.
    public struct Cache: Sendable {
        /// Step t's cache at index t − 1: x(t), h(t−1) and h(t) (tanh′ = 1 − h²).
        public var steps: [GateMachinery.Cache<T>]
        /// h(T), N×H: the prediction reads it, and ∂L/∂W_ph needs it.
        public var lastH: Matrix<T>
    }

    /// The recurrence for t = 1…T from h(0) = 0, then the last step's scores.
    public func forward(_ xs: [Matrix<T>]) -> (scores: Matrix<T>, cache: Cache) {
        // BEGIN SOLUTION rnn
        requireValidSequence(xs)
        var h = Matrix<T>(rows: xs[0].rows, columns: hiddenSize)
        var steps: [GateMachinery.Cache<T>] = []
        for x in xs {
            let (ht, stepCache) = hidden.forward(x: x, prevH: h)
            steps.append(stepCache)
            h = ht
        }
        return (p.forward(h: h), Cache(steps: steps, lastH: h))
        // END SOLUTION
    }

    /// Backpropagation through time: dH flows back through W_hh and tanh alone.
    public func backwardThroughTime(
        _ dScores: Matrix<T>, cache: Cache
    ) -> (
        gradients: RNN, dXs: [Matrix<T>]
    ) {
        // BEGIN SOLUTION rnn
        var grads = zeroed()
        var dH = p.backward(into: &grads.p, dScores, h: cache.lastH)
        var dXs: [Matrix<T>] = []
        for step in cache.steps.reversed() {
            let d = hidden.backward(into: &grads.hidden, dH, cache: step)
            dXs.append(d.dX)
            dH = d.dPrevH
        }
        return (grads, dXs.reversed())
        // END SOLUTION
    }
}
