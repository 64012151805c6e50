/// The vanilla RNN's hidden state, the baseline's only equation besides (7)–(9):
///
///     h(t) = tanh(W_hx x(t) + W_hh h(t−1) + b_h)
///
/// It is the same machinery as an LSTM gate with tanh — but h(t−1) reaches h(t) only
/// through W_hh and a tanh, so over T steps the gradient is multiplied by T Jacobians
/// `diag(1 − h²)·W_hh` and usually vanishes: the reason the RNN forgets.
///
/// Shapes: `x` N×D, `h` N×H, `whx` H×D, `whh` H×H, `bh` 1×H.
/// See also: ``GateMachinery``, ``CellState`` (the LSTM's way around the problem).
public struct RNNHiddenState<T: Real>: RecurrentGate {
    /// W_hx, H×D.
    public var whx: Matrix<T>
    /// W_hh, H×H.
    public var whh: Matrix<T>
    /// b_h, 1×H.
    public var bh: Matrix<T>

    /// A recurrence with the given weights.
    public init(wx: Matrix<T>, wh: Matrix<T>, b: Matrix<T>) {
        (whx, whh, bh) = (wx, wh, b)
    }

    /// The parameters by their names in the maths.
    public var parameters: [(name: String, path: WritableKeyPath<Self, Matrix<T>>)] {
        [("whx", \.whx), ("whh", \.whh), ("bh", \.bh)]
    }

    /// h(t) = tanh(W_hx x(t) + W_hh h(t−1) + b_h)
    public func forward(x: Matrix<T>, prevH: Matrix<T>) -> (y: Matrix<T>, cache: GateMachinery.Cache<T>) {
        // BEGIN SOLUTION rnnHiddenState
        let (h, cache) = GateMachinery.forward(
            x: x, prevH: prevH, wx: whx, wh: whh, b: bh, activation: .tanh)
        return (h, cache)
        // END SOLUTION
    }

    /// With ẑ the pre-activation, `dẑ = dH ⊙ (1 − h²)`; then dW_hx += dẑᵀ·x,
    /// dW_hh += dẑᵀ·h(t−1), db_h += Σ_rows dẑ, and returns dX = dẑ·W_hx and
    /// dPrevH = dẑ·W_hh.
    public func backward(
        into grads: inout Self, _ dH: Matrix<T>, cache: GateMachinery.Cache<T>
    ) -> (dX: Matrix<T>, dPrevH: Matrix<T>) {
        // BEGIN SOLUTION rnnHiddenState
        GateMachinery.backward(
            dWx: &grads.whx, dWh: &grads.whh, dB: &grads.bh,
            dH, cache: cache, wx: whx, wh: whh, activation: .tanh)
        // END SOLUTION
    }
}
