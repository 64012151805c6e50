/// One "conv" block of Assignment 2's reduced VGG: a 3×3 convolution that keeps the
/// image size, batch normalisation per channel, then ReLU —
///
///     y = ReLU(BatchNorm2d(Conv2d(x)))      (Conv2d 3×3, stride 1, padding 1)
///
/// PyTorch's `nn.Sequential(nn.Conv2d(C_in, C_out, 3, 1, 1), nn.BatchNorm2d(C_out),
/// nn.ReLU())`. Padding 1 keeps H and W: W₂ = (W₁ − 3 + 2·1)/1 + 1 = W₁.
/// Shapes: `x` N×C_in×H×W, `y` N×C_out×H×W.
///
/// See also: ``VGG``, made of these and of ``MaxPool2d``; ``NormalizedBlock``, the same
/// chain on rows.
public struct ConvBlock<T: Real>: FeatureMapLayer {
    /// The 3×3 convolution, C_in → C_out.
    public var conv: Conv2d<T>
    /// Batch normalisation over each of the C_out channels.
    public var norm: BatchNorm2d<T>
    /// max(0, ·), elementwise.
    public var activation = ReLU<T>()

    /// A freshly initialised `inputChannels → outputChannels` block (PyTorch's defaults).
    public init(inputChannels: Int, outputChannels: Int, using generator: inout SeededGenerator) {
        conv = Conv2d(
            inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: 3, stride: 1, padding: 1,
            using: &generator)
        norm = BatchNorm2d(channels: outputChannels)
    }

    /// The trainable matrices: the convolution's `conv.w`, `conv.b`, the norm's
    /// `norm.gamma`, `norm.beta`.
    public var parameters: [(name: String, path: WritableKeyPath<Self, Matrix<T>>)] {
        lift(\.conv, prefix: "conv.") + lift(\.norm, prefix: "norm.")
    }

    /// The norm's running statistics.
    public var buffers: [(name: String, path: WritableKeyPath<Self, Matrix<T>>)] {
        lift(\.norm, prefix: "norm.", buffers: true)
    }

    /// What each of the three steps needs for its backward pass.
    public struct Cache: Sendable {
        /// The convolution's patches and window.
        public var conv: Conv2d<T>.Cache
        /// The norm's x̂ and 1/σ.
        public var norm: BatchNorm2d<T>.Cache
        /// ReLU's input (the normalised maps, as rows).
        public var activation: Matrix<T>
    }

    /// y = ReLU(BatchNorm2d(Conv2d(x))). ReLU reads the maps as rows of numbers: it acts
    /// on each number alone, so the layout does not matter to it.
    public mutating func forward(_ x: FeatureMaps<T>, mode: Mode) -> (y: FeatureMaps<T>, cache: Cache) {
        let (a, convCache) = conv.forward(x, mode: mode)
        let (n, normCache) = norm.forward(a, mode: mode)
        let (r, activationCache) = activation.forward(n.flattened(), mode: mode)
        let y = FeatureMaps(unflattening: r, channels: n.channels, height: n.height, width: n.width)
        return (y, Cache(conv: convCache, norm: normCache, activation: activationCache))
    }

    /// The chain rule through the three steps, last first.
    public func backward(into grads: inout Self, _ dY: FeatureMaps<T>, cache: Cache) -> FeatureMaps<T> {
        var reluGradients = grads.activation  // empty: ReLU learns nothing
        let dN = activation.backward(into: &reluGradients, dY.flattened(), cache: cache.activation)
        let dA = norm.backward(
            into: &grads.norm, FeatureMaps(unflattening: dN, channels: dY.channels, height: dY.height, width: dY.width),
            cache: cache.norm)
        return conv.backward(into: &grads.conv, dA, cache: cache.conv)
    }
}
