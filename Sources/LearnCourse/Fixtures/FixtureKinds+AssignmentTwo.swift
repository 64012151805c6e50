import Learn

/// Assignment 2's own kind: the whole MLP. (Its layers, loss and optimisers are the
/// kinds Assignment 3 shares with it.)
extension FixtureRunner {
    /// An MLP of `options.widths` = [inputs, hidden…, classes], x → scores, loaded with
    /// the case's parameters (`0.w`, `0.b`, `2.w`, … as `nn.Sequential` numbers them),
    /// forward then backward from R.
    static func mlp(_ r: inout FixtureReading) throws -> Computation {
        let widths = try r.counts("widths")
        guard widths.count >= 2 else {
            throw r.failure("options.widths must list at least the input and the output width, got \(widths)")
        }
        // Sized before it is built, so that a typo such as a width of 10⁸ is an error
        // rather than gigabytes of random weights.
        let needed = zip(widths, widths.dropFirst()).reduce(0.0) { $0 + Double($1.0) * Double($1.1) + Double($1.1) }
        let held = r.fixture.parameters.values.reduce(0) { $0 + $1.count }
        guard needed <= Double(held) else {
            throw r.failure(
                "options.widths \(widths) describe an MLP of \(Int(min(needed, 1e18))) parameters, "
                    + "but the case's parameters hold only \(held) numbers")
        }
        let x = try r.input("x", "N", .fixed(widths[0]))
        var random = SeededGenerator(seed: 0)
        let net = try r.load(MLP<Double>(widths: widths, using: &random))
        return try layerStep(net, x: x, y: try r.output("scores", "N", .fixed(widths[widths.count - 1])), &r)
    }
}

/// Assignment 2's CNN layers. A batch of images is an N × (C·H·W) matrix, one image per
/// row in NCHW order (PyTorch's `x.reshape(N, -1)`); the options give C, H and W
/// (`channels`, `height`, `width`) of the input, and the output's follow from the window.
/// A convolution's weight is C_out × (C_in·K_h·K_w), PyTorch's `weight.reshape(C_out, -1)`.
extension FixtureRunner {
    /// The input images' C, H and W, from the options.
    static func imageShape(_ r: inout FixtureReading) throws -> (channels: Int, height: Int, width: Int) {
        (try r.count("channels"), try r.count("height"), try r.count("width"))
    }

    /// The window of a convolution or pooling case, from its options, checked as the
    /// layer would check it (the message says which sizes do not fit).
    static func window(
        _ r: inout FixtureReading, height: Int, width: Int, layer: String
    ) throws -> SlidingWindow {
        let (kh, kw, stride) = (try r.count("kernelHeight"), try r.count("kernelWidth"), try r.count("stride"))
        let padding = Int(try r.number("padding", "a whole number ≥ 0") { $0 >= 0 && $0 == $0.rounded() && $0 < 1e9 })
        do {
            return try SlidingWindow.validated(
                kernelHeight: kh, kernelWidth: kw, stride: stride, padding: padding, inputHeight: height,
                inputWidth: width, for: layer)
        } catch {
            throw r.failure("the options' sizes do not fit: \(error)")
        }
    }

    /// y = conv(x) with the case's w (C_out × (C_in·K_h·K_w)) and b (1×C_out).
    static func conv2d(_ r: inout FixtureReading) throws -> Computation {
        let (c, h, w) = try imageShape(&r)
        let window = try window(&r, height: h, width: w, layer: "Conv2d")
        let x = try r.input("x", "N", .fixed(c * h * w))
        let kernel = c * window.kernelHeight * window.kernelWidth
        let template = Conv2d<Double>(
            w: Matrix(rows: 1, columns: kernel), b: Matrix(rows: 1, columns: 1), inputChannels: c,
            kernelHeight: window.kernelHeight, kernelWidth: window.kernelWidth, stride: window.stride,
            padding: window.padding)
        let layer = try r.load(template, shapes: [("O", .fixed(kernel)), (1, "O")])
        let out = layer.outputChannels
        let y = try r.output("y", "N", .fixed(out * window.outputHeight * window.outputWidth))
        return try featureMapStep(layer, x: x, images: (c, h, w), y: y, &r)
    }

