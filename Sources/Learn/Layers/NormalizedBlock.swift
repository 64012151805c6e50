/// One hidden block of the generator after its first:
///
///     y = LeakyReLU(BatchNorm(x·Wᵀ + b))
///
/// Forward runs the three layers in order; backward runs their backward passes in the
/// reverse order, each with its own cache. Shapes: `x` N×I, `y` N×O.
public struct NormalizedBlock<T: Real>: Layer {
    /// The affine map, I → O.
    public var linear: Linear<T>
    /// Batch normalisation over the O features.
    public var norm: BatchNorm<T>
    /// The activation, LeakyReLU(α).
    public var activation: LeakyReLU<T>

    /// A block of the given layers.
    public init(linear: Linear<T>, norm: BatchNorm<T>, activation: LeakyReLU<T>) {
        (self.linear, self.norm, self.activation) = (linear, norm, activation)
    }

    /// The trainable matrices: the linear layer's w and b, then the normalisation's γ and β.
    public var parameters: [(name: String, path: WritableKeyPath<Self, Matrix<T>>)] {
        lift(\.linear) + lift(\.norm)
    }

    /// The normalisation's running statistics.
    public var buffers: [(name: String, path: WritableKeyPath<Self, Matrix<T>>)] { lift(\.norm, buffers: true) }

    /// Each layer's cache, first to last.
    public struct Cache: Sendable {
        /// The linear layer's input x.
        public var linear: Matrix<T>
        /// The normalisation's x̂ and 1/√(σ² + ε).
        public var norm: BatchNorm<T>.Cache
        /// The activation's input.
        public var activation: Matrix<T>
    }

    /// The layers' forward passes in order (the normalisation's running statistics
    /// change while training).
    public mutating func forward(_ x: Matrix<T>, mode: Mode) -> (y: Matrix<T>, cache: Cache) {
        let (a, linearCache) = linear.forward(x, mode: mode)
        let (n, normCache) = norm.forward(a, mode: mode)
        let (y, activationCache) = activation.forward(n, mode: mode)
        return (y, Cache(linear: linearCache, norm: normCache, activation: activationCache))
    }

    /// The layers' backward passes in reverse order: ∂L/∂x, with ∂L/∂W, ∂L/∂b, ∂L/∂γ
    /// and ∂L/∂β added into `grads`.
    public func backward(into grads: inout Self, _ dY: Matrix<T>, cache: Cache) -> Matrix<T> {
        let dN = activation.backward(into: &grads.activation, dY, cache: cache.activation)
        let dA = norm.backward(into: &grads.norm, dN, cache: cache.norm)
        return linear.backward(into: &grads.linear, dA, cache: cache.linear)
    }
}
