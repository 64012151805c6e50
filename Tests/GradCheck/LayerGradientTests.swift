import Learn
import LearnTesting
import Testing

/// Finite differences for every Part II layer and loss, and for the whole generator
/// and discriminator: parameters and inputs, Double, relative error ≤ 1e-6.
@Suite("Gradient checks: GAN layers and losses")
struct LayerGradientTests {
    let n = 4, features = 5

    /// Learn's layer check (Σ R ⊙ layer(x), each evaluation on a fresh copy), R seeded.
    func check<L: Layer<Double>>(_ layer: L, at x: Matrix<Double>, mode: Mode) -> [GradientCheckReport] {
        var generator = SeededGenerator(seed: 99)
        return checker.check(layer, at: x, mode: mode, using: &generator)
    }

    /// Inputs kept at least 0.1 away from 0, where the rectifiers have a kink.
    var awayFromZero: Matrix<Double> {
        random(n, features, seed: 1).map { $0 + ($0 < 0 ? -0.1 : 0.1) }
    }

    @Test("Linear", .requires(.linear))
    func linear() {
        var g = SeededGenerator(seed: 2)
        expectAllPass(
            check(
                Linear<Double>(inputs: features, outputs: 3, using: &g), at: random(n, features, seed: 3),
                mode: .training))
    }

    @Test("LeakyReLU and ReLU", .requires(.leakyReLU, .relu))
    func rectifiers() {
        expectAllPass(check(LeakyReLU<Double>(slope: 0.2), at: awayFromZero, mode: .training))
        expectAllPass(check(ReLU<Double>(), at: awayFromZero, mode: .training))
    }

    @Test("Tanh and Sigmoid layers", .requires(.squashing))
    func squashing() {
        expectAllPass(check(Tanh<Double>(), at: random(n, features, seed: 4, bound: 3), mode: .training))
        expectAllPass(check(Sigmoid<Double>(), at: random(n, features, seed: 5, bound: 3), mode: .training))
    }

    @Test("BatchNorm in training mode (gradients through the batch statistics)", .requires(.batchNorm))
    func batchNormTraining() {
        var layer = BatchNorm<Double>(features: features)
        layer.gamma = random(1, features, seed: 6).map { 1 + $0 }
        layer.beta = random(1, features, seed: 7)
        expectAllPass(check(layer, at: random(n, features, seed: 8, bound: 2), mode: .training))
    }

    @Test("BatchNorm in evaluation mode (running statistics as constants)", .requires(.batchNorm))
    func batchNormEvaluation() {
        var layer = BatchNorm<Double>(features: features)
        layer.gamma = random(1, features, seed: 9).map { 1 + $0 }
        layer.runningMean = random(1, features, seed: 10)
        layer.runningVariance = random(1, features, seed: 11).map { 1.5 + $0 }
        expectAllPass(check(layer, at: random(n, features, seed: 12), mode: .evaluation))
    }

    @Test("Dropout with a fixed mask, and as the identity in evaluation", .requires(.dropout))
    func dropout() {
        let layer = Dropout<Double>(probability: 0.4, seed: 13)
        expectAllPass(check(layer, at: random(n, features, seed: 14), mode: .training))
        expectAllPass(check(layer, at: random(n, features, seed: 15), mode: .evaluation))
    }

    @Test("Minimax discriminator loss, including logits of ±100", .requires(.minimaxLoss), arguments: [3.0, 100.0])
    func minimaxDiscriminator(scale: Double) {
        let real = random(n, 1, seed: 16, bound: scale)
        let fake = random(n, 1, seed: 17, bound: scale)
        let (dReal, dFake) = MinimaxLoss.discriminatorBackward(realLogits: real, fakeLogits: fake)
        expectAllPass([
            checker.check("ℓ_real", at: real, analytic: dReal) {
                MinimaxLoss.discriminator(realLogits: $0, fakeLogits: fake).total
            },
            checker.check("ℓ_fake", at: fake, analytic: dFake) {
                MinimaxLoss.discriminator(realLogits: real, fakeLogits: $0).total
            },
        ])
    }

    @Test(
        "Generator losses: minimax (saturating) and non-saturating", .requires(.minimaxLoss, .nonSaturatingLoss),
        arguments: [3.0, 100.0])
    func generatorLosses(scale: Double) {
        let fake = random(n, 1, seed: 18, bound: scale)
        expectAllPass([
            checker.check("minimax ℓ_fake", at: fake, analytic: MinimaxLoss.generatorBackward(fakeLogits: fake)) {
                MinimaxLoss.generator(fakeLogits: $0)
            },
            checker.check(
                "non-saturating ℓ_fake", at: fake, analytic: NonSaturatingLoss.generatorBackward(fakeLogits: fake)
            ) {
                NonSaturatingLoss.generator(fakeLogits: $0)
            },
        ])
    }

    /// The scaled-down architecture with every kind of layer the real ones have.
    let small = GANArchitecture.small

    @Test("the whole generator, batch normalisation in training mode", .requires(Piece.networkLayers))
    func generator() {
        var g = SeededGenerator(seed: 19)
        let network: Generator<Double> = small.generator(using: &g)
        let reports = check(network, at: random(n, small.noiseSize, seed: 20, bound: 2), mode: .training)
        #expect(reports.map(\.name).contains("3.gamma"))
        expectAllPass(reports)
    }

    @Test("the whole discriminator, dropout included", .requires(Piece.networkLayers))
    func discriminator() {
        var g = SeededGenerator(seed: 21)
        let network: Discriminator<Double> = small.discriminator(using: &g)
        expectAllPass(check(network, at: random(n, small.imageSize, seed: 22), mode: .training))
    }

    @Test(
        "a loss through both networks: ∂L_G/∂θ_G via D, as the generator's step computes it",
        .requires(Piece.ganTraining))
    func generatorThroughDiscriminator() {
        var g = SeededGenerator(seed: 23)
        let gNet: Generator<Double> = small.generator(using: &g)
        let dNet: Discriminator<Double> = small.discriminator(using: &g)
        let z = random(n, small.noiseSize, seed: 24)
        func loss(_ gNet: Generator<Double>) -> Double {
            var (gCopy, dCopy) = (gNet, dNet)
            return NonSaturatingLoss.generator(
                fakeLogits: dCopy.forward(gCopy.forward(z, mode: .training).y, mode: .training).y)
        }
        var (gRun, dRun) = (gNet, dNet)
        let (fake, gCache) = gRun.forward(z, mode: .training)
        let (logits, dCache) = dRun.forward(fake, mode: .training)
        var dGrads = dNet.zeroed()
        let dFake = dNet.backward(into: &dGrads, NonSaturatingLoss.generatorBackward(fakeLogits: logits), cache: dCache)
        var gGrads = gNet.zeroed()
        _ = gNet.backward(into: &gGrads, dFake, cache: gCache)
        expectAllPass(checker.check(gNet, gradients: gGrads, loss))
    }
}
