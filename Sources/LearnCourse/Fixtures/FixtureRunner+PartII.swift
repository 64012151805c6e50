import Learn
/// Part II through the runner: layers, the GAN losses, the generator and the
/// discriminator; and the optimisers' trajectories.
extension FixtureRunner {
    /// Any layer: forward in the case's mode (training when it has none), backward
    /// from R. Its buffers after the forward pass (BatchNorm's running statistics) are
    /// outputs too, under their names.
    static func layer<L: Layer>(
        _ layer: L, _ fixture: FixtureCase, input: String = "x", output: String = "y", mode: Mode = .training
    ) throws -> FixtureComputation where L.Scalar == Double {
        var layer = layer
        let (y, cache) = layer.forward(try fixture.input(input), mode: mode)
        var grads = FixtureComputation.primed(layer)
        let dX = layer.backward(into: &grads, try fixture.objectiveWeights(), cache: cache)
        var result = FixtureComputation(outputs: [output: y], gradients: [input: dX])
        result.addParameterGradients(grads, primer: FixtureComputation.primer)
        for b in layer.buffers { result.outputs[b.name] = layer[keyPath: b.path] }
        return result
    }

    /// BatchNorm with the case's momentum, ε, parameters and running statistics.
    static func batchNorm(_ fixture: FixtureCase) throws -> FixtureComputation {
        let features = try fixture.parameter("gamma").columns
        let norm = BatchNorm<Double>(
            features: features, momentum: try fixture.number("momentum"), epsilon: try fixture.number("epsilon"))
        return try layer(try fixture.loading(norm), fixture, mode: try fixture.mode())
    }

    /// L_D = mean softplus(−ℓ_real) + mean softplus(ℓ_fake), and its two terms.
    static func minimaxDiscriminatorLoss(_ fixture: FixtureCase) throws -> FixtureComputation {
        let (real, fake) = (try fixture.input("realLogits"), try fixture.input("fakeLogits"))
        let terms = MinimaxLoss.discriminator(realLogits: real, fakeLogits: fake)
        let (dReal, dFake) = MinimaxLoss.discriminatorBackward(realLogits: real, fakeLogits: fake)
        return FixtureComputation(
            outputs: ["loss": scalar(terms.total), "real": scalar(terms.real), "fake": scalar(terms.fake)],
            gradients: ["realLogits": dReal, "fakeLogits": dFake])
    }

    /// A generator loss of D's logits on the samples, and its gradient.
    static func generatorLoss(
        _ fixture: FixtureCase, _ loss: (Matrix<Double>) -> Double, _ gradient: (Matrix<Double>) -> Matrix<Double>
    ) throws -> FixtureComputation {
        let logits = try fixture.input("fakeLogits")
        return FixtureComputation(outputs: ["loss": scalar(loss(logits))], gradients: ["fakeLogits": gradient(logits)])
    }

    /// The architecture the case describes (no dropout: its masks are Learn's own).
    static func architecture(_ fixture: FixtureCase) throws -> GANArchitecture {
        var a = GANArchitecture()
        a.imageSize = try fixture.count("imageSize")
        a.slope = try fixture.slope()
        a.dropout = 0
        if fixture.kind == .generator {
            a.noiseSize = try fixture.count("noiseSize")
            a.generatorWidths = try fixture.counts("widths")
        } else {
            a.discriminatorWidths = try fixture.counts("widths")
        }
        return a
    }

    /// The network ``GANArchitecture`` builds for the case, with its own random
    /// parameters (their names and shapes are what a case must match) and the case's
    /// BatchNorm momentum and ε.
    static func network(_ fixture: FixtureCase) throws -> Sequential<Double> {
        let a = try architecture(fixture)
        var random = SeededGenerator(seed: 0)
        guard fixture.kind == .generator else { return a.discriminator(using: &random) }
        var net: Sequential<Double> = a.generator(using: &random)
        let momentum = try fixture.number("momentum", "in [0, 1]") { $0 >= 0 && $0 <= 1 }
        let epsilon = try fixture.number("epsilon", "positive") { $0 > 0 && $0.isFinite }
        for k in net.layers.indices {
            if case .batchNorm(var norm) = net.layers[k] {
                (norm.momentum, norm.epsilon) = (momentum, epsilon)
                net.layers[k] = .batchNorm(norm)
            }
        }
        return net
    }

    /// A whole generator (z → images) or discriminator (x → logits), loaded with the
    /// case's parameters and buffers.
    static func networkCase(_ fixture: FixtureCase) throws -> FixtureComputation {
        let net = try fixture.loading(try network(fixture))
        if fixture.kind == .generator {
            return try layer(net, fixture, input: "z", output: "images", mode: try fixture.mode())
        }
        return try layer(net, fixture, input: "x", output: "logits", mode: .training)
    }

    /// An optimiser's steps on a linear layer's w and b with the given gradients;
    /// outputs w(t), b(t) after each step t.
    static func trajectory<O: Optimizer>(_ optimizer: O, _ fixture: FixtureCase) throws -> FixtureComputation
    where O.Model == Linear<Double> {
        var optimizer = optimizer
        var model = Linear(w: try fixture.parameter("w"), b: try fixture.parameter("b"))
        var result = FixtureComputation()
        for t in 1...(try fixture.count("steps")) {
            let gradients = Linear(w: try fixture.input("dw(\(t))"), b: try fixture.input("db(\(t))"))
            optimizer.step(&model, gradients: gradients)
            result.outputs["w(\(t))"] = model.w
            result.outputs["b(\(t))"] = model.b
        }
        return result
    }
}
