import Foundation
import Learn
import LearnTesting
import Testing

@Suite("GAN layers: properties")
struct GANLayerTests {
    func batch(_ rows: Int, _ columns: Int, seed: UInt64, scale: Double = 3) -> Matrix<Double> {
        var g = SeededGenerator(seed: seed)
        // Shifted and scaled, so normalisation has something to undo.
        return Matrix<Double>.uniform(rows: rows, columns: columns, bound: 1, using: &g).map { scale * $0 + 2 }
    }

    @Test(
        "BatchNorm in training mode: every feature has mean 0 and variance 1", .requires(.batchNorm),
        arguments: [2, 7, 64])
    func batchNormNormalises(rows: Int) {
        var layer = BatchNorm<Double>(features: 5)
        let y = layer.forward(batch(rows, 5, seed: 1), mode: .training).y
        for j in 0..<5 {
            let column = (0..<rows).map { y[$0, j] }
            let mean = column.reduce(0, +) / Double(rows)
            let variance = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(rows)
            #expect(abs(mean) < 1e-12, "feature \(j): mean \(mean)")
            // ε = 1e-5 in the denominator keeps it just below 1.
            #expect(abs(variance - 1) < 1e-4, "feature \(j): variance \(variance)")
        }
    }

    @Test("BatchNorm's running statistics follow PyTorch: momentum 0.1, unbiased variance", .requires(.batchNorm))
    func batchNormRunningStatistics() {
        var layer = BatchNorm<Double>(features: 1)
        let x = Matrix<Double>([[1], [2], [3], [6]])  // mean 3, unbiased variance 14/3
        _ = layer.forward(x, mode: .training)
        #expect(abs(layer.runningMean[0, 0] - 0.3) < 1e-12)
        #expect(abs(layer.runningVariance[0, 0] - (0.9 + 0.1 * 14.0 / 3)) < 1e-12)
        // Evaluation uses, and does not change, the running statistics.
        let before = layer
        let y = layer.forward(Matrix([[0.3]]), mode: .evaluation).y
        #expect(abs(y[0, 0]) < 1e-12)
        #expect(layer.runningMean == before.runningMean && layer.runningVariance == before.runningVariance)
    }

    @Test("Dropout keeps the expected value and drops about p of the units", .requires(.dropout))
    func dropoutExpectation() {
        var layer = Dropout<Double>(probability: 0.4, seed: 3)
        let x = Matrix<Double>(rows: 200, columns: 100, repeating: 1)
        let y = layer.forward(x, mode: .training).y
        let dropped = Double(y.elements.filter { $0 == 0 }.count) / Double(y.count)
        #expect(abs(dropped - 0.4) < 0.02, "dropped fraction \(dropped)")
        #expect(abs(y.sum() / Double(y.count) - 1) < 0.03, "mean \(y.sum() / Double(y.count))")
        #expect(y.elements.allSatisfy { $0 == 0 || abs($0 - 1 / 0.6) < 1e-12 })
        #expect(layer.forward(x, mode: .evaluation).y == x, "evaluation must be the identity")
    }

    @Test("Dropout's mask is reproducible for a seed", .requires(.dropout))
    func dropoutSeeded() {
        var a = Dropout<Double>(probability: 0.5, seed: 7)
        var b = Dropout<Double>(probability: 0.5, seed: 7)
        let x = Matrix<Double>(rows: 4, columns: 4, repeating: 1)
        #expect(a.forward(x, mode: .training).y == b.forward(x, mode: .training).y)
    }

    @Test(
        "LeakyReLU keeps positives and scales negatives by its slope", .requires(.leakyReLU),
        arguments: [0.0, 0.2, 0.5])
    func leakyReLU(slope: Double) {
        var layer = LeakyReLU<Double>(slope: slope)
        let y = layer.forward(Matrix([[-2, -0.5, 0, 0.5, 3]]), mode: .training).y
        #expect(y == Matrix([[-2 * slope, -0.5 * slope, 0, 0.5, 3]]))
    }

