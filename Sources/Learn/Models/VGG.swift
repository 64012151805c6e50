/// Assignment 2's CNN, a reduced VGG: "conv" blocks (``ConvBlock``: Conv2d 3×3, stride
/// 1, padding 1 → BatchNorm2d → ReLU), a max-pool (``MaxPool2d`` 3×3, stride 2, padding
/// 1) after some of them, then the maps flattened (``Flatten``) into one ``Linear``
/// layer that gives the class scores:
///
///     scores = Linear(Flatten(… Pool(Block₂(Pool(Block₁(x)))) …))
///
/// The course's network (`CNNOptions.courseWidths`, pooled after blocks 1, 2, 4, 6 and 8) takes
/// a 32×32×3 image to 64×32×32, 64×16×16, 128×16×16, 128×8×8, 256×8×8 twice, 256×4×4,
/// 512×4×4 twice, 512×2×2, 512×2×2 twice and 512×1×1: each pool halves the side,
/// ⌊(W − 3 + 2)/2⌋ + 1, and the Linear layer reads 512 numbers. Narrower widths make a
/// network of the same shape that trains in moments (tests, quick runs).
///
/// Shapes: `x` N×C×S×S, scores N×K.
public struct VGG<T: Real>: Parameterized {
    /// The conv blocks, in order.
    public var blocks: [ConvBlock<T>]
    /// The pool (it has no parameters: one serves every place it is used).
    public var pool = MaxPool2d<T>(kernelSize: 3, stride: 2, padding: 1)
    /// The indices of the blocks followed by a pool.
    public let pooledAfter: Set<Int>
    /// The last layer: flattened maps → K scores.
    public var output: Linear<T>
    /// The flatten between the last block (or pool) and ``output``.
    public let flatten = Flatten<T>()

    /// A freshly initialised network for `channels`×`side`×`side` images and `classes`
    /// classes, with a block per width and a pool after the blocks `pooledAfter` names.
    public init(
        channels: Int, side: Int, widths: [Int] = CNNOptions.courseWidths,
        pooledAfter: Set<Int> = CNNOptions.coursePools,
        classes: Int, using random: inout SeededGenerator
    ) {
        ensure(!widths.isEmpty && widths.allSatisfy { $0 > 0 }, "a VGG needs positive widths, got \(widths)")
        ensure(channels > 0 && side > 0 && classes >= 2, "a VGG needs channels, a side and 2+ classes")
        ensure(
            pooledAfter.allSatisfy { widths.indices.contains($0) },
            "VGG: pools after blocks \(pooledAfter.sorted()), but there are only \(widths.count) blocks")
        var blocks: [ConvBlock<T>] = []
        var (inputs, outputSide) = (channels, side)
        for (k, width) in widths.enumerated() {
            blocks.append(ConvBlock(inputChannels: inputs, outputChannels: width, using: &random))
            if pooledAfter.contains(k) { outputSide = (outputSide - 3 + 2) / 2 + 1 }
            inputs = width
        }
        (self.blocks, self.pooledAfter) = (blocks, pooledAfter)
        output = Linear(inputs: inputs * outputSide * outputSide, outputs: classes, using: &random)
    }

    /// Every block's parameters (`0.conv.w`, …, `7.norm.beta`), then `output.w`, `output.b`.
    public var parameters: [(name: String, path: WritableKeyPath<Self, Matrix<T>>)] {
        blocks.indices.flatMap { lift(\.blocks[$0], prefix: "\($0).") } + lift(\.output, prefix: "output.")
    }

    /// Every block's running statistics.
    public var buffers: [(name: String, path: WritableKeyPath<Self, Matrix<T>>)] {
        blocks.indices.flatMap { lift(\.blocks[$0], prefix: "\($0).", buffers: true) }
    }

    /// What the backward pass needs: each block's cache, each pool's, the flatten's and
    /// the output layer's input.
    public struct Cache: Sendable {
        /// One per block.
        public var blocks: [ConvBlock<T>.Cache]
        /// One per pool, by the index of the block before it.
        public var pools: [Int: MaxPool2d<T>.Cache]
        /// The maps' shape before the flatten.
        public var flatten: Flatten<T>.Cache
        /// The flattened maps, the output layer's input.
        public var features: Matrix<T>
    }

    /// scores = the network applied to `x`.
    public mutating func forward(_ x: FeatureMaps<T>, mode: Mode) -> (scores: Matrix<T>, cache: Cache) {
        var (blockCaches, poolCaches) = ([ConvBlock<T>.Cache](), [Int: MaxPool2d<T>.Cache]())
        var a = x
        for k in blocks.indices {
            let (y, blockCache) = blocks[k].forward(a, mode: mode)
            blockCaches.append(blockCache)
            a = y
            if pooledAfter.contains(k) {
                let (pooled, poolCache) = pool.forward(a, mode: mode)
                poolCaches[k] = poolCache
                a = pooled
            }
        }
        let (features, flattenCache) = flatten.forward(a)
        let cache = Cache(blocks: blockCaches, pools: poolCaches, flatten: flattenCache, features: features)
        return (output.forward(features, mode: mode).y, cache)
    }

    /// ∂L/∂x from ∂L/∂scores, the layers in reverse, each adding its parameter
    /// gradients into `grads`.
    public func backward(into grads: inout Self, _ dScores: Matrix<T>, cache: Cache) -> FeatureMaps<T> {
        let dFeatures = output.backward(into: &grads.output, dScores, cache: cache.features)
        var d = flatten.backward(dFeatures, cache: cache.flatten)
        var noParameters = pool
        for k in blocks.indices.reversed() {
            if let poolCache = cache.pools[k] { d = pool.backward(into: &noParameters, d, cache: poolCache) }
            d = blocks[k].backward(into: &grads.blocks[k], d, cache: cache.blocks[k])
        }
        return d
    }
}
