/// Equation (5), the cell state — the LSTM's memory:
///
///     c(t) = g(t) ⊙ i(t) + c(t−1) ⊙ f(t)
///
/// New content g, admitted by the input gate i, is added to the old memory, kept by
/// the forget gate f. Because c(t−1) reaches c(t) through a product with f alone (no
/// squashing, no weight matrix), with f ≈ 1 the gradient flows back over many steps
/// almost unchanged: this is what lets the LSTM remember where the RNN forgets.
///
/// Shapes: every operand N×H. See also: ``HiddenState`` (which reads c), the gates.
public enum CellState {
    /// What the backward pass needs: the four operands of the forward pass.
    public struct Cache<T: Real>: Sendable {
        /// g(t), N×H: ∂c/∂i = g.
        public var g: Matrix<T>
        /// i(t), N×H: ∂c/∂g = i.
        public var i: Matrix<T>
        /// f(t), N×H: ∂c/∂c(t−1) = f.
        public var f: Matrix<T>
        /// c(t−1), N×H: ∂c/∂f = c(t−1).
        public var prevC: Matrix<T>
    }

    /// c(t) = g ⊙ i + c(t−1) ⊙ f
    public static func forward<T>(
        g: Matrix<T>, i: Matrix<T>, f: Matrix<T>, prevC: Matrix<T>
    ) -> (c: Matrix<T>, cache: Cache<T>) {
        unimplemented("equation (5), cell state c — forward")
    }

    /// The gradients that flow back through equation (5).
    public struct Gradients<T: Real>: Sendable {
        /// ∂L/∂g(t) = ∂L/∂c(t) ⊙ i(t), N×H.
        public var dG: Matrix<T>
        /// ∂L/∂i(t) = ∂L/∂c(t) ⊙ g(t), N×H.
        public var dI: Matrix<T>
        /// ∂L/∂f(t) = ∂L/∂c(t) ⊙ c(t−1), N×H.
        public var dF: Matrix<T>
        /// ∂L/∂c(t−1) = ∂L/∂c(t) ⊙ f(t), N×H: the path the memory's gradient takes back.
        public var dPrevC: Matrix<T>
    }

    /// Each product rule gives one term (elementwise, so no sums appear):
    ///
    ///     ∂c/∂g = i   ⇒  dG = dC ⊙ i
    ///     ∂c/∂i = g   ⇒  dI = dC ⊙ g
    ///     ∂c/∂f = c(t−1) ⇒ dF = dC ⊙ c(t−1)
    ///     ∂c/∂c(t−1) = f ⇒ dPrevC = dC ⊙ f
    public static func backward<T>(_ dC: Matrix<T>, cache: Cache<T>) -> Gradients<T> {
        unimplemented("equation (5), cell state c — backward")
    }
}
