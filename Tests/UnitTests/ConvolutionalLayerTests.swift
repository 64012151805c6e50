import Foundation
import Learn
import LearnTesting
import Testing

/// The images of a test: `values` in NCHW order.
func images(_ n: Int, _ c: Int, _ h: Int, _ w: Int, _ values: [Double]) -> FeatureMaps<Double> {
    FeatureMaps(batchSize: n, channels: c, height: h, width: w, elements: values)
}

/// Seeded images with elements uniform in ±`bound`, plus `shift`.
func randomImages(
    _ n: Int, _ c: Int, _ h: Int, _ w: Int, seed: UInt64, bound: Double = 1, shift: Double = 0
) -> FeatureMaps<Double> {
    FeatureMaps(
        unflattening: randomMatrix(n, c * h * w, seed: seed, bound: bound).map { $0 + shift }, channels: c,
        height: h, width: w)
}

/// Σ a ⊙ b over two equally long arrays.
func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

@Suite("CNN plumbing: images, windows, patches")
struct FeatureMapsTests {
    /// (H₁, K, S, P, H₂) for the rule H₂ = ⌊(H₁ − K + 2P)/S⌋ + 1, the reduced VGG's sizes first.
    static let sizes: [(input: Int, kernel: Int, stride: Int, padding: Int, output: Int)] = [
        (32, 3, 1, 1, 32), (32, 3, 2, 1, 16), (16, 3, 2, 1, 8), (2, 3, 2, 1, 1), (1, 3, 2, 1, 1),
        (5, 3, 2, 0, 2), (6, 3, 3, 0, 2), (7, 2, 2, 0, 3), (3, 3, 1, 0, 1),
    ]

    @Test("the output-size rule W₂ = ⌊(W₁ − F + 2P)/S⌋ + 1, rounded down as PyTorch", arguments: sizes)
    func outputSize(_ size: (input: Int, kernel: Int, stride: Int, padding: Int, output: Int)) throws {
        let window = try SlidingWindow.validated(
            kernelHeight: size.kernel, kernelWidth: size.kernel, stride: size.stride, padding: size.padding,
            inputHeight: size.input, inputWidth: size.input + 1, for: "Conv2d")
        #expect(window.outputHeight == size.output)
        #expect(window.outputWidth == (size.input + 1 - size.kernel + 2 * size.padding) / size.stride + 1)
    }

