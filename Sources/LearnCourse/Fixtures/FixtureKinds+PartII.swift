import Learn

/// Part II's kinds: layers, the GAN losses, the generator and the discriminator; and
/// the optimisers' trajectories. Shapes: N batch, I and O a linear layer's widths,
/// F features.
extension FixtureRunner {
    /// The shapes of a linear layer's w (out×in) and b.
    static let linearShapes: [FixtureReading.Shape] = [("O", "I"), (1, "O")]

    /// y = x·Wᵀ + b.
    static func linear(_ r: inout FixtureReading) throws -> Computation {
        let x = try r.input("x", "N", "I")
        let layer = try r.load(Linear(w: blank, b: blank), shapes: linearShapes)
        return try layerStep(layer, x: x, y: try r.output("y", "N", "O"), &r)
    }

    /// An elementwise activation, y of x's shape.
    static func activation<L: Layer>(_ layer: L, _ r: inout FixtureReading) throws -> Computation
    where L.Scalar == Double {
        let x = try r.input("x", "N", "F")
        return try layerStep(layer, x: x, y: try r.output("y", "N", "F"), &r)
    }

    /// BatchNorm with the case's momentum, ε, parameters and running statistics.
    static func batchNorm(_ r: inout FixtureReading) throws -> Computation {
        let mode = try r.mode()
        let momentum = try r.number("momentum", "in [0, 1]") { $0 >= 0 && $0 <= 1 }
        let norm = BatchNorm<Double>(features: 1, momentum: momentum, epsilon: try r.positive("epsilon"))
        let x = try r.input("x", "N", "F")
        if mode == .training { try r.require("N", atLeast: 2, batchNormRows) }
        let layer = try r.load(norm, shapes: [FixtureReading.Shape](repeating: (1, "F"), count: 4))
        return try layerStep(layer, x: x, y: try r.output("y", "N", "F"), mode: mode, &r)
    }

    static let batchNormRows = "batch normalisation needs at least 2 rows to train"

    /// Any layer: forward in `mode`, backward from R. Its buffers after the forward
    /// pass (BatchNorm's running statistics) are outputs too, under their names.
    static func layerStep<L: Layer>(
        _ layer: L, x: FixtureReading.Tensor, y: FixtureReading.Tensor, mode: Mode = .training,
        _ r: inout FixtureReading
    ) throws -> Computation where L.Scalar == Double {
        let weights = try r.weightedSum(of: y)
        let forwardOnly = r.forwardOnly
        return {
            var layer = layer
            let (value, cache) = layer.forward(x.value, mode: mode)
            if forwardOnly { return FixtureComputation(outputs: [y: value], gradients: [:]) }
            var grads = FixtureComputation.primed(layer)
            let dX = layer.backward(into: &grads, weights, cache: cache)
            var result = FixtureComputation(outputs: [y: value], gradients: [x: dX])
            result.addParameterGradients(grads, primer: FixtureComputation.primer)
            for b in layer.buffers { result.outputs[b.name] = layer[keyPath: b.path] }
            return result
        }
    }

    /// L_D = mean softplus(−ℓ_real) + mean softplus(ℓ_fake), and its two terms.
    static func minimaxDiscriminatorLoss(_ r: inout FixtureReading) throws -> Computation {
        let (real, fake) = (try r.input("realLogits", "N", 1), try r.input("fakeLogits", "M", 1))
        let (loss, realTerm, fakeTerm) = (try r.scalar("loss"), try r.scalar("real"), try r.scalar("fake"))
        try r.objective(is: loss)
        return {
            let terms = MinimaxLoss.discriminator(realLogits: real.value, fakeLogits: fake.value)
            let (dReal, dFake) = MinimaxLoss.discriminatorBackward(realLogits: real.value, fakeLogits: fake.value)
            return FixtureComputation(
                outputs: [loss: scalar(terms.total), realTerm: scalar(terms.real), fakeTerm: scalar(terms.fake)],
                gradients: [real: dReal, fake: dFake])
        }
    }

    /// A generator loss of D's logits on the samples, and its gradient.
    static func generatorLoss(
        _ value: @escaping (Matrix<Double>) -> Double, _ gradient: @escaping (Matrix<Double>) -> Matrix<Double>,
        _ r: inout FixtureReading
    ) throws -> Computation {
        let logits = try r.input("fakeLogits", "N", 1)
        let loss = try r.scalar("loss")
        try r.objective(is: loss)
        return {
            FixtureComputation(
                outputs: [loss: scalar(value(logits.value))], gradients: [logits: gradient(logits.value)])
        }
    }

