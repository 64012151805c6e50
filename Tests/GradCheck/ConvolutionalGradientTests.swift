import Learn
import LearnTesting
import Testing

/// Finite differences for Assignment 2's CNN layers: every parameter and the input, in
/// Double, relative error ≤ 1e-6, through s = Σ R ⊙ layer(x) with a seeded R.
@Suite("Gradient checks: CNN layers")
struct ConvolutionalGradientTests {
    /// Learn's image-layer check, R seeded.
    func check<L: FeatureMapLayer<Double>>(
        _ layer: L, at x: FeatureMaps<Double>, mode: Mode = .training
    ) -> [GradientCheckReport] {
        var generator = SeededGenerator(seed: 99)
        return checker.check(layer, at: x, mode: mode, using: &generator)
    }

    /// Seeded images, elements uniform in ±`bound`.
    func images(_ n: Int, _ c: Int, _ h: Int, _ w: Int, seed: UInt64, bound: Double = 1) -> FeatureMaps<Double> {
        FeatureMaps(unflattening: random(n, c * h * w, seed: seed, bound: bound), channels: c, height: h, width: w)
    }

    /// (C_in, C_out, H, W, K_h, K_w, stride, padding): stride 2 with padding 1 on a
    /// non-square image, the reduced VGG's 3×3 with padding 1, a non-square kernel, a
    /// stride that does not divide, and a 1×1 kernel.
    static let convolutions: [(Int, Int, Int, Int, Int, Int, Int, Int)] = [
        (2, 3, 5, 4, 3, 3, 2, 1), (3, 2, 4, 4, 3, 3, 1, 1), (2, 4, 4, 5, 2, 3, 1, 0), (1, 2, 7, 6, 3, 2, 3, 0),
        (3, 3, 3, 2, 1, 1, 1, 0),
    ]

    @Test("Conv2d: W, b and x", .requires(.conv2d), arguments: convolutions)
    func conv2d(
        inputChannels: Int, outputChannels: Int, height: Int, width: Int, kernelHeight: Int, kernelWidth: Int,
        stride: Int, padding: Int
    ) {
        var g = SeededGenerator(seed: UInt64(inputChannels * 100 + height * 10 + kernelWidth))
        let conv = Conv2d<Double>(
            inputChannels: inputChannels, outputChannels: outputChannels, kernelHeight: kernelHeight,
            kernelWidth: kernelWidth, stride: stride, padding: padding, using: &g)
        let reports = check(conv, at: images(2, inputChannels, height, width, seed: 1))
        #expect(reports.map(\.name) == ["x", "w", "b"])
        expectAllPass(reports)
    }

    /// (C, H, W, K, stride, padding): the reduced VGG's overlapping 3×3 windows with
    /// stride 2 and padding 1, non-square images, 2×2 windows side by side. Inputs are
    /// distinct random numbers, so no window has tied maxima (where the derivative jumps).
    static let pools: [(Int, Int, Int, Int, Int, Int)] = [
        (2, 6, 6, 3, 2, 1), (3, 5, 7, 3, 2, 1), (2, 6, 4, 2, 2, 0), (1, 5, 5, 3, 1, 1),
    ]

    @Test("MaxPool2d: x, with windows overlapping and padded", .requires(.maxPool2d), arguments: pools)
    func maxPool2d(channels: Int, height: Int, width: Int, kernel: Int, stride: Int, padding: Int) {
        let pool = MaxPool2d<Double>(kernelSize: kernel, stride: stride, padding: padding)
        expectAllPass(check(pool, at: images(2, channels, height, width, seed: 2, bound: 3)))
    }

    @Test(
        "BatchNorm2d in training mode (gradients through the batch statistics over N, H and W)", .requires(.batchNorm2d)
    )
    func batchNorm2dTraining() {
        var norm = BatchNorm2d<Double>(channels: 3)
        norm.gamma = random(1, 3, seed: 3).map { 1 + $0 }
        norm.beta = random(1, 3, seed: 4)
        let reports = check(norm, at: images(2, 3, 3, 2, seed: 5, bound: 2))
        #expect(reports.map(\.name) == ["x", "gamma", "beta"])
        expectAllPass(reports)
        // One image: the statistics are over its pixels alone.
        expectAllPass(check(norm, at: images(1, 3, 2, 2, seed: 6, bound: 2)))
    }

