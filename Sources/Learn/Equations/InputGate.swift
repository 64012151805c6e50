/// Equation (2), the input gate:
///
///     i(t) = σ(W_ix x(t) + W_ih h(t−1) + b_i)
///
/// How much of each candidate value g(t) is written into the cell: σ keeps it in (0, 1).
///
/// Shapes: `x` N×D, `h(t−1)` N×H, `wix` H×D, `wih` H×H, `bi` 1×H, `i` N×H.
/// See also: ``GateMachinery`` (the shared algebra), ``CellState`` (where i is used).
public struct InputGate<T: Real>: RecurrentGate {
    /// W_ix, H×D: how the input moves the gate.
    public var wix: Matrix<T>
    /// W_ih, H×H: how the previous hidden state moves the gate.
    public var wih: Matrix<T>
    /// b_i, 1×H.
    public var bi: Matrix<T>

    /// A gate with the given weights.
    public init(wx: Matrix<T>, wh: Matrix<T>, b: Matrix<T>) {
        (wix, wih, bi) = (wx, wh, b)
    }

    /// The parameters by their names in the maths.
    public var parameters: [(name: String, path: WritableKeyPath<Self, Matrix<T>>)] {
        [("wix", \.wix), ("wih", \.wih), ("bi", \.bi)]
    }

    /// i(t) = σ(W_ix x(t) + W_ih h(t−1) + b_i)
    public func forward(x: Matrix<T>, prevH: Matrix<T>) -> (y: Matrix<T>, cache: GateMachinery.Cache<T>) {
        // BEGIN SOLUTION inputGate
        let (y, cache) = GateMachinery.forward(
            x: x, prevH: prevH, wx: wix, wh: wih, b: bi, activation: .sigmoid)
        return (y, cache)
        // END SOLUTION
    }

    /// Backward through σ, with ẑ the pre-activation: `dẑ = dI ⊙ i ⊙ (1 − i)`, then
    ///
    ///     dW_ix += dẑᵀ·x,   dW_ih += dẑᵀ·h(t−1),   db_i += Σ_rows dẑ
    ///     dX = dẑ·W_ix,     dPrevH = dẑ·W_ih
    ///
    /// Parameter gradients are added into `grads`; returns the gradients that flow on.
    public func backward(
        into grads: inout Self, _ dI: Matrix<T>, cache: GateMachinery.Cache<T>
    ) -> (dX: Matrix<T>, dPrevH: Matrix<T>) {
        // BEGIN SOLUTION inputGate
        GateMachinery.backward(
            dWx: &grads.wix, dWh: &grads.wih, dB: &grads.bi,
            dI, cache: cache, wx: wix, wh: wih, activation: .sigmoid)
        // END SOLUTION
    }
}