    @Test("a kernel larger than the padded image is refused, naming the layer, the sizes and what to look at")
    func kernelTooLarge() {
        let error = #expect(throws: WindowSizeError.self) {
            try SlidingWindow.validated(
                kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 0, inputHeight: 2, inputWidth: 5, for: "Conv2d")
        }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.hasPrefix("Conv2d: a 3×3 kernel does not fit the input's height 2 with padding 0"), "\(text)")
        #expect(text.contains("(2 − 3 + 0)/1 + 1 is below 1") && text.contains("look at the layers before"), "\(text)")
        let wide = #expect(throws: WindowSizeError.self) {
            try SlidingWindow.validated(
                kernelHeight: 2, kernelWidth: 4, stride: 2, padding: 1, inputHeight: 9, inputWidth: 1, for: "Pool")
        }
        #expect(wide?.description.contains("does not fit the input's width 1 with padding 1") == true)
    }

    @Test(
        "sizes that make no window are refused, saying which",
        arguments: [
            (0, 3, 1, 0, 5, "the kernel must be at least 1×1, got 0×3"),
            (3, 3, 0, 0, 5, "the stride must be at least 1"),
            (3, 3, 1, -1, 5, "the padding must be 0 or more, got -1"), (3, 3, 1, 0, 0, "they must be at least 1×1"),
        ])
    func impossibleSizes(kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int, input: Int, message: String) {
        let error = #expect(throws: WindowSizeError.self) {
            try SlidingWindow.validated(
                kernelHeight: kernelHeight, kernelWidth: kernelWidth, stride: stride, padding: padding,
                inputHeight: input, inputWidth: input, for: "MaxPool2d")
        }
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    }

    @Test("a Conv2d whose kernel does not fit its input stops with the sizes, in release builds too")
    func conv2dStopsOnSmallInput() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var g = SeededGenerator(seed: 1)
            var conv = Conv2d<Double>(inputChannels: 2, outputChannels: 4, kernelSize: 5, using: &g)
            _ = conv.forward(FeatureMaps(batchSize: 1, channels: 2, height: 4, width: 6), mode: .training)
        }
        let stderr = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(
            stderr.contains("Conv2d (input 1×2×4×6): a 5×5 kernel does not fit the input's height 4 with padding 0"),
            "\(stderr.prefix(400))")
    }

    @Test(
        "NCHW order: element (n, c, i, j) at ((n·C + c)·H + i)·W + j; flatten and unflatten are one another's inverse")
    func layout() {
        let x = randomImages(2, 3, 4, 5, seed: 1)
        #expect(x[1, 2, 3, 4] == x.elements[((1 * 3 + 2) * 4 + 3) * 5 + 4])
        #expect(x[0, 1, 2, 0] == x.elements[(1 * 4 + 2) * 5])
        let rows = x.flattened()
        #expect(rows.rows == 2 && rows.columns == 60 && rows.elements == x.elements)
        #expect(FeatureMaps(unflattening: rows, channels: 3, height: 4, width: 5) == x)
        #expect(x.shapeDescription == "2×3×4×5")
    }

    @Test("pixel rows: row (n, i, j), column c; and back")
    func pixelRows() {
        let x = randomImages(2, 3, 4, 5, seed: 2)
        let rows = x.pixelRows()
        #expect(rows.rows == 2 * 4 * 5 && rows.columns == 3)
        for (n, c, i, j) in [(0, 0, 0, 0), (1, 2, 3, 4), (1, 0, 2, 1), (0, 1, 3, 0)] {
            #expect(rows[(n * 4 + i) * 5 + j, c] == x[n, c, i, j])
        }
        #expect(FeatureMaps(pixelRows: rows, batchSize: 2, height: 4, width: 5) == x)
        // Large enough to be shared between the cores: the same result.
        let large = randomImages(16, 8, 12, 12, seed: 3)
        #expect(FeatureMaps(pixelRows: large.pixelRows(), batchSize: 16, height: 12, width: 12) == large)
    }

    @Test("a patch row is the window's C·K_h·K_w numbers in (c, a, b) order, zero in the padding")
    func patchOrder() {
        // One image, two channels of 3×3: channel 0 holds 1…9, channel 1 holds 11…19.
        let x = images(1, 2, 3, 3, (1...9).map(Double.init) + (11...19).map(Double.init))
        let window = SlidingWindow(
            kernelHeight: 2, kernelWidth: 2, stride: 1, padding: 1, inputHeight: 3, inputWidth: 3, for: "test")
        let unfolded = x.patches(window)
        #expect(unfolded.rows == 16 && unfolded.columns == 8)
        // Window (0, 0) covers padded rows −1…0 and columns −1…0: only x[·, 0, 0] is inside.
        #expect(unfolded.row(0) == [0, 0, 0, 1, 0, 0, 0, 11])
        // Window (1, 1) covers rows 0…1, columns 0…1.
        #expect(unfolded.row(5) == [1, 2, 4, 5, 11, 12, 14, 15])
        // Window (3, 2) covers rows 2…3 and columns 1…2: the second row is padding.
        #expect(unfolded.row(14) == [8, 9, 0, 0, 18, 19, 0, 0])
        let perChannel = x.patchesPerChannel(window, padding: -.infinity)
        #expect(perChannel.rows == 32 && perChannel.columns == 4)
        #expect(perChannel.row(16 + 5) == [11, 12, 14, 15])
        #expect(perChannel.row(0) == [-.infinity, -.infinity, -.infinity, 1])
    }

    @Test(
        "summing patches is the adjoint of unfolding them: ⟨patches(x), P⟩ = ⟨x, fold(P)⟩",
        arguments: [(3, 3, 1, 1), (3, 3, 2, 1), (2, 3, 2, 0), (3, 2, 3, 0), (1, 1, 1, 0)])
    func adjoint(kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int) {
        for (n, seed) in [(2, UInt64(10)), (9, 20)] {  // the second large enough for both cores
            let x = randomImages(n, 3, 7, 6, seed: seed)
            let window = SlidingWindow(
                kernelHeight: kernelHeight, kernelWidth: kernelWidth, stride: stride, padding: padding,
                inputHeight: 7, inputWidth: 6, for: "test")
            let unfolded = x.patches(window)
            let p = randomMatrix(unfolded.rows, unfolded.columns, seed: seed + 1, as: Double.self)
            let folded = FeatureMaps(summingPatches: p, window, batchSize: n, channels: 3)
            #expect(abs(dot(unfolded.elements, p.elements) - dot(x.elements, folded.elements)) < 1e-9)
            let perChannel = x.patchesPerChannel(window, padding: 0)
            let q = randomMatrix(perChannel.rows, perChannel.columns, seed: seed + 2, as: Double.self)
            let foldedPerChannel = FeatureMaps(summingPatchesPerChannel: q, window, batchSize: n, channels: 3)
            #expect(abs(dot(perChannel.elements, q.elements) - dot(x.elements, foldedPerChannel.elements)) < 1e-9)
        }
    }

    @Test("Flatten: N×C×H×W to N × C·H·W rows and back, no number moved")
    func flatten() {
        let x = randomImages(3, 2, 4, 3, seed: 4)
        let flatten = Flatten<Double>()
        let (y, cache) = flatten.forward(x)
        #expect(y.rows == 3 && y.columns == 24 && y.elements == x.elements)
        #expect(flatten.backward(y, cache: cache) == x)
    }
}