    @Test("BatchNorm2d in evaluation mode (running statistics as constants)", .requires(.batchNorm2d))
    func batchNorm2dEvaluation() {
        var norm = BatchNorm2d<Double>(channels: 2)
        norm.gamma = random(1, 2, seed: 7).map { 1 + $0 }
        norm.runningMean = random(1, 2, seed: 8)
        norm.runningVariance = random(1, 2, seed: 9).map { 1.5 + $0 }
        expectAllPass(check(norm, at: images(2, 2, 3, 3, seed: 10), mode: .evaluation))
    }

    @Test(
        "a conv block, Conv2d → BatchNorm2d → MaxPool2d, its backward the pieces' in reverse order",
        .requires(.conv2d, .batchNorm2d, .maxPool2d))
    func block() {
        var g = SeededGenerator(seed: 11)
        let conv = Conv2d<Double>(inputChannels: 2, outputChannels: 3, kernelSize: 3, padding: 1, using: &g)
        let norm = BatchNorm2d<Double>(channels: 3)
        let pool = MaxPool2d<Double>(kernelSize: 3, stride: 2, padding: 1)
        let x = images(2, 2, 4, 5, seed: 12)
        func forward(_ conv: Conv2d<Double>, _ x: FeatureMaps<Double>) -> FeatureMaps<Double> {
            var (c, n, p) = (conv, norm, pool)
            return p.forward(n.forward(c.forward(x, mode: .training).y, mode: .training).y, mode: .training).y
        }
        let y = forward(conv, x)
        let r = random(y.batchSize, y.count / y.batchSize, seed: 13)
        // Forward with caches, then backward in exact reverse order.
        var (c, n, p) = (conv, norm, pool)
        let (a, convCache) = c.forward(x, mode: .training)
        let (b, normCache) = n.forward(a, mode: .training)
        let (_, poolCache) = p.forward(b, mode: .training)
        var (dConv, dNorm, dPool) = (conv.zeroed(), norm.zeroed(), pool)
        let dB = pool.backward(
            into: &dPool, FeatureMaps(unflattening: r, channels: y.channels, height: y.height, width: y.width),
            cache: poolCache)
        let dA = norm.backward(into: &dNorm, dB, cache: normCache)
        let dX = conv.backward(into: &dConv, dA, cache: convCache)
        expectAllPass(
            [
                checker.check("x", at: x.flattened(), analytic: dX.flattened()) {
                    weighted(
                        forward(conv, FeatureMaps(unflattening: $0, channels: 2, height: 4, width: 5)).flattened(),
                        by: r)
                }
            ] + checker.check(conv, gradients: dConv) { weighted(forward($0, x).flattened(), by: r) })
    }

    @Test(
        "ConvBlock, Conv2d 3×3 → BatchNorm2d → ReLU: x and every parameter",
        .requires(.conv2d, .batchNorm2d, .relu))
    func convBlock() {
        var g = SeededGenerator(seed: 21)
        let block = ConvBlock<Double>(inputChannels: 2, outputChannels: 3, using: &g)
        let reports = check(block, at: images(3, 2, 4, 5, seed: 22))
        #expect(reports.map(\.name) == ["x", "conv.w", "conv.b", "norm.gamma", "norm.beta"])
        expectAllPass(reports)
    }

    @Test(
        "the reduced VGG, small: blocks, pools, flatten and Linear, through Σ R ⊙ scores",
        .requires(Piece.cnnTraining))
    func vgg() {
        var g = SeededGenerator(seed: 31)
        // 6×6 images; pools after blocks 0 and 2 take them to 3×3, then 2×2: Linear reads 3·2·2.
        let net = VGG<Double>(channels: 2, side: 6, widths: [3, 2, 3], pooledAfter: [0, 2], classes: 4, using: &g)
        let x = images(3, 2, 6, 6, seed: 32)
        let r = random(3, 4, seed: 33)
        var probe = net
        let (_, cache) = probe.forward(x, mode: .training)
        var grads = net.zeroed()
        let dX = net.backward(into: &grads, r, cache: cache)
        func s(_ net: VGG<Double>, _ x: FeatureMaps<Double>) -> Double {
            var copy = net
            return weighted(copy.forward(x, mode: .training).scores, by: r)
        }
        let reports =
            [
                checker.check("x", at: x.flattened(), analytic: dX.flattened()) {
                    s(net, FeatureMaps(unflattening: $0, channels: 2, height: 6, width: 6))
                }
            ] + checker.check(net, gradients: grads) { s($0, x) }
        #expect(reports.count == 1 + 3 * 4 + 2)
        expectAllPass(reports)
    }
}
