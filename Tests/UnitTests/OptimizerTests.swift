import Learn
import LearnTesting
import Testing

/// RMSProp and SGD with momentum against values worked by hand (and reproduced by
/// `torch.optim.RMSprop` and `torch.optim.SGD` in double precision).
///
/// The "model" is a prediction layer used as a bag of parameters: W (1×4) and b (1×1).
@Suite("Optimisers: RMSProp and SGD")
struct OptimizerTests {
    typealias Model = Prediction<Double>

    static func model(_ w: [Double], _ b: Double) -> Model {
        Model(wph: Matrix([w]), bp: Matrix([[b]]))
    }

    /// Three steps of gradients, one per parameter. The last weight's gradient is
    /// always 0: it must never move (0 / (0 + ε) = 0).
    static let gradients: [Model] = [
        model([0.5, -0.25, 1e-3, 0], 2),
        model([-0.25, -0.25, 2, 0], -2),
        model([0.1, 0.3, -1, 0], 0),
    ]

    static let start = model([1, -2, 0.5, 0], 0.25)

    /// θ ← θ − η g / (√s + ε) with s ← α s + (1 − α) g², s₀ = 0, η = 1e-3, α = 0.99,
    /// ε = 1e-8. Step 1 for the first weight: s = 0.01 · 0.25 = 0.0025, √s = 0.05,
    /// θ = 1 − 1e-3 · 0.5 / 0.05000001 = 0.990000002: a move of 10η, whatever |g|.
    @Test("RMSProp's first three steps match the hand-computed values", .requires(.rmsProp))
    func rmsPropSteps() {
        var optimizer = RMSProp<Model>(learningRate: 1e-3)
        #expect(optimizer.alpha == 0.99 && optimizer.epsilon == 1e-8)
        var m = Self.start
        let expected: [[Double]] = [
            [0.9900000019999996, -1.9900000039999983, 0.49000099990001, 0],
            [0.9944901337442175, -1.9829111939599646, 0.48000100163750964, 0],
            [0.9927137417663017, -1.9894094616034292, 0.4844911335429393, 0],
        ]
        for (step, g) in Self.gradients.enumerated() {
            optimizer.step(&m, gradients: g)
            expectClose(m.wph, Matrix([expected[step]]), tolerance: 1e-13, "W after step \(step + 1)")
        }
        // The bias sees g = 2, then −2, then 0 (which leaves it where it is).
        let s1 = 0.01 * 4.0
        let s2 = 0.99 * s1 + 0.01 * 4
        let b = 0.25 - 1e-3 * 2 / (s1.squareRoot() + 1e-8) + 1e-3 * 2 / (s2.squareRoot() + 1e-8)
        #expect(abs(m.bp[0, 0] - b) <= 1e-15, "b = \(m.bp[0, 0]), expected \(b)")
    }

