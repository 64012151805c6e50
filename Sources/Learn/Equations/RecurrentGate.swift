/// A gate of the form y = φ(W_x x + W_h h(t−1) + b): equations (1)–(4) and the vanilla
/// RNN's hidden state.
///
/// Each conformer names its weights after the maths (`wfx`, `wfh`, `bf`) and its doc
/// comments use its own letter; the requirements use the same labels for every gate,
/// so generic code — a gradient check, the fixture runner — takes any of them.
///
/// Shapes: `x` N×D, `prevH` N×H, `y` N×H; `wx` H×D, `wh` H×H, `b` 1×H.
/// See also: ``GateMachinery`` (the algebra they share).
public protocol RecurrentGate<Scalar>: Parameterized {
    /// A gate with the given weights: `wx` H×D, `wh` H×H, `b` 1×H.
    init(wx: Matrix<Scalar>, wh: Matrix<Scalar>, b: Matrix<Scalar>)

    /// y = φ(W_x x(t) + W_h h(t−1) + b), and what the backward pass needs.
    func forward(x: Matrix<Scalar>, prevH: Matrix<Scalar>) -> (y: Matrix<Scalar>, cache: GateMachinery.Cache<Scalar>)

    /// From `dY = ∂L/∂y`: adds ∂L/∂W_x, ∂L/∂W_h and ∂L/∂b into `grads` (so the steps of
    /// a sequence accumulate) and returns the gradients that flow on, ∂L/∂x(t) and
    /// ∂L/∂h(t−1).
    func backward(
        into grads: inout Self, _ dY: Matrix<Scalar>, cache: GateMachinery.Cache<Scalar>
    ) -> (dX: Matrix<Scalar>, dPrevH: Matrix<Scalar>)
}

extension RecurrentGate {
    /// A gate initialised as PyTorch initialises `nn.LSTM` and `nn.RNN`: every weight
    /// and bias uniform in ±1/√H.
    public init(inputSize: Int, hiddenSize: Int, using generator: inout SeededGenerator) {
        let bound = 1 / Scalar.sqrt(Scalar(hiddenSize))
        let wx = Matrix<Scalar>.uniform(rows: hiddenSize, columns: inputSize, bound: bound, using: &generator)
        let wh = Matrix<Scalar>.uniform(rows: hiddenSize, columns: hiddenSize, bound: bound, using: &generator)
        let b = Matrix<Scalar>.uniform(rows: 1, columns: hiddenSize, bound: bound, using: &generator)
        self.init(wx: wx, wh: wh, b: b)
    }
}
