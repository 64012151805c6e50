/// Equation (3), the forget gate:
///
///     f(t) = σ(W_fx x(t) + W_fh h(t−1) + b_f)
///
/// How much of the previous cell state is kept: σ keeps it in (0, 1). Initialising b_f to 1 starts the cell remembering, which lets gradients reach early time steps (a standard remedy for long sequences).
///
/// Shapes: `x` N×D, `h(t−1)` N×H, `wfx` H×D, `wfh` H×H, `bf` 1×H, `f` N×H.
/// See also: ``GateMachinery`` (the shared algebra), ``CellState`` (where f is used).
public struct ForgetGate<T: Real>: RecurrentGate {
    /// W_fx, H×D: how the input moves the gate.
    public var wfx: Matrix<T>
    /// W_fh, H×H: how the previous hidden state moves the gate.
    public var wfh: Matrix<T>
    /// b_f, 1×H.
    public var bf: Matrix<T>

    /// A gate with the given weights.
    public init(wx: Matrix<T>, wh: Matrix<T>, b: Matrix<T>) {
        (wfx, wfh, bf) = (wx, wh, b)
    }

    /// The parameters by their names in the maths.
    public var parameters: [(name: String, path: WritableKeyPath<Self, Matrix<T>>)] {
        [("wfx", \.wfx), ("wfh", \.wfh), ("bf", \.bf)]
    }

    /// f(t) = σ(W_fx x(t) + W_fh h(t−1) + b_f)
    public func forward(x: Matrix<T>, prevH: Matrix<T>) -> (y: Matrix<T>, cache: GateMachinery.Cache<T>) {
        let (y, cache) = GateMachinery.forward(
            x: x, prevH: prevH, wx: wfx, wh: wfh, b: bf, activation: .sigmoid)
        return (y, cache)
    }

    /// Backward through σ, with ẑ the pre-activation: `dẑ = dF ⊙ f ⊙ (1 − f)`, then
    ///
    ///     dW_fx += dẑᵀ·x,   dW_fh += dẑᵀ·h(t−1),   db_f += Σ_rows dẑ
    ///     dX = dẑ·W_fx,     dPrevH = dẑ·W_fh
    ///
    /// Parameter gradients are added into `grads`; returns the gradients that flow on.
    public func backward(
        into grads: inout Self, _ dF: Matrix<T>, cache: GateMachinery.Cache<T>
    ) -> (dX: Matrix<T>, dPrevH: Matrix<T>) {
        unimplemented("equation (3), forget gate f — backward")
    }
}