    /// Without bias correction, √s after one step is √(1 − α)·|g| = 0.1|g|, so the
    /// first update is η·g/(0.1|g|) = 10η in magnitude for every nonzero gradient.
    @Test(
        "RMSProp's first update is about 10× the learning rate, whatever the gradient's size", .requires(.rmsProp),
        arguments: [1e-6, 1e-3, 0.5, 1, 1000])
    func rmsPropFirstStepIsTenEta(_ g: Double) {
        var optimizer = RMSProp<Model>(learningRate: 1e-3)
        var m = Self.model([0, 0, 0, 0], 0)
        optimizer.step(&m, gradients: Self.model([g, -g, 0, 0], g))
        // ε = 1e-8 matters only when 0.1|g| is not far above it.
        let move = 1e-3 * g / (0.1 * g + 1e-8)
        #expect(abs(m.wph[0, 0] + move) <= 1e-15 && abs(m.wph[0, 1] - move) <= 1e-15, "\(m.wph)")
        if g >= 1e-3 { #expect(abs(abs(m.wph[0, 0]) - 1e-2) <= 1e-6) }
        #expect(m.wph[0, 2] == 0 && m.wph[0, 3] == 0, "a zero gradient moved a weight")
    }

    @Test("RMSProp's running average is α s + (1 − α) g²", .requires(.rmsProp))
    func rmsPropState() throws {
        var optimizer = RMSProp<Model>(learningRate: 1e-2, alpha: 0.9, epsilon: 1e-6)
        #expect(optimizer.squareAverage == nil)
        var m = Self.start
        optimizer.step(&m, gradients: Self.gradients[0])
        optimizer.step(&m, gradients: Self.gradients[1])
        let s = try #require(optimizer.squareAverage)
        let g0 = Self.gradients[0].wph, g1 = Self.gradients[1].wph
        let expected = 0.9 * (0.1 * g0 * g0) + 0.1 * (g1 * g1)
        expectClose(s.wph, expected, tolerance: 1e-15, "s")
    }

    /// v ← μ v + g, θ ← θ − η v, v₀ = 0; η = 0.1, μ = 0.9. Step 2 for the third weight:
    /// v = 0.9 · 1e-3 + 2 = 2.0009, θ = 0.4999 − 0.20009 = 0.29981.
    @Test("SGD with momentum's first three steps match the hand-computed values", .requires(.sgd))
    func sgdMomentumSteps() {
        var optimizer = SGD<Model>(learningRate: 0.1, momentum: 0.9)
        var m = Self.start
        let expected: [[Double]] = [
            [0.95, -1.975, 0.4999, 0],
            [0.93, -1.9275, 0.29981, 0],
            [0.902, -1.91475, 0.219729, 0],
        ]
        for (step, g) in Self.gradients.enumerated() {
            optimizer.step(&m, gradients: g)
            expectClose(m.wph, Matrix([expected[step]]), tolerance: 1e-14, "W after step \(step + 1)")
        }
        // b: g = 2, −2, 0 → v = 2, −0.2, −0.18 → b = 0.25 − 0.2 + 0.02 + 0.018.
        #expect(abs(m.bp[0, 0] - 0.088) <= 1e-15, "b = \(m.bp[0, 0])")
    }

    @Test("SGD without momentum is θ ← θ − η g, step after step", .requires(.sgd))
    func plainSGD() {
        var optimizer = SGD<Model>(learningRate: 0.5)
        var m = Self.start
        var expected = Self.start.wph
        for g in Self.gradients {
            optimizer.step(&m, gradients: g)
            expected = expected - 0.5 * g.wph
            expectClose(m.wph, expected, tolerance: 1e-15)
        }
    }

    @Test(
        "optimisers update every parameter of a whole model, in Float", .requires(.lstm, .sgd, .rmsProp),
        arguments: [false, true])
    func wholeModel(_ rmsProp: Bool) {
        var generator = SeededGenerator(seed: 1)
        var model = LSTM<Float>(inputSize: 3, hiddenSize: 4, classes: 10, using: &generator)
        let before = model
        let gradients = LSTM<Float>(inputSize: 3, hiddenSize: 4, classes: 10, using: &generator)
        if rmsProp {
            var optimizer = RMSProp<LSTM<Float>>(learningRate: 1e-2)
            optimizer.step(&model, gradients: gradients)
        } else {
            var optimizer = SGD<LSTM<Float>>(learningRate: 1e-2, momentum: 0.9)
            optimizer.step(&model, gradients: gradients)
        }
        #expect(model.parameters.count == 14)
        for p in model.parameters {
            let moved = model[keyPath: p.path] - before[keyPath: p.path]
            #expect(moved.elements.allSatisfy { $0 != 0 }, "\(p.name) did not move everywhere")
            // Each moves against its own gradient.
            let agree = zip(moved.elements, gradients[keyPath: p.path].elements).allSatisfy { $0 * $1 < 0 }
            #expect(agree, "\(p.name) moved along its gradient")
        }
    }

    /// Where each parameter's numbers are stored.
    static func addresses<Model: Parameterized>(_ model: Model) -> [UnsafeRawPointer?] {
        model.parameters.map { p in
            model[keyPath: p.path].elements.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        }
    }

    enum Rule: CaseIterable { case sgd, rmsProp, adam }

    /// A step that copied a parameter (or its optimiser state) before writing to it
    /// would cost a whole model's worth of copying on every step; it would also move
    /// the numbers to new storage, which is what this test looks for. From the second
    /// step on, the state exists and must be updated where it is too.
    @Test(
        "a step updates every parameter where it is stored, through a container's layers too",
        .requires(Piece.networkLayers + [.sgd, .rmsProp, .adam]), arguments: Rule.allCases)
    func inPlace(_ rule: Rule) {
        var generator = SeededGenerator(seed: 3)
        var model: Generator<Float> = GANArchitecture.small.generator(using: &generator)
        var gradients = model
        for p in gradients.parameters { gradients[keyPath: p.path] = model[keyPath: p.path].map { $0 / 10 } }
        var sgd = SGD<Generator<Float>>(learningRate: 1e-2, momentum: 0.9)
        var rmsProp = RMSProp<Generator<Float>>(learningRate: 1e-2)
        var adam = Adam<Generator<Float>>(learningRate: 1e-2)
        for step in 1...3 {
            let before = Self.addresses(model)
            switch rule {
            case .sgd: sgd.step(&model, gradients: gradients)
            case .rmsProp: rmsProp.step(&model, gradients: gradients)
            case .adam: adam.step(&model, gradients: gradients)
            }
            let copied = zip(model.parameters, zip(Self.addresses(model), before)).filter { $1.0 != $1.1 }.map(\.0.name)
            #expect(copied.isEmpty, "step \(step) copied \(copied.count) parameters before updating them: \(copied)")
        }
    }
}
