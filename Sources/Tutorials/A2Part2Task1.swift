import CommandLineOptions
import Foundation
import Learn
import LearnCourse

/// Assignment 2, Part II, task 1: the reduced VGG taken apart. A cross-correlation on
/// numbers small enough to redo by hand, the course's network layer by layer with the
/// output-size rule worked for each, and live finite-difference checks of Conv2d,
/// MaxPool2d, BatchNorm2d and a small VGG.
enum A2Part2Task1: Chapter {
    static let name = "a2-part2-task1"
    static let summary = "the CNN's layers by hand: a convolution in numbers, the VGG's shapes, live gradient checks"
    static let pieces: [Piece] = Piece.cnnTraining
    static let assignment = Assignment.two
    static let about = """
        Conv2d on a 4×4 image with a 2×2 kernel, every number printed and one output
        worked out (PyTorch's convolution is a cross-correlation: the kernel is not
        flipped). Then the course's reduced VGG on a batch of two 32×32×3 images, layer by
        layer: each output's shape as the network computes it beside the course's rule
        W₂ = (W₁ − F + 2P)/S + 1, and each layer's parameters. Last, central finite
        differences in Double for Conv2d (stride 2 and padding on a non-square image),
        MaxPool2d (overlapping, padded windows), BatchNorm2d (training mode) and a small
        VGG end to end. Exits with status 1 if any check fails.
        """
    static let options: [OptionHelp] = []

    static func run(_ arguments: Arguments, common: CommonOptions, terminal t: Terminal) throws {
        t.chapter(
            "Assignment 2, Part II, task 1 — convolution, pooling and batch norm by hand",
            """
            A conv block is Conv2d(3×3, stride 1, padding 1) → BatchNorm2d → ReLU; a pool is
            MaxPool2d(3×3, stride 2, padding 1). Each convolution output is one filter's dot
            product with the patch of input under it:

                y[n,o,i,j] = b[o] + Σ_{c,a,b} W[o,c,a,b] · x[n, c, i·S − P + a, j·S − P + b]

            Below, one such layer in numbers, then the course's network's shapes, then live
            checks of every layer's backward pass, all the library code that trains the
            network in task 2.
            """)
        crossCorrelation(t)
        try shapes(t, seed: common.seed)
        try gradientChecks(t, seed: common.seed)
    }

