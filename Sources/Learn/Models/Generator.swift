/// The GAN's generator G: noise z in, an image out, through named blocks.
///
///     h₀ = LeakyReLU(z·W₀ᵀ + b₀)                         the first block (no normalisation)
///     hₖ = LeakyReLU(BatchNorm(hₖ₋₁·Wₖᵀ + bₖ))            each hidden block
///     G(z) = tanh(h·Wᵀ + b)                              the output: pixels in (−1, 1)
///
/// The course template is z ∈ R¹⁰⁰ → 128 → 256 → 512 → 1024 → 784 (see
/// `GANArchitecture`). Parameters are named as PyTorch's `nn.Sequential` of the same
/// layers names them — `0.w`, `2.w`, `3.gamma`, …, `11.w` — which is how the reference
/// cases, checkpoints and a PyTorch student's state dictionary refer to them.
public struct Generator<T: Real>: Layer {
    /// The first block, z → h₀: Linear → LeakyReLU.
    public var input: DenseBlock<T>
    /// The hidden blocks, each Linear → BatchNorm → LeakyReLU.
    public var hidden: [NormalizedBlock<T>]
    /// The output layer, h → the image's pre-activation.
    public var output: Linear<T>
    /// tanh, which puts the pixels in (−1, 1) like the training images.
    public var squash = Tanh<T>()

    /// A generator of the given blocks.
    public init(input: DenseBlock<T>, hidden: [NormalizedBlock<T>], output: Linear<T>) {
        (self.input, self.hidden, self.output) = (input, hidden, output)
    }

    /// Every trainable matrix, named by its layer's place in PyTorch's numbering (each
    /// block is three layers, the first two: a linear layer and its activation).
    public var parameters: [(name: String, path: WritableKeyPath<Self, Matrix<T>>)] {
        var list = lift(\.input.linear, prefix: "0.")
        for k in hidden.indices {
            list += lift(\.hidden[k].linear, prefix: "\(2 + 3 * k).")
            list += lift(\.hidden[k].norm, prefix: "\(3 + 3 * k).")
        }
        return list + lift(\.output, prefix: "\(2 + 3 * hidden.count).")
    }

    /// The normalisations' running statistics, named like the parameters.
    public var buffers: [(name: String, path: WritableKeyPath<Self, Matrix<T>>)] {
        hidden.indices.flatMap { k in lift(\.hidden[k].norm, prefix: "\(3 + 3 * k).", buffers: true) }
    }

    /// Each block's cache, first to last.
    public struct Cache: Sendable {
        /// The first block's.
        public var input: DenseBlock<T>.Cache
        /// Each hidden block's, in order.
        public var hidden: [NormalizedBlock<T>.Cache]
        /// The output layer's input h.
        public var output: Matrix<T>
        /// The image G(z), which tanh′ = 1 − y² needs.
        public var squash: Matrix<T>
    }

    /// G(z): the blocks in order, then the output layer and tanh.
    public mutating func forward(_ z: Matrix<T>, mode: Mode) -> (y: Matrix<T>, cache: Cache) {
        var (h, inputCache) = input.forward(z, mode: mode)
        var hiddenCaches: [NormalizedBlock<T>.Cache] = []
        for k in hidden.indices {
            let (next, cache) = hidden[k].forward(h, mode: mode)
            (h, hiddenCaches) = (next, hiddenCaches + [cache])
        }
        let (a, outputCache) = output.forward(h, mode: mode)
        let (image, squashCache) = squash.forward(a, mode: mode)
        return (image, Cache(input: inputCache, hidden: hiddenCaches, output: outputCache, squash: squashCache))
    }

    /// The backward passes in reverse order, from ∂L/∂G(z) to ∂L/∂z; every parameter's
    /// gradient is added into `grads`.
    public func backward(into grads: inout Self, _ dY: Matrix<T>, cache: Cache) -> Matrix<T> {
        let dA = squash.backward(into: &grads.squash, dY, cache: cache.squash)
        var dH = output.backward(into: &grads.output, dA, cache: cache.output)
        for k in hidden.indices.reversed() {
            dH = hidden[k].backward(into: &grads.hidden[k], dH, cache: cache.hidden[k])
        }
        return input.backward(into: &grads.input, dH, cache: cache.input)
    }
}
