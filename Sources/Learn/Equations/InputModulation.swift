/// Equation (1), the input modulation:
///
///     g(t) = tanh(W_gx x(t) + W_gh h(t−1) + b_g)
///
/// The candidate values that may be written into the cell: tanh keeps them in (−1, 1) with either sign.
///
/// Shapes: `x` N×D, `h(t−1)` N×H, `wgx` H×D, `wgh` H×H, `bg` 1×H, `g` N×H.
/// See also: ``GateMachinery`` (the shared algebra), ``CellState`` (where g is used).
public struct InputModulation<T: Real>: RecurrentGate {
    /// W_gx, H×D: how the input moves the gate.
    public var wgx: Matrix<T>
    /// W_gh, H×H: how the previous hidden state moves the gate.
    public var wgh: Matrix<T>
    /// b_g, 1×H.
    public var bg: Matrix<T>

    /// A gate with the given weights.
    public init(wx: Matrix<T>, wh: Matrix<T>, b: Matrix<T>) {
        (wgx, wgh, bg) = (wx, wh, b)
    }

    /// The parameters by their names in the maths.
    public var parameters: [(name: String, path: WritableKeyPath<Self, Matrix<T>>)] {
        [("wgx", \.wgx), ("wgh", \.wgh), ("bg", \.bg)]
    }

    /// g(t) = tanh(W_gx x(t) + W_gh h(t−1) + b_g)
    public func forward(x: Matrix<T>, prevH: Matrix<T>) -> (y: Matrix<T>, cache: GateMachinery.Cache<T>) {
        // BEGIN SOLUTION inputModulation
        let (y, cache) = GateMachinery.forward(
            x: x, prevH: prevH, wx: wgx, wh: wgh, b: bg, activation: .tanh)
        return (y, cache)
        // END SOLUTION
    }

    /// Backward through tanh, with ẑ the pre-activation: `dẑ = dG ⊙ (1 − g²)`, then
    ///
    ///     dW_gx += dẑᵀ·x,   dW_gh += dẑᵀ·h(t−1),   db_g += Σ_rows dẑ
    ///     dX = dẑ·W_gx,     dPrevH = dẑ·W_gh
    ///
    /// Parameter gradients are added into `grads`; returns the gradients that flow on.
    public func backward(
        into grads: inout Self, _ dG: Matrix<T>, cache: GateMachinery.Cache<T>
    ) -> (dX: Matrix<T>, dPrevH: Matrix<T>) {
        // BEGIN SOLUTION inputModulation
        GateMachinery.backward(
            dWx: &grads.wgx, dWh: &grads.wgh, dB: &grads.bg,
            dG, cache: cache, wx: wgx, wh: wgh, activation: .tanh)
        // END SOLUTION
    }
}