    /// One channel, a 4×4 image, a 2×2 kernel, no padding, stride 1: a 3×3 output.
    static func crossCorrelation(_ t: Terminal) {
        t.step(
            "A convolution in numbers",
            """
            The kernel slides over the image; at each position the output is the sum of the
            products of the kernel with the pixels under it, plus the bias. PyTorch does not
            flip the kernel (a mathematician's convolution would): the kernel's top-left
            weight meets the window's top-left pixel. The output is (4 − 2 + 0)/1 + 1 = 3
            pixels a side.
            """)
        // The digits of π: no pattern, so every output differs.
        let pixels: [Double] = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3]
        let kernel: [Double] = [1, 2, 0, -1]
        let x = FeatureMaps<Double>(batchSize: 1, channels: 1, height: 4, width: 4, elements: pixels)
        var conv = Conv2d<Double>(
            w: Matrix(rows: 1, columns: 4, elements: kernel), b: Matrix(rows: 1, columns: 1, elements: [0.5]),
            inputChannels: 1, kernelHeight: 2, kernelWidth: 2)
        let y = conv.forward(x, mode: .training).y
        func grid(_ title: String, _ values: [Double], side: Int) -> String {
            let rows = (0..<side).map { i in
                "    " + (0..<side).map { j in short(values[i * side + j]).leftPadded(to: 6) }.joined(separator: " ")
            }
            return (["  \(title)"] + rows).joined(separator: "\n")
        }
        t.say(
            grid("x (4×4)", pixels, side: 4), grid("W (2×2)", kernel, side: 2), "  b = 0.5",
            grid("y (3×3)", y.elements, side: 3))
        // y[0,0] term by term, then what the flipped kernel (W read back to front) gives.
        let window = [x[0, 0, 0, 0], x[0, 0, 0, 1], x[0, 0, 1, 0], x[0, 0, 1, 1]]
        func terms(_ w: [Double]) -> String {
            zip(w, window).map { "\(short($0))·\(short($1))" }.joined(separator: " + ") + " + 0.5"
        }
        let flipped = zip(kernel.reversed(), window).reduce(0.5) { $0 + $1.0 * $1.1 }
        t.say(
            "  y[0,0] = \(terms(kernel)) = \(short(y[0, 0, 0, 0]))",
            "  with the kernel flipped (a convolution in the textbook sense, the typical mistake):",
            "         \(terms(kernel.reversed())) = \(short(flipped))")
        t.pause()
    }

    /// The course's network on two random 32×32×3 images, layer by layer.
    static func shapes(_ t: Terminal, seed: UInt64) throws {
        t.step(
            "The reduced VGG, layer by layer",
            """
            With F = 3, P = 1, S = 1 a conv keeps the size: (W − 3 + 2)/1 + 1 = W. With F = 3,
            P = 1, S = 2 a pool halves it, rounding up: ⌊(W − 3 + 2)/2⌋ + 1. Five pools take
            32 to 1, so the Linear layer reads 512 numbers an image. The shapes below are the
            ones the network produced on a batch of two images.
            """)
        var random = SeededGenerator(seed: seed &+ 21)
        var net = VGG<Float>(channels: 3, side: 32, classes: 10, using: &random)
        var a = FeatureMaps(
            unflattening: Matrix<Float>.uniform(rows: 2, columns: 3 * 32 * 32, bound: 1, using: &random), channels: 3,
            height: 32, width: 32)
        var rows: [(String, String, String, String)] = [("layer", "output", "size rule", "parameters")]
        for k in net.blocks.indices {
            let side = a.height
            a = net.blocks[k].forward(a, mode: .training).y
            let conv = net.blocks[k].conv
            rows.append(
                (
                    "conv \(k + 1)  \(conv.inputChannels) → \(conv.outputChannels)", a.shapeDescription,
                    "(\(side) − 3 + 2)/1 + 1 = \(a.height)", grouped(net.blocks[k].parameterCount)
                ))
            if net.pooledAfter.contains(k) {
                let before = a.height
                a = net.pool.forward(a, mode: .training).y
                rows.append(("pool", a.shapeDescription, "⌊(\(before) − 3 + 2)/2⌋ + 1 = \(a.height)", "0"))
            }
        }
        let scores = net.output.forward(net.flatten.forward(a).y, mode: .training).y
        rows.append(
            (
                "linear  \(a.channels * a.height * a.width) → 10", "\(scores.rows)×\(scores.columns)", "",
                grouped(net.output.parameterCount)
            ))
        let widths = (0..<3).map { c in rows.map { [$0.0, $0.1, $0.2][c].count }.max() ?? 0 }
        for row in rows {
            t.say(
                "  " + row.0.padding(toLength: widths[0], withPad: " ", startingAt: 0) + "   "
                    + row.1.padding(toLength: widths[1], withPad: " ", startingAt: 0) + "   "
                    + row.2.padding(toLength: widths[2], withPad: " ", startingAt: 0) + "   " + row.3)
        }
        t.say(
            "", "  \(grouped(net.parameterCount)) parameters in all (BatchNorm2d's γ and β included)",
            "  (each conv's bias is redundant before BatchNorm2d, which subtracts each channel's mean:",
            "   the gradient checks below find ∂L/∂b ≈ 0 for them; PyTorch's VGG keeps them, and so do we)")
        t.pause()
    }

    /// Conv2d, MaxPool2d, BatchNorm2d and a small VGG; throws when a check fails.
    static func gradientChecks(_ t: Terminal, seed: UInt64) throws {
        let checker = GradientChecker()
        t.step(
            "Gradient checks, layer by layer",
            """
            Each backward pass against central finite differences of the forward pass (step
            h = \(NumberFormat.scientific(checker.step)), tolerance \(NumberFormat.scientific(checker.tolerance)) on the relative error), through
            s = Σ R ⊙ output with R random. The cases are chosen to catch what the course's
            network alone would not: a stride of 2 with padding on a non-square image (the
            stride and the padding in backward), a pool whose windows overlap and cross the
            padding, and a batch norm whose statistics must be over N, H and W together.
            """)
        var random = SeededGenerator(seed: seed &+ 22)
        func images(_ n: Int, _ c: Int, _ h: Int, _ w: Int, bound: Double = 1) -> FeatureMaps<Double> {
            FeatureMaps(
                unflattening: Matrix<Double>.uniform(rows: n, columns: c * h * w, bound: bound, using: &random),
                channels: c, height: h, width: w)
        }
        var reports: [(String, [GradientCheckReport])] = []
        let conv = Conv2d<Double>(
            inputChannels: 2, outputChannels: 3, kernelSize: 3, stride: 2, padding: 1, using: &random)
        reports.append(
            (
                "Conv2d 2 → 3, 3×3, stride 2, padding 1, on 2×2×5×4",
                checker.check(conv, at: images(2, 2, 5, 4), mode: .training, using: &random)
            ))
        let pool = MaxPool2d<Double>(kernelSize: 3, stride: 2, padding: 1)
        reports.append(
            (
                "MaxPool2d 3×3, stride 2, padding 1, on 2×2×5×7",
                checker.check(pool, at: images(2, 2, 5, 7, bound: 3), mode: .training, using: &random)
            ))
        var norm = BatchNorm2d<Double>(channels: 3)
        norm.gamma = Matrix(rows: 1, columns: 3, elements: [1.5, 0.5, -1])
        norm.beta = Matrix(rows: 1, columns: 3, elements: [0.1, -0.2, 0.3])
        reports.append(
            (
                "BatchNorm2d, 3 channels, training mode, on 2×3×3×2",
                checker.check(norm, at: images(2, 3, 3, 2, bound: 2), mode: .training, using: &random)
            ))
        let net = VGG<Double>(
            channels: 2, side: 6, widths: [3, 2, 3], pooledAfter: [0, 2], classes: 4, using: &random)
        let x = images(3, 2, 6, 6)
        let r = Matrix<Double>.uniform(rows: 3, columns: 4, bound: 1, using: &random)
        var probe = net
        let cache = probe.forward(x, mode: .training).cache
        var grads = net.zeroed()
        _ = net.backward(into: &grads, r, cache: cache)
        let whole = checker.check(net, gradients: grads) { model in
            var copy = model
            let scores = copy.forward(x, mode: .training).scores
            return GradientChecker.weightedSum(scores, by: r)
        }
        reports.append(("a small VGG (blocks of 3, 2, 3; pools after the 1st and 3rd), every parameter", whole))
        for (title, list) in reports {
            t.say("  \(title):")
            t.say(list.map { "    \($0)" }.joined(separator: "\n"))
        }
        let failed = reports.flatMap(\.1).filter { !$0.passed }
        guard failed.isEmpty else { throw ChecksFailed(count: failed.count) }
        t.say(
            "",
            "All \(reports.flatMap(\.1).count) checks pass: every backward pass agrees with its forward. Task 2 trains the network."
        )
    }
}
