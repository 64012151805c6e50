/// The machinery equations (1)–(4) share, and the vanilla RNN's hidden state reuses:
///
///     y = φ(W_x x(t) + W_h h(t−1) + b)        φ = σ or tanh
///
/// Shapes: `x` N×D, `h(t−1)` N×H, `W_x` H×D, `W_h` H×H, `b` 1×H, `y` N×H.
/// Each gate file (``InputModulation``, ``InputGate``, ``ForgetGate``, ``OutputGate``)
/// names its own weights after the maths and forwards here, so the algebra is written
/// once.
public enum GateMachinery {
    /// What the backward pass needs from the forward pass.
    public struct Cache<T: Real>: Sendable {
        /// The input x(t), N×D.
        public var x: Matrix<T>
        /// The previous hidden state h(t−1), N×H.
        public var prevH: Matrix<T>
        /// The gate's output y, N×H (its derivative is a function of it).
        public var y: Matrix<T>
    }

    /// y = φ(W_x x + W_h h(t−1) + b)
    public static func forward<T>(
        x: Matrix<T>, prevH: Matrix<T>,
        wx: Matrix<T>, wh: Matrix<T>, b: Matrix<T>, activation: Activation
    ) -> (y: Matrix<T>, cache: Cache<T>) {
        var y = Affine.forward(x, wx, b)
        y.addProduct(prevH, wh, transposeB: true)
        activation.apply(to: &y)  // y held z until here
        return (y, Cache(x: x, prevH: prevH, y: y))
    }

    /// Backward: first through φ, then through the two affine maps.
    ///
    ///     dZ      = dY ⊙ φ′                 (φ′ from the cached y)
    ///     dX      = dZ·W_x,   dW_x += dZᵀ·x
    ///     dPrevH  = dZ·W_h,   dW_h += dZᵀ·h(t−1)
    ///     db     += Σ_rows dZ
    ///
    /// The bias appears once in the forward pass, so only one of the two affine
    /// backward passes collects its gradient.
    public static func backward<T>(
        dWx: inout Matrix<T>, dWh: inout Matrix<T>, dB: inout Matrix<T>,
        _ dY: Matrix<T>, cache: Cache<T>, wx: Matrix<T>, wh: Matrix<T>, activation: Activation
    ) -> (dX: Matrix<T>, dPrevH: Matrix<T>) {
        let dZ = activation.backward(dY, output: cache.y)
        let dX = Affine.backward(dW: &dWx, dB: &dB, dZ, x: cache.x, w: wx)
        dWh.addProduct(dZ, cache.prevH, transposeA: true)
        let dPrevH = Matrix.product(dZ, wh)
        return (dX, dPrevH)
    }
}