    /// A whole generator (z → images) or discriminator (x → logits), the network Learn's
    /// ``GANArchitecture`` builds from the options (without dropout, whose masks are
    /// Learn's own), loaded with the case's parameters and buffers.
    static func network(_ r: inout FixtureReading) throws -> Computation {
        let isGenerator = r.fixture.kind == .generator
        var a = GANArchitecture()
        a.imageSize = try r.count("imageSize")
        a.slope = try r.fraction("slope")
        a.dropout = 0
        if isGenerator {
            a.noiseSize = try r.count("noiseSize")
            a.generatorWidths = try r.counts("widths")
            guard !a.generatorWidths.isEmpty else {
                throw r.failure("options.widths must list at least one hidden width for a generator (its first block)")
            }
        } else {
            a.discriminatorWidths = try r.counts("widths")
        }
        // Sized from the options before it is built, so that a typo such as a width of
        // 10⁸ is an error rather than gigabytes of random weights.
        let needed = parameterCount(a, generator: isGenerator)
        let held = r.fixture.parameters.values.reduce(0) { $0 + $1.count }
        guard needed <= Double(held) else {
            throw r.failure(
                "the options describe a network of \(Int(min(needed, 1e18))) parameters, "
                    + "but the case's parameters hold only \(held) numbers")
        }
        var random = SeededGenerator(seed: 0)
        guard isGenerator else {
            let x = try r.input("x", "N", .fixed(a.imageSize))
            let net = try r.load(a.discriminator(using: &random) as Discriminator<Double>)
            return try layerStep(net, x: x, y: try r.output("logits", "N", 1), &r)
        }
        let mode = try r.mode()
        let (momentum, epsilon) = (
            try r.number("momentum", "in [0, 1]") { $0 >= 0 && $0 <= 1 }, try r.positive("epsilon")
        )
        var template: Generator<Double> = a.generator(using: &random)
        for k in template.hidden.indices {
            (template.hidden[k].norm.momentum, template.hidden[k].norm.epsilon) = (momentum, epsilon)
        }
        let z = try r.input("z", "N", .fixed(a.noiseSize))
        if mode == .training, !template.buffers.isEmpty { try r.require("N", atLeast: 2, batchNormRows) }
        let net = try r.load(template)
        return try layerStep(net, x: z, y: try r.output("images", "N", .fixed(a.imageSize)), mode: mode, &r)
    }

    /// The number of trainable numbers of the generator or discriminator `a` describes
    /// (in Double, so that absurd sizes cannot overflow).
    static func parameterCount(_ a: GANArchitecture, generator: Bool) -> Double {
        var total = 0.0
        var width = Double(generator ? a.noiseSize : a.imageSize)
        for (k, next) in (generator ? a.generatorWidths : a.discriminatorWidths).enumerated() {
            let n = Double(next)
            total += width * n + n + (generator && k > 0 ? 2 * n : 0)  // W, b and BatchNorm's γ, β
            width = n
        }
        let last = Double(generator ? a.imageSize : 1)
        return total + width * last + last
    }

    /// An optimiser's steps on a linear layer's w (O×I) and b (1×O) with the given
    /// dw(t), db(t); outputs w(t), b(t) after each step t. `optimizer` makes the
    /// optimiser from the learning rate and the kind's other options.
    static func trajectory<O: Optimizer>(
        _ r: inout FixtureReading, _ optimizer: (inout FixtureReading, Double) throws -> O
    ) throws -> Computation where O.Model == Linear<Double> {
        let steps = try r.steps("steps", inputsPerStep: 2)
        let optimizer = try optimizer(&r, try r.positive("learningRate"))
        let model = try r.load(Linear(w: blank, b: blank), shapes: linearShapes)
        var trajectory:
            [(dw: FixtureReading.Tensor, db: FixtureReading.Tensor, w: FixtureReading.Tensor, b: FixtureReading.Tensor)] =
                []
        for t in 1...steps {
            trajectory.append(
                (
                    try r.input("dw(\(t))", "O", "I"), try r.input("db(\(t))", 1, "O"),
                    try r.output("w(\(t))", "O", "I"),
                    try r.output("b(\(t))", 1, "O")
                ))
        }
        try r.noObjective()
        return {
            var (optimizer, model, result) = (optimizer, model, FixtureComputation())
            for step in trajectory {
                optimizer.step(&model, gradients: Linear(w: step.dw.value, b: step.db.value))
                result.outputs[step.w.name] = model.w
                result.outputs[step.b.name] = model.b
            }
            return result
        }
    }
}
