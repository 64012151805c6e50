/// Equation (6), the hidden state — what the LSTM shows of its memory:
///
///     h(t) = tanh(c(t)) ⊙ o(t)
///
/// Shapes: `c`, `o`, `h` N×H. See also: ``CellState``, ``OutputGate``, ``Prediction``.
public enum HiddenState {
    /// What the backward pass needs: tanh(c) (so tanh′ = 1 − tanh² is free) and o.
    public struct Cache<T: Real>: Sendable {
        /// tanh(c(t)), N×H: ∂h/∂o = tanh(c), and tanh′(c) = 1 − tanh²(c) from it.
        public var tanhC: Matrix<T>
        /// o(t), N×H: ∂h/∂c = o ⊙ (1 − tanh²(c)).
        public var o: Matrix<T>
    }

    /// h(t) = tanh(c(t)) ⊙ o(t)
    public static func forward<T>(c: Matrix<T>, o: Matrix<T>) -> (h: Matrix<T>, cache: Cache<T>) {
        let tanhC = c.tanh()
        return (tanhC * o, Cache(tanhC: tanhC, o: o))
    }

    /// The gradients that flow back through equation (6).
    public struct Gradients<T: Real>: Sendable {
        /// ∂L/∂c(t) = ∂L/∂h(t) ⊙ o ⊙ (1 − tanh²(c)), N×H: this step's share only.
        public var dC: Matrix<T>
        /// ∂L/∂o(t) = ∂L/∂h(t) ⊙ tanh(c), N×H.
        public var dO: Matrix<T>
    }

    /// Product rule, then the chain rule through tanh:
    ///
    ///     ∂h/∂o = tanh(c)               ⇒  dO = dH ⊙ tanh(c)
    ///     ∂h/∂c = o ⊙ (1 − tanh²(c))    ⇒  dC = dH ⊙ o ⊙ (1 − tanh²(c))
    ///
    /// `dC` is only this step's share: the model adds the share that arrives from
    /// c(t+1) through equation (5).
    public static func backward<T>(_ dH: Matrix<T>, cache: Cache<T>) -> Gradients<T> {
        unimplemented("equation (6), hidden state h — backward")
    }
}
