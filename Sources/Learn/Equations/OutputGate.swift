/// Equation (4), the output gate:
///
///     o(t) = σ(W_ox x(t) + W_oh h(t−1) + b_o)
///
/// How much of the squashed cell state tanh(c(t)) is shown as the hidden state: σ keeps it in (0, 1).
///
/// Shapes: `x` N×D, `h(t−1)` N×H, `wox` H×D, `woh` H×H, `bo` 1×H, `o` N×H.
/// See also: ``GateMachinery`` (the shared algebra), ``HiddenState`` (where o is used).
public struct OutputGate<T: Real>: RecurrentGate {
    /// W_ox, H×D: how the input moves the gate.
    public var wox: Matrix<T>
    /// W_oh, H×H: how the previous hidden state moves the gate.
    public var woh: Matrix<T>
    /// b_o, 1×H.
    public var bo: Matrix<T>

    /// A gate with the given weights.
    public init(wx: Matrix<T>, wh: Matrix<T>, b: Matrix<T>) {
        (wox, woh, bo) = (wx, wh, b)
    }

    /// The parameters by their names in the maths.
    public var parameters: [(name: String, path: WritableKeyPath<Self, Matrix<T>>)] {
        [("wox", \.wox), ("woh", \.woh), ("bo", \.bo)]
    }

    /// o(t) = σ(W_ox x(t) + W_oh h(t−1) + b_o)
    public func forward(x: Matrix<T>, prevH: Matrix<T>) -> (y: Matrix<T>, cache: GateMachinery.Cache<T>) {
        // BEGIN SOLUTION outputGate
        let (y, cache) = GateMachinery.forward(
            x: x, prevH: prevH, wx: wox, wh: woh, b: bo, activation: .sigmoid)
        return (y, cache)
        // END SOLUTION
    }

    /// Backward through σ, with ẑ the pre-activation: `dẑ = dO ⊙ o ⊙ (1 − o)`, then
    ///
    ///     dW_ox += dẑᵀ·x,   dW_oh += dẑᵀ·h(t−1),   db_o += Σ_rows dẑ
    ///     dX = dẑ·W_ox,     dPrevH = dẑ·W_oh
    ///
    /// Parameter gradients are added into `grads`; returns the gradients that flow on.
    public func backward(
        into grads: inout Self, _ dO: Matrix<T>, cache: GateMachinery.Cache<T>
    ) -> (dX: Matrix<T>, dPrevH: Matrix<T>) {
        // BEGIN SOLUTION outputGate
        GateMachinery.backward(
            dWx: &grads.wox, dWh: &grads.woh, dB: &grads.bo,
            dO, cache: cache, wx: wox, wh: woh, activation: .sigmoid)
        // END SOLUTION
    }
}