@Suite("CNN layers: properties")
struct ConvolutionalLayerTests {
    @Test("Conv2d by hand: two input channels, a 2×2 kernel, a bias", .requires(.conv2d))
    func convolutionByHand() {
        // Channel 0 holds 1…9; channel 1 is all ones, with a kernel of ones: it adds 4.
        let x = images(1, 2, 3, 3, (1...9).map(Double.init) + Array(repeating: 1, count: 9))
        var conv = Conv2d<Double>(
            w: Matrix([[1, 2, 3, 4, 1, 1, 1, 1]]), b: Matrix([[0.5]]), inputChannels: 2, kernelHeight: 2,
            kernelWidth: 2)
        let (y, _) = conv.forward(x, mode: .training)
        // y(0, 0) = 1·1 + 2·2 + 3·4 + 4·5 + 4 + 0.5: a cross-correlation, the kernel not flipped.
        #expect(y == images(1, 1, 2, 2, [41.5, 51.5, 71.5, 81.5]))
    }

    @Test("Conv2d with padding 1 and stride 1 or 2: the zeros count, the stride skips", .requires(.conv2d))
    func paddingAndStride() {
        let ones = images(1, 1, 3, 3, Array(repeating: 1, count: 9))
        let kernel = Matrix<Double>(rows: 1, columns: 9, repeating: 1)
        var same = Conv2d<Double>(
            w: kernel, b: Matrix([[0]]), inputChannels: 1, kernelHeight: 3, kernelWidth: 3, padding: 1)
        let (y, cache) = same.forward(ones, mode: .training)
        // Each output counts the input elements its window covers.
        let counts: [Double] = [4, 6, 4, 6, 9, 6, 4, 6, 4]
        #expect(y == images(1, 1, 3, 3, counts))
        var grads = same.zeroed()
        let dX = same.backward(into: &grads, images(1, 1, 3, 3, Array(repeating: 1, count: 9)), cache: cache)
        // With dY = 1 and a kernel of ones, ∂L/∂x counts the windows over each input,
        // ∂L/∂W the inputs under each kernel position, ∂L/∂b the outputs.
        #expect(dX == images(1, 1, 3, 3, counts))
        #expect(grads.w == Matrix(rows: 1, columns: 9, elements: counts))
        #expect(grads.b == Matrix([[9]]))
        var strided = Conv2d<Double>(
            w: kernel, b: Matrix([[0]]), inputChannels: 1, kernelHeight: 3, kernelWidth: 3, stride: 2, padding: 1)
        #expect(strided.forward(ones, mode: .training).y == images(1, 1, 2, 2, [4, 4, 4, 4]))
    }

    @Test("Conv2d's gradients add into grads (+=), as every backward pass does", .requires(.conv2d))
    func accumulates() {
        var g = SeededGenerator(seed: 5)
        var conv = Conv2d<Double>(inputChannels: 2, outputChannels: 3, kernelSize: 3, padding: 1, using: &g)
        let x = randomImages(2, 2, 4, 4, seed: 6)
        let (y, cache) = conv.forward(x, mode: .training)
        let dY = randomImages(2, 3, 4, 4, seed: 7)
        var once = conv.zeroed()
        _ = conv.backward(into: &once, dY, cache: cache)
        var twice = conv.zeroed()
        _ = conv.backward(into: &twice, dY, cache: cache)
        _ = conv.backward(into: &twice, dY, cache: cache)
        expectClose(twice.w, 2 * once.w, tolerance: 1e-12, "dW")
        expectClose(twice.b, 2 * once.b, tolerance: 1e-12, "db")
        #expect(y.channels == 3 && y.height == 4 && y.width == 4)
    }

