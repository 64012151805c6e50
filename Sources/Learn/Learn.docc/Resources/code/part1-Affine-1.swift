/// The affine map every equation in Learn is built on: `y = x·Wᵀ + b`.
///
/// In the spec's column-vector notation this is `y = W x + b`; with a batch stored one
/// example per row it becomes `Y = X Wᵀ + b`. Shapes: `x` N×D, `W` H×D (PyTorch's
/// layout, output × input), `b` 1×H, `y` N×H.
///
/// See also: ``GateMachinery`` (two affine maps and an activation), ``Prediction``.
public enum Affine {
    /// y = x·Wᵀ + b
    public static func forward<T>(_ x: Matrix<T>, _ w: Matrix<T>, _ b: Matrix<T>) -> Matrix<T> {
        // Start from the bias in every row and accumulate the product onto it.
        var y = Matrix(rows: x.rows, repeatingRow: b)
        y.addProduct(x, w, transposeB: true)
        return y
    }

    /// The vector–Jacobian product of ``forward(_:_:_:)``.
    ///
    /// With `dY = ∂L/∂y` (N×H) and `y_nh = Σ_d x_nd W_hd + b_h`:
    /// - `∂L/∂x_nd = Σ_h dY_nh W_hd`, so `dX = dY·W` (N×D);
    /// - `∂L/∂W_hd = Σ_n dY_nh x_nd`, so `dW += dYᵀ·x` (H×D);
    /// - `∂L/∂b_h = Σ_n dY_nh`, so `dB += Σ_rows dY` (1×H).
    ///
    /// Parameter gradients are *added* to `dW` and `dB`, so a weight used at every time
    /// step collects its gradient over the whole sequence. Returns `dX`.
    ///
    /// The two halves are also available alone: ``parameterGradients(dW:dB:_:x:)``
    /// when the input is data and nothing needs `dX`, ``inputGradient(_:w:)`` when the
    /// weights are not being trained.
    public static func backward<T>(
        dW: inout Matrix<T>, dB: inout Matrix<T>,
        _ dY: Matrix<T>, x: Matrix<T>, w: Matrix<T>
    ) -> Matrix<T> {
        parameterGradients(dW: &dW, dB: &dB, dY, x: x)
        return inputGradient(dY, w: w)
    }

    /// `dW += dYᵀ·x` and `dB += Σ_rows dY`: the parameter half of ``backward(dW:dB:_:x:w:)``.
    public static func parameterGradients<T>(
        dW: inout Matrix<T>, dB: inout Matrix<T>, _ dY: Matrix<T>, x: Matrix<T>
    ) {
        unimplemented("the affine map y = x·Wᵀ + b — parameterGradients")
    }

    /// `dX = dY·W`: the input half of ``backward(dW:dB:_:x:w:)``.
    public static func inputGradient<T>(_ dY: Matrix<T>, w: Matrix<T>) -> Matrix<T> {
        unimplemented("the affine map y = x·Wᵀ + b — inputGradient")
    }
}