    /// y = the maximum of every window, each channel on its own.
    static func maxPool2d(_ r: inout FixtureReading) throws -> Computation {
        let (c, h, w) = try imageShape(&r)
        let window = try window(&r, height: h, width: w, layer: "MaxPool2d")
        guard 2 * window.padding <= min(window.kernelHeight, window.kernelWidth) else {
            throw r.failure(
                "options.padding \(window.padding) is more than half the \(window.kernelHeight)×\(window.kernelWidth) "
                    + "window (PyTorch's MaxPool2d refuses it too)")
        }
        let x = try r.input("x", "N", .fixed(c * h * w))
        let y = try r.output("y", "N", .fixed(c * window.outputHeight * window.outputWidth))
        let layer = MaxPool2d<Double>(
            kernelHeight: window.kernelHeight, kernelWidth: window.kernelWidth, stride: window.stride,
            padding: window.padding)
        return try featureMapStep(layer, x: x, images: (c, h, w), y: y, &r)
    }

    /// BatchNorm2d with the case's momentum, ε, γ, β and running statistics (each 1×C).
    static func batchNorm2d(_ r: inout FixtureReading) throws -> Computation {
        let (c, h, w) = try imageShape(&r)
        let mode = try r.mode()
        let momentum = try r.number("momentum", "in [0, 1]") { $0 >= 0 && $0 <= 1 }
        let norm = BatchNorm2d<Double>(channels: c, momentum: momentum, epsilon: try r.positive("epsilon"))
        let x = try r.input("x", "N", .fixed(c * h * w))
        if mode == .training, let n = r.size(of: "N"), n * h * w < 2 {
            throw r.failure(
                "N·H·W = \(n * h * w), but batch normalisation needs at least 2 values per channel to train")
        }
        let layer = try r.load(norm, shapes: [FixtureReading.Shape](repeating: (1, .fixed(c)), count: 4))
        return try featureMapStep(
            layer, x: x, images: (c, h, w), y: try r.output("y", "N", .fixed(c * h * w)), mode: mode, &r)
    }

    /// Any image layer: x's rows read as C×H×W images, forward in `mode`, backward from
    /// R (read as images of y's shape); y and ∂/∂x flattened back to rows. Its buffers
    /// after the forward pass (BatchNorm2d's running statistics) are outputs too.
    static func featureMapStep<L: FeatureMapLayer>(
        _ layer: L, x: FixtureReading.Tensor, images: (channels: Int, height: Int, width: Int),
        y: FixtureReading.Tensor, mode: Mode = .training, _ r: inout FixtureReading
    ) throws -> Computation where L.Scalar == Double {
        let weights = try r.weightedSum(of: y)
        let forwardOnly = r.forwardOnly
        return {
            var layer = layer
            let input = FeatureMaps(
                unflattening: x.value, channels: images.channels, height: images.height, width: images.width)
            let (value, cache) = layer.forward(input, mode: mode)
            if forwardOnly { return FixtureComputation(outputs: [y: value.flattened()], gradients: [:]) }
            var grads = FixtureComputation.primed(layer)
            let dY = FeatureMaps(
                unflattening: weights, channels: value.channels, height: value.height, width: value.width)
            let dX = layer.backward(into: &grads, dY, cache: cache)
            var result = FixtureComputation(outputs: [y: value.flattened()], gradients: [x: dX.flattened()])
            result.addParameterGradients(grads, primer: FixtureComputation.primer)
            for b in layer.buffers { result.outputs[b.name] = layer[keyPath: b.path] }
            return result
        }
    }
}
