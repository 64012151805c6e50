/// Equation (7), the prediction scores (logits) read off the hidden state:
///
///     p(t) = W_ph h(t) + b_p
///
/// Shapes: `h` N×H, `wph` K×H, `bp` 1×K, `p` N×K. Only the last step's scores are used
/// (the loss is on the last digit). See also: ``SoftmaxCrossEntropy``, ``Affine``.
public struct Prediction<T: Real>: Parameterized {
    /// W_ph, K×H.
    public var wph: Matrix<T>
    /// b_p, 1×K.
    public var bp: Matrix<T>

    /// A prediction layer with the given weights.
    public init(wph: Matrix<T>, bp: Matrix<T>) {
        (self.wph, self.bp) = (wph, bp)
    }

    /// Initialised as PyTorch's `nn.Linear(H, K)`: uniform in ±1/√H.
    public init(hiddenSize: Int, classes: Int, using generator: inout SeededGenerator) {
        let bound = 1 / T.sqrt(T(hiddenSize))
        self.init(
            wph: .uniform(rows: classes, columns: hiddenSize, bound: bound, using: &generator),
            bp: .uniform(rows: 1, columns: classes, bound: bound, using: &generator))
    }

    /// The parameters by their names in the maths.
    public var parameters: [(name: String, path: WritableKeyPath<Self, Matrix<T>>)] {
        [("wph", \.wph), ("bp", \.bp)]
    }

    /// p = W_ph h + b_p
    public func forward(h: Matrix<T>) -> Matrix<T> {
        // BEGIN SOLUTION prediction
        Affine.forward(h, wph, bp)
        // END SOLUTION
    }

    /// dW_ph += dPᵀ·h, db_p += Σ_rows dP, and returns dH = dP·W_ph (see ``Affine``).
    public func backward(into grads: inout Self, _ dP: Matrix<T>, h: Matrix<T>) -> Matrix<T> {
        // BEGIN SOLUTION prediction
        Affine.backward(dW: &grads.wph, dB: &grads.bp, dP, x: h, w: wph)
        // END SOLUTION
    }
}