    @Test("the networks name their parameters as PyTorch names nn.Sequential's", .requires(Piece.networkLayers))
    func pytorchNames() {
        var g = SeededGenerator(seed: 1)
        let network: Generator<Float> = GANArchitecture.template.generator(using: &g)
        #expect(
            network.parameters.map(\.name) == [
                "0.w", "0.b", "2.w", "2.b", "3.gamma", "3.beta", "5.w", "5.b", "6.gamma", "6.beta",
                "8.w", "8.b", "9.gamma", "9.beta", "11.w", "11.b",
            ])
        // z ∈ R¹⁰⁰ → 128 → 256 → 512 → 1024 → 784: 1,506,448 weights and biases,
        // plus γ and β for the 256-, 512- and 1024-wide layers.
        #expect(network.parameterCount == 1_506_448 + 2 * (256 + 512 + 1024))
    }

    @Test(
        "the discriminator's inputGradient and parameterGradients each equal their half of the full backward pass",
        .requires(Piece.networkLayers))
    func halvesMatchBackward() {
        var g = SeededGenerator(seed: 4)
        var a = GANArchitecture.balanced
        (a.imageSize, a.discriminatorWidths) = (12, [8, 6])
        var network: Discriminator<Double> = a.discriminator(using: &g)
        let x = Matrix<Double>.uniform(rows: 5, columns: 12, bound: 1, using: &g)
        let (y, cache) = network.forward(x, mode: .training)
        let dY = Matrix<Double>.uniform(rows: y.rows, columns: y.columns, bound: 1, using: &g)
        var (full, alone) = (network.zeroed(), network.zeroed())
        #expect(network.inputGradient(dY, cache: cache) == network.backward(into: &full, dY, cache: cache))
        network.parameterGradients(into: &alone, dY, cache: cache)
        for p in network.parameters {
            #expect(alone[keyPath: p.path] == full[keyPath: p.path], "\(p.name)")
        }
    }

    /// The trainer's D step runs the real and the fake batch through D as one stacked
    /// batch. That is only right because D treats each row on its own (no batch
    /// normalisation): the stacked pass must give both batches' outputs and the sum of
    /// both passes' gradients. Dropout draws its masks row after row, so even the
    /// balanced D's masks are the same.
    @Test(
        "D on two batches stacked: the same outputs, masks and summed gradients as two passes",
        .requires(Piece.networkLayers), arguments: [GANArchitecture.template, .balanced])
    func stackedBatchesMatchTwoPasses(_ architecture: GANArchitecture) {
        var a = architecture
        (a.imageSize, a.discriminatorWidths) = (12, [8, 6])
        var g = SeededGenerator(seed: 6)
        let network: Discriminator<Double> = a.discriminator(using: &g)
        let (real, fake) = (
            Matrix<Double>.uniform(rows: 5, columns: 12, bound: 1, using: &g),
            Matrix<Double>.uniform(rows: 4, columns: 12, bound: 1, using: &g)
        )
        let (dReal, dFake) = (
            Matrix<Double>.uniform(rows: 5, columns: 1, bound: 1, using: &g),
            Matrix<Double>.uniform(rows: 4, columns: 1, bound: 1, using: &g)
        )
        var (twice, once) = (network, network)
        let (yReal, cacheReal) = twice.forward(real, mode: .training)
        let (yFake, cacheFake) = twice.forward(fake, mode: .training)
        var separate = network.zeroed()
        network.parameterGradients(into: &separate, dReal, cache: cacheReal)
        network.parameterGradients(into: &separate, dFake, cache: cacheFake)

        let (y, cache) = once.forward(Matrix(stacking: real, fake), mode: .training)
        var stacked = network.zeroed()
        network.parameterGradients(into: &stacked, Matrix(stacking: dReal, dFake), cache: cache)

        expectClose(y, Matrix(stacking: yReal, yFake), tolerance: 1e-14, "outputs")
        for p in network.parameters {
            let scale = separate[keyPath: p.path].elements.reduce(0) { max($0, abs($1)) }
            expectClose(
                stacked[keyPath: p.path], separate[keyPath: p.path], tolerance: 1e-13 * max(scale, 1), "d\(p.name)")
        }
    }

    @Test("the discriminator variants have the documented shapes", .requires(Piece.networkLayers))
    func discriminatorShapes() {
        var g = SeededGenerator(seed: 2)
        let template: Discriminator<Float> = GANArchitecture.template.discriminator(using: &g)
        let balanced: Discriminator<Float> = GANArchitecture.balanced.discriminator(using: &g)
        #expect(template.parameterCount == 784 * 512 + 512 + 512 * 256 + 256 + 256 + 1)
        #expect(balanced.parameterCount == 784 * 256 + 256 + 256 * 128 + 128 + 128 + 1)
        #expect(balanced.hidden.count == 2 && balanced.hidden.allSatisfy { $0.dropout != nil })
        #expect(template.hidden.allSatisfy { $0.dropout == nil })
        // Linear, LeakyReLU, Dropout twice, then Linear: the last layer is number 6, its
        // dropout layers 2 and 5; without dropout the last is number 4.
        #expect(balanced.parameters.map(\.name) == ["0.w", "0.b", "3.w", "3.b", "6.w", "6.b"])
        #expect(template.parameters.map(\.name) == ["0.w", "0.b", "2.w", "2.b", "4.w", "4.b"])
        #expect([0, 1].map(balanced.dropoutLayerNumber(ofBlock:)) == [2, 5])
    }

    @Test("the generator's samples lie in (−1, 1), one row per noise vector", .requires(Piece.networkLayers))
    func generatorOutputRange() {
        var g = SeededGenerator(seed: 3)
        var network: Generator<Float> = GANArchitecture.template.generator(using: &g)
        let z = Matrix<Float>.normal(rows: 8, columns: 100, using: &g)
        let images = network.forward(z, mode: .training).y
        #expect(images.rows == 8 && images.columns == 784)
        #expect(images.elements.allSatisfy { $0 > -1 && $0 < 1 })
    }
}

