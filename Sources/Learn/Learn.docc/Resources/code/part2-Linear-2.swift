/// A fully connected layer, `y = x·Wᵀ + b` — the affine map of ``Affine`` with its
/// own weights. Shapes: `x` N×I, `w` O×I, `b` 1×O, `y` N×O.
///
/// Initialised as PyTorch's `nn.Linear`: W and b uniform in ±1/√I.
/// See also: ``Prediction`` (the same map, named for equation 7).
public struct Linear<T: Real>: Layer {
    /// W, O×I.
    public var w: Matrix<T>
    /// b, 1×O.
    public var b: Matrix<T>

    /// A layer with the given weights.
    public init(w: Matrix<T>, b: Matrix<T>) {
        ensure(b.rows == 1 && b.columns == w.rows, "Linear: b must be 1×\(w.rows), got \(b.shapeDescription)")
        (self.w, self.b) = (w, b)
    }

    /// A freshly initialised `inputs → outputs` layer.
    public init(inputs: Int, outputs: Int, using generator: inout SeededGenerator) {
        ensure(inputs > 0 && outputs > 0, "Linear sizes must be positive: \(inputs) → \(outputs)")
        let bound = 1 / T.sqrt(T(inputs))
        self.init(
            w: .uniform(rows: outputs, columns: inputs, bound: bound, using: &generator),
            b: .uniform(rows: 1, columns: outputs, bound: bound, using: &generator))
    }

    /// The trainable matrices, w and b, by the names a checkpoint gives them.
    public var parameters: [(name: String, path: WritableKeyPath<Self, Matrix<T>>)] {
        [("w", \.w), ("b", \.b)]
    }

    /// y = x·Wᵀ + b. The cache is the input, which the weight gradient needs.
    public mutating func forward(_ x: Matrix<T>, mode: Mode) -> (y: Matrix<T>, cache: Matrix<T>) {
        ensure(x.columns == w.columns, "Linear expects N×\(w.columns) input, got \(x.shapeDescription)")
        return (Affine.forward(x, w, b), x)
    }

    /// dW += dYᵀ·x, db += Σ_rows dY, dX = dY·W (derivation in ``Affine``).
    public func backward(into grads: inout Self, _ dY: Matrix<T>, cache x: Matrix<T>) -> Matrix<T> {
        Affine.backward(dW: &grads.w, dB: &grads.b, dY, x: x, w: w)
    }

    /// ``backward(into:_:cache:)`` without ∂L/∂x, for a first layer whose input is data.
    public func parameterGradients(into grads: inout Self, _ dY: Matrix<T>, cache x: Matrix<T>) {
        Affine.parameterGradients(dW: &grads.w, dB: &grads.b, dY, x: x)
    }

    /// ∂L/∂x alone, for when the weights are not being trained.
    public func inputGradient(_ dY: Matrix<T>) -> Matrix<T> {
        Affine.inputGradient(dY, w: w)
    }
}
