/// One hidden block of the discriminator, and the generator's first:
///
///     y = dropout(LeakyReLU(x·Wᵀ + b))        (dropout only when the block has one)
///
/// Forward runs the three layers in order; backward runs their backward passes in the
/// reverse order, each with its own cache. Shapes: `x` N×I, `y` N×O.
public struct DenseBlock<T: Real>: Layer {
    /// The affine map, I → O.
    public var linear: Linear<T>
    /// The activation, LeakyReLU(α).
    public var activation: LeakyReLU<T>
    /// Dropout after the activation, or nil for none.
    public var dropout: Dropout<T>?

    /// A block of the given layers.
    public init(linear: Linear<T>, activation: LeakyReLU<T>, dropout: Dropout<T>? = nil) {
        (self.linear, self.activation, self.dropout) = (linear, activation, dropout)
    }

    /// The trainable matrices: the linear layer's w and b.
    public var parameters: [(name: String, path: WritableKeyPath<Self, Matrix<T>>)] { lift(\.linear) }

    /// Each layer's cache, first to last.
    public struct Cache: Sendable {
        /// The linear layer's input x.
        public var linear: Matrix<T>
        /// The activation's input.
        public var activation: Matrix<T>
        /// Dropout's mask (nil without dropout, or nothing dropped).
        public var dropout: Matrix<T>?
    }

    /// The layers' forward passes in order.
    public mutating func forward(_ x: Matrix<T>, mode: Mode) -> (y: Matrix<T>, cache: Cache) {
        let (a, linearCache) = linear.forward(x, mode: mode)
        var (y, activationCache) = activation.forward(a, mode: mode)
        var mask: Matrix<T>?
        if var layer = dropout {
            (y, mask) = layer.forward(y, mode: mode)
            dropout = layer  // its generator has advanced
        }
        return (y, Cache(linear: linearCache, activation: activationCache, dropout: mask))
    }

    /// The layers' backward passes in reverse order: ∂L/∂x, with ∂L/∂W and ∂L/∂b added
    /// into `grads`.
    public func backward(into grads: inout Self, _ dY: Matrix<T>, cache: Cache) -> Matrix<T> {
        let dA = activation.backward(into: &grads.activation, dropped(dY, cache: cache), cache: cache.activation)
        return linear.backward(into: &grads.linear, dA, cache: cache.linear)
    }

    /// The parameter gradients alone, for a block whose input is data: ∂L/∂x, which
    /// nothing needs, is not computed (for the discriminator's 784-wide input, a third
    /// of the work of its backward pass).
    public func parameterGradients(into grads: inout Self, _ dY: Matrix<T>, cache: Cache) {
        let dA = activation.backward(into: &grads.activation, dropped(dY, cache: cache), cache: cache.activation)
        linear.parameterGradients(into: &grads.linear, dA, cache: cache.linear)
    }

    /// ∂L/∂x alone, for when the weights are not being trained.
    public func inputGradient(_ dY: Matrix<T>, cache: Cache) -> Matrix<T> {
        var scratch = activation  // no parameters: nothing is added to it
        return linear.inputGradient(
            activation.backward(into: &scratch, dropped(dY, cache: cache), cache: cache.activation))
    }

    /// dY through dropout's backward pass, when the block has one.
    func dropped(_ dY: Matrix<T>, cache: Cache) -> Matrix<T> {
        guard let layer = dropout else { return dY }
        var scratch = layer
        return layer.backward(into: &scratch, dY, cache: cache.dropout)
    }
}