    @Test("Conv2d starts as PyTorch's: W and b uniform in ±1/√(C_in·K·K)")
    func initialisation() {
        var g = SeededGenerator(seed: 8)
        let conv = Conv2d<Double>(inputChannels: 64, outputChannels: 128, kernelSize: 3, padding: 1, using: &g)
        let bound = 1 / (64.0 * 9).squareRoot()
        #expect(conv.w.rows == 128 && conv.w.columns == 64 * 9 && conv.b.columns == 128)
        #expect(conv.w.elements.allSatisfy { abs($0) <= bound } && conv.b.elements.allSatisfy { abs($0) <= bound })
        // Uniform in ±a has variance a²/3.
        let variance = conv.w.squaredNorm() / Double(conv.w.count)
        #expect(abs(variance - bound * bound / 3) < 0.05 * bound * bound / 3, "variance \(variance)")
        #expect(conv.parameters.map(\.name) == ["w", "b"])
    }

    @Test("MaxPool2d: ties go to the first maximum in row-major order; the gradient to it alone", .requires(.maxPool2d))
    func maxPoolTies() {
        let x = images(1, 1, 2, 4, [1, 3, 3, 0, 3, 2, 0, 3])
        var pool = MaxPool2d<Double>(kernelSize: 2)  // stride 2, as PyTorch's default
        let (y, cache) = pool.forward(x, mode: .training)
        #expect(y == images(1, 1, 1, 2, [3, 3]))
        var noParameters = pool
        let dX = pool.backward(into: &noParameters, images(1, 1, 1, 2, [5, 7]), cache: cache)
        #expect(dX == images(1, 1, 2, 4, [0, 5, 7, 0, 0, 0, 0, 0]))
        // All equal: the window's first element takes the gradient.
        let flat = images(1, 1, 2, 2, [2, 2, 2, 2])
        let (_, flatCache) = pool.forward(flat, mode: .training)
        #expect(
            pool.backward(into: &noParameters, images(1, 1, 1, 1, [1]), cache: flatCache)
                == images(1, 1, 2, 2, [1, 0, 0, 0]))
    }

    @Test("MaxPool2d: overlapping windows add their gradients; padding is −∞, never the maximum", .requires(.maxPool2d))
    func maxPoolOverlapAndPadding() {
        var pool = MaxPool2d<Double>(kernelSize: 3, stride: 2, padding: 1)
        // The centre, 9, is in all four windows.
        let x = images(1, 1, 3, 3, [1, 2, 3, 4, 9, 5, 6, 7, 8])
        let (y, cache) = pool.forward(x, mode: .training)
        #expect(y == images(1, 1, 2, 2, [9, 9, 9, 9]))
        var noParameters = pool
        let dX = pool.backward(into: &noParameters, images(1, 1, 2, 2, [1, 2, 3, 4]), cache: cache)
        #expect(dX == images(1, 1, 3, 3, [0, 0, 0, 0, 10, 0, 0, 0, 0]))
        // Every input negative: a window over padding still returns an input.
        let negative = images(1, 1, 3, 3, [-1, -2, -3, -4, -9, -5, -6, -7, -8])
        #expect(pool.forward(negative, mode: .training).y == images(1, 1, 2, 2, [-1, -2, -4, -5]))
    }

    @Test("MaxPool2d halves the reduced VGG's images, channels apart", .requires(.maxPool2d))
    func maxPoolShapes() {
        var pool = MaxPool2d<Double>(kernelSize: 3, stride: 2, padding: 1)
        let x = randomImages(2, 3, 32, 32, seed: 9)
        let y = pool.forward(x, mode: .evaluation).y
        #expect(y.shapeDescription == "2×3×16×16")
        // Output (1, 2, 5, 7) is the maximum of input rows 9…11 and columns 13…15 of channel 2.
        let window = (9...11).flatMap { i in (13...15).map { j in x[1, 2, i, j] } }
        #expect(y[1, 2, 5, 7] == window.max())
    }

    @Test(
        "BatchNorm2d in training: every channel has mean 0 and variance 1 over N, H and W", .requires(.batchNorm2d),
        arguments: [(2, 3, 3), (1, 3, 4), (4, 5, 2)])
    func batchNorm2dNormalises(n: Int, h: Int, w: Int) {
        var norm = BatchNorm2d<Double>(channels: 3)
        let y = norm.forward(randomImages(n, 3, h, w, seed: 10, bound: 3, shift: 2), mode: .training).y
        for c in 0..<3 {
            let values = (0..<n).flatMap { k in (0..<h).flatMap { i in (0..<w).map { j in y[k, c, i, j] } } }
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
            #expect(abs(mean) < 1e-12, "channel \(c): mean \(mean)")
            #expect(abs(variance - 1) < 1e-4, "channel \(c): variance \(variance)")
        }
    }

    @Test(
        "BatchNorm2d's running statistics: momentum 0.1, unbiased over M = N·H·W, channels apart",
        .requires(.batchNorm2d))
    func batchNorm2dRunningStatistics() {
        var norm = BatchNorm2d<Double>(channels: 2)
        // Channel 0 holds 1, 2 (image 0) and 3, 6 (image 1): mean 3, unbiased variance 14/3.
        // Channel 1 is constant, 5: mean 5, variance 0.
        let x = images(2, 2, 1, 2, [1, 2, 5, 5, 3, 6, 5, 5])
        let y = norm.forward(x, mode: .training).y
        expectClose(norm.runningMean, Matrix([[0.3, 0.5]]), tolerance: 1e-12, "running mean")
        expectClose(norm.runningVariance, Matrix([[0.9 + 0.1 * 14 / 3, 0.9]]), tolerance: 1e-12, "running variance")
        // A constant channel normalises to 0 (x − μ = 0), then β = 0.
        #expect([y[0, 1, 0, 0], y[0, 1, 0, 1], y[1, 1, 0, 0], y[1, 1, 0, 1]].allSatisfy { abs($0) < 1e-12 })
    }

    @Test(
        "BatchNorm2d in evaluation: the running statistics, left unchanged; γ and β per channel",
        .requires(.batchNorm2d))
    func batchNorm2dEvaluation() {
        var norm = BatchNorm2d<Double>(channels: 2)
        norm.runningMean = Matrix([[1, -2]])
        norm.runningVariance = Matrix([[4, 0.25]])
        norm.gamma = Matrix([[2, 3]])
        norm.beta = Matrix([[0.5, -1]])
        let before = norm
        let x = images(1, 2, 1, 2, [3, 1, -2, -1.5])
        let y = norm.forward(x, mode: .evaluation).y
        let e = 1e-5
        let expected = [
            2 * 2 / (4 + e).squareRoot() + 0.5, 3 * 0 / (4 + e).squareRoot() + 0.5, -1,
            3 * 0.5 / (0.25 + e).squareRoot() - 1,
        ]
        expectClose(y.flattened(), Matrix([expected]), tolerance: 1e-12, "y")
        #expect(norm.runningMean == before.runningMean && norm.runningVariance == before.runningVariance)
        #expect(norm.buffers.map(\.name) == ["runningMean", "runningVariance"])
    }

    @Test(
        "BatchNorm2d is BatchNorm over the pixel rows: the same output, gradients and running statistics",
        .requires(.batchNorm2d, .batchNorm))
    func batchNorm2dIsBatchNormOfPixels() {
        var norm2d = BatchNorm2d<Double>(channels: 3)
        var norm = BatchNorm<Double>(features: 3)
        let x = randomImages(2, 3, 2, 3, seed: 11, bound: 2, shift: 1)
        let (y, cache) = norm2d.forward(x, mode: .training)
        let (rows, rowCache) = norm.forward(x.pixelRows(), mode: .training)
        expectClose(y.pixelRows(), rows, tolerance: 1e-12, "y")
        expectClose(norm2d.runningVariance, norm.runningVariance, tolerance: 1e-12, "running variance")
        let dY = randomImages(2, 3, 2, 3, seed: 12)
        var grads2d = norm2d.zeroed()
        var grads = norm.zeroed()
        let dX = norm2d.backward(into: &grads2d, dY, cache: cache)
        let dRows = norm.backward(into: &grads, dY.pixelRows(), cache: rowCache)
        expectClose(dX.pixelRows(), dRows, tolerance: 1e-12, "dX")
        expectClose(grads2d.gamma, grads.gamma, tolerance: 1e-12, "dγ")
    }
}