@Suite("GAN losses: known points and stability")
struct GANLossTests {
    @Test("D = 0.5 everywhere gives log 2 per term", .requires(.minimaxLoss, .nonSaturatingLoss))
    func balancedGame() {
        let zero = Matrix<Double>(rows: 6, columns: 1)
        let terms = MinimaxLoss.discriminator(realLogits: zero, fakeLogits: zero)
        #expect(abs(terms.real - log(2)) < 1e-15)
        #expect(abs(terms.fake - log(2)) < 1e-15)
        #expect(abs(NonSaturatingLoss.generator(fakeLogits: zero) - log(2)) < 1e-15)
        #expect(abs(MinimaxLoss.generator(fakeLogits: zero) + log(2)) < 1e-15)
    }

    @Test(
        "the stable forms equal the naive ones where the naive ones are finite",
        .requires(.minimaxLoss, .nonSaturatingLoss),
        arguments: [-10.0, -3.0, -0.1, 0.0, 0.7, 3.0, 10.0])
    func stableEqualsNaive(logit: Double) {
        let l = Matrix<Double>([[logit]])
        let d = 1 / (1 + exp(-logit))
        let naiveReal = -log(d), naiveFake = -log(1 - d)
        let terms = MinimaxLoss.discriminator(realLogits: l, fakeLogits: l)
        #expect(abs(terms.real - naiveReal) <= 1e-9 * max(1, abs(naiveReal)))
        #expect(abs(terms.fake - naiveFake) <= 1e-9 * max(1, abs(naiveFake)))
        #expect(abs(NonSaturatingLoss.generator(fakeLogits: l) - naiveReal) <= 1e-9 * max(1, naiveReal))
        #expect(abs(MinimaxLoss.generator(fakeLogits: l) + naiveFake) <= 1e-9 * max(1, naiveFake))
    }

    @Test(
        "logits of ±100 give finite losses and gradients (the naive form gives log 0)",
        .requires(.minimaxLoss, .nonSaturatingLoss),
        arguments: [-100.0, 100.0, -1e6, 1e6])
    func extremeLogits(logit: Double) {
        let l = Matrix<Double>([[logit]])
        let terms = MinimaxLoss.discriminator(realLogits: l, fakeLogits: l)
        #expect(terms.real.isFinite && terms.fake.isFinite)
        #expect(NonSaturatingLoss.generator(fakeLogits: l).isFinite)
        #expect(MinimaxLoss.generatorBackward(fakeLogits: l).isFinite)
        #expect(NonSaturatingLoss.generatorBackward(fakeLogits: l).isFinite)
        let (dReal, dFake) = MinimaxLoss.discriminatorBackward(realLogits: l, fakeLogits: l)
        #expect(dReal.isFinite && dFake.isFinite)
    }

    @Test(
        "when D rejects a sample, the saturating gradient vanishes and the non-saturating one does not",
        .requires(.minimaxLoss, .nonSaturatingLoss))
    func saturation() {
        // D(G(z)) = σ(−10) ≈ 4.5e-5: the generator's samples are obviously fake.
        let rejected = Matrix<Double>([[-10]])
        let saturating = MinimaxLoss.generatorBackward(fakeLogits: rejected)[0, 0]
        let nonSaturating = NonSaturatingLoss.generatorBackward(fakeLogits: rejected)[0, 0]
        #expect(abs(saturating) < 1e-4)
        #expect(abs(nonSaturating + 1) < 1e-4)
    }
}

@Suite("Adam")
struct AdamTests {
    @Test(
        "the first steps match hand-computed values (bias correction: step 1 moves by η·sign(g))",
        .requires(.linear, .adam))
    func firstSteps() {
        var model = Linear<Double>(w: Matrix([[1.0, -2.0]]), b: Matrix([[0.5]]))
        var adam = Adam<Linear<Double>>(learningRate: 0.1, beta1: 0.5, beta2: 0.999, epsilon: 1e-8)
        let g1 = Linear<Double>(w: Matrix([[0.2, -4.0]]), b: Matrix([[0.0]]))
        adam.step(&model, gradients: g1)
        // m̂ = g, v̂ = g², so the step is η g / (|g| + ε) ≈ η sign(g); zero gradient: no step.
        #expect(abs(model.w[0, 0] - (1.0 - 0.1 * 0.2 / (0.2 + 1e-8))) < 1e-12)
        #expect(abs(model.w[0, 1] - (-2.0 + 0.1 * 4.0 / (4.0 + 1e-8))) < 1e-12)
        #expect(model.b[0, 0] == 0.5)
        // Second step with g2: m = 0.5 m + 0.5 g2, v = 0.999 v + 0.001 g2², corrected.
        let g2 = Linear<Double>(w: Matrix([[0.6, 0.0]]), b: Matrix([[1.0]]))
        let before = model.w[0, 0]
        adam.step(&model, gradients: g2)
        let m = 0.5 * (0.5 * 0.2) + 0.5 * 0.6
        let v = 0.999 * (0.001 * 0.04) + 0.001 * 0.36
        let mHat = m / (1 - 0.25), vHat = v / (1 - 0.999 * 0.999)
        #expect(abs(model.w[0, 0] - (before - 0.1 * mHat / (vHat.squareRoot() + 1e-8))) < 1e-12)
        #expect(adam.steps == 2)
    }
}
