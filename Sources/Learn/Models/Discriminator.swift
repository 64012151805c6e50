/// The GAN's discriminator D: an image in, one *logit* ℓ out, through named blocks.
///
///     hₖ = dropout(LeakyReLU(hₖ₋₁·Wₖᵀ + bₖ))        each hidden block (h₋₁ = x)
///     ℓ = h·Wᵀ + b                                  D(x) = σ(ℓ), taken inside the losses
///
/// The course template is 784 → 512 → 256 → 1 (see `GANArchitecture`); the balanced
/// variant adds dropout to each block. Parameters are named as PyTorch's
/// `nn.Sequential` of the same layers names them — `0.w`, `2.w`, `4.w` without dropout,
/// `0.w`, `3.w`, `6.w` with it.
///
/// Its loss needs ∂L/∂θ for D's step and ∂L/∂x for G's step, never both: beside the
/// full ``backward(into:_:cache:)``, ``parameterGradients(into:_:cache:)`` skips
/// ∂L/∂x and ``inputGradient(_:cache:)`` skips ∂L/∂θ, each about a third to a half of
/// the work.
public struct Discriminator<T: Real>: Layer {
    /// The hidden blocks, each Linear → LeakyReLU [→ Dropout].
    public var hidden: [DenseBlock<T>]
    /// The output layer, h → ℓ.
    public var output: Linear<T>

    /// A discriminator of the given blocks.
    public init(hidden: [DenseBlock<T>], output: Linear<T>) {
        (self.hidden, self.output) = (hidden, output)
    }

    /// How many of PyTorch's layers a block is: Linear and LeakyReLU, and Dropout when
    /// the blocks have it.
    var blockLength: Int { hidden.contains { $0.dropout != nil } ? 3 : 2 }

    /// PyTorch's number of block k's dropout layer, which names its mask generator in a
    /// checkpoint.
    public func dropoutLayerNumber(ofBlock k: Int) -> Int { blockLength * k + 2 }

    /// Every trainable matrix, named by its layer's place in PyTorch's numbering.
    public var parameters: [(name: String, path: WritableKeyPath<Self, Matrix<T>>)] {
        hidden.indices.flatMap { k in lift(\.hidden[k].linear, prefix: "\(blockLength * k).") }
            + lift(\.output, prefix: "\(blockLength * hidden.count).")
    }

    /// Each block's cache, first to last.
    public struct Cache: Sendable {
        /// Each hidden block's, in order.
        public var hidden: [DenseBlock<T>.Cache]
        /// The output layer's input h.
        public var output: Matrix<T>
    }

    /// ℓ(x): the blocks in order, then the output layer.
    public mutating func forward(_ x: Matrix<T>, mode: Mode) -> (y: Matrix<T>, cache: Cache) {
        var h = x
        var caches: [DenseBlock<T>.Cache] = []
        for k in hidden.indices {
            let (next, cache) = hidden[k].forward(h, mode: mode)
            (h, caches) = (next, caches + [cache])
        }
        let (logits, outputCache) = output.forward(h, mode: mode)
        return (logits, Cache(hidden: caches, output: outputCache))
    }

    /// The backward passes in reverse order, from ∂L/∂ℓ to ∂L/∂x; every parameter's
    /// gradient is added into `grads`.
    public func backward(into grads: inout Self, _ dY: Matrix<T>, cache: Cache) -> Matrix<T> {
        var dH = output.backward(into: &grads.output, dY, cache: cache.output)
        for k in hidden.indices.reversed() {
            dH = hidden[k].backward(into: &grads.hidden[k], dH, cache: cache.hidden[k])
        }
        return dH
    }

    /// The parameter gradients alone, for D's step, whose input is data: the same as
    /// ``backward(into:_:cache:)`` without the first block's ∂L/∂x.
    public func parameterGradients(into grads: inout Self, _ dY: Matrix<T>, cache: Cache) {
        var dH = output.backward(into: &grads.output, dY, cache: cache.output)
        for k in hidden.indices.dropFirst().reversed() {
            dH = hidden[k].backward(into: &grads.hidden[k], dH, cache: cache.hidden[k])
        }
        if let first = hidden.indices.first {
            hidden[first].parameterGradients(into: &grads.hidden[first], dH, cache: cache.hidden[first])
        }
    }

    /// ∂L/∂x alone, for G's step, which differentiates through D without training it.
    public func inputGradient(_ dY: Matrix<T>, cache: Cache) -> Matrix<T> {
        var dH = output.inputGradient(dY)
        for k in hidden.indices.reversed() {
            dH = hidden[k].inputGradient(dH, cache: cache.hidden[k])
        }
        return dH
    }
}
