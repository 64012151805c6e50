import Learn
/// Each kind's signature, in the library's legend: N batch, T time steps, D input
/// features, H hidden units, K classes; I and O a linear layer's widths, F features.
extension FixtureSignature {
    /// The four gates of equations (1)–(4): their activation and weights' names.
    static let gates: [String: (activation: String, wx: String, wh: String, b: String)] = [
        "g": ("tanh", "wgx", "wgh", "bg"),
        "i": ("sigmoid", "wix", "wih", "bi"),
        "f": ("sigmoid", "wfx", "wfh", "bf"),
        "o": ("sigmoid", "wox", "woh", "bo"),
    ]

    /// The signature of `fixture`'s kind (which may depend on its options).
    static func of(_ fixture: FixtureCase) throws -> FixtureSignature {
        switch fixture.kind {
        case .gate:
            let letter = try fixture.text("gate", oneOf: ["g", "i", "f", "o"])
            let activation = try fixture.text("activation", oneOf: ["sigmoid", "tanh"])
            guard let gate = gates[letter], gate.activation == activation else {
                throw fixture.failure(
                    "options.activation is \"\(activation)\", but gate \(letter) uses \(gates[letter]?.activation ?? "?")"
                )
            }
            return recurrent(output: letter, wx: gate.wx, wh: gate.wh, b: gate.b, options: ["gate", "activation"])
        case .rnnHiddenState:
            return recurrent(output: "h", wx: "whx", wh: "whh", b: "bh")
        case .cellState:
            var s = FixtureSignature(objective: .weightedSum("c"))
            for name in ["g", "i", "f", "prevC"] { s.input(name, "N", "H") }
            s.output("c", "N", "H")
            return s
        case .hiddenState:
            var s = FixtureSignature(objective: .weightedSum("h"))
            s.input("c", "N", "H")
            s.input("o", "N", "H")
            s.output("h", "N", "H")
            return s
        case .prediction:
            var s = FixtureSignature(objective: .weightedSum("p"))
            s.input("h", "N", "H")
            s.parameter("wph", "K", "H")
            s.parameter("bp", 1, "K")
            s.output("p", "N", "K")
            return s
        case .softmaxCrossEntropy:
            var s = FixtureSignature(objective: .output("loss"))
            s.input("p", "N", "K")
            s.labels("N", classes: "K")
            s.output("loss", 1, 1)
            s.output("probabilities", "N", "K")
            return s
        case .lstm, .rnn:
            return try sequence(fixture)
        case .linear:
            var s = FixtureSignature(objective: .weightedSum("y"))
            s.input("x", "N", "I")
            s.parameter("w", "O", "I")
            s.parameter("b", 1, "O")
            s.output("y", "N", "O")
            return s
        case .leakyReLU, .relu, .tanh, .sigmoid:
            var s = FixtureSignature(objective: .weightedSum("y"), options: fixture.kind == .leakyReLU ? ["slope"] : [])
            if fixture.kind == .leakyReLU { _ = try fixture.slope() }
            s.input("x", "N", "F")
            s.output("y", "N", "F")
            return s
        case .batchNorm:
            return try batchNorm(fixture)
        case .minimaxDiscriminatorLoss:
            var s = FixtureSignature(objective: .output("loss"))
            s.input("realLogits", "N", 1)
            s.input("fakeLogits", "M", 1)
            for name in ["loss", "real", "fake"] { s.output(name, 1, 1) }
            return s
        case .minimaxGeneratorLoss, .nonSaturatingLoss:
            var s = FixtureSignature(objective: .output("loss"))
            s.input("fakeLogits", "N", 1)
            s.output("loss", 1, 1)
            return s
        case .generator, .discriminator:
            return try network(fixture)
        case .sgd, .rmsprop, .adam:
            return try trajectory(fixture)
        }
    }

    /// y = φ(W_x x + W_h h(t−1) + b): a gate, or the RNN's recurrence.
    static func recurrent(output: String, wx: String, wh: String, b: String, options: [String] = []) -> FixtureSignature
    {
        var s = FixtureSignature(objective: .weightedSum(output), options: options)
        s.input("x", "N", "D")
        s.input("prevH", "N", "H")
        s.parameter(wx, "H", "D")
        s.parameter(wh, "H", "H")
        s.parameter(b, 1, "H")
        s.output(output, "N", "H")
        return s
    }

    /// The LSTM or the RNN over x(1)…x(T), loss on the last step.
    static func sequence(_ fixture: FixtureCase) throws -> FixtureSignature {
        let steps = try fixture.count("timeSteps")
        try requireSteps(steps, "timeSteps", inputsPerStep: 1, fixture)
        var s = FixtureSignature(objective: .output("loss"), options: ["timeSteps"])
        for t in 1...steps { s.input("x(\(t))", "N", "D") }
        s.labels("N", classes: "K")
        let letters = fixture.kind == .lstm ? ["g", "i", "f", "o"] : []
        for letter in letters {
            guard let gate = gates[letter] else { continue }
            s.parameter(gate.wx, "H", "D")
            s.parameter(gate.wh, "H", "H")
            s.parameter(gate.b, 1, "H")
        }
        if fixture.kind == .rnn {
            s.parameter("whx", "H", "D")
            s.parameter("whh", "H", "H")
            s.parameter("bh", 1, "H")
        }
        s.parameter("wph", "K", "H")
        s.parameter("bp", 1, "K")
        s.output("p(\(steps))", "N", "K")
        s.output("h(\(steps))", "N", "H")
        s.output("loss", 1, 1)
        return s
    }

    /// A step count no larger than the inputs could support (so a typo such as 10⁸
    /// steps is an error at once, not a list of 10⁸ missing tensors).
    static func requireSteps(_ steps: Int, _ key: String, inputsPerStep: Int, _ fixture: FixtureCase) throws {
        guard steps * inputsPerStep <= fixture.inputs.count else {
            throw fixture.failure(
                "options.\(key) is \(steps), but there are only \(fixture.inputs.count) inputs "
                    + "(\(inputsPerStep) per step are needed)")
        }
    }

    static func batchNorm(_ fixture: FixtureCase) throws -> FixtureSignature {
        let mode = try fixture.mode()
        _ = try fixture.number("momentum", "in [0, 1]") { $0 >= 0 && $0 <= 1 }
        _ = try fixture.number("epsilon", "positive") { $0 > 0 && $0.isFinite }
        var s = FixtureSignature(objective: .weightedSum("y"), options: ["mode", "momentum", "epsilon"])
        s.input("x", "N", "F")
        s.parameter("gamma", 1, "F")
        s.parameter("beta", 1, "F")
        for name in ["runningMean", "runningVariance"] {
            s.buffer(name, 1, "F")
            s.output(name, 1, "F")
        }
        s.output("y", "N", "F")
        if mode == .training {
            s.minimums.append(("N", 2, "batch normalisation needs at least 2 rows to train"))
        }
        return s
    }

    /// The generator or discriminator, whose parameters and buffers are those of the
    /// network Learn's ``GANArchitecture`` builds from the options.
    static func network(_ fixture: FixtureCase) throws -> FixtureSignature {
        let isGenerator = fixture.kind == .generator
        // Size the network from the options before building it, so that a typo such as
        // a width of 10⁸ is an error rather than gigabytes of random weights.
        let architecture = try FixtureRunner.architecture(fixture)
        let needed = parameterCount(architecture, generator: isGenerator)
        let held = fixture.parameters.values.reduce(0) { $0 + $1.count }
        guard needed <= Double(held) else {
            throw fixture.failure(
                "the options describe a network of \(Int(min(needed, 1e18))) parameters, "
                    + "but the case's parameters hold only \(held) numbers")
        }
        let network = try FixtureRunner.network(fixture)
        let options =
            isGenerator
            ? ["noiseSize", "widths", "imageSize", "slope", "mode", "momentum", "epsilon"]
            : ["imageSize", "widths", "slope"]
        var s = FixtureSignature(objective: .weightedSum(isGenerator ? "images" : "logits"), options: options)
        if isGenerator {
            s.input("z", "N", .fixed(architecture.noiseSize))
            s.output("images", "N", .fixed(architecture.imageSize))
        } else {
            s.input("x", "N", .fixed(architecture.imageSize))
            s.output("logits", "N", 1)
        }
        for p in network.parameters {
            let m = network[keyPath: p.path]
            s.parameter(p.name, .fixed(m.rows), .fixed(m.columns))
        }
        for b in network.buffers {
            let m = network[keyPath: b.path]
            s.buffer(b.name, .fixed(m.rows), .fixed(m.columns))
            s.output(b.name, .fixed(m.rows), .fixed(m.columns))
        }
        if isGenerator, try fixture.mode() == .training, !network.buffers.isEmpty {
            s.minimums.append(("N", 2, "batch normalisation needs at least 2 rows to train"))
        }
        return s
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

    /// An optimiser's steps on a 2-parameter model: w (O×I) and b (1×O), a linear layer.
    static func trajectory(_ fixture: FixtureCase) throws -> FixtureSignature {
        let steps = try fixture.count("steps")
        try requireSteps(steps, "steps", inputsPerStep: 2, fixture)
        let unit = "in [0, 1)"
        let inUnit: (Double) -> Bool = { $0 >= 0 && $0 < 1 }
        _ = try fixture.number("learningRate", "positive") { $0 > 0 && $0.isFinite }
        var options = ["steps", "learningRate"]
        switch fixture.kind {
        case .sgd:
            _ = try fixture.number("momentum", unit, inUnit)
            options += ["momentum"]
        case .rmsprop:
            _ = try fixture.number("alpha", unit, inUnit)
            _ = try fixture.number("epsilon", "positive") { $0 > 0 && $0.isFinite }
            options += ["alpha", "epsilon"]
        default:
            _ = try fixture.number("beta1", unit, inUnit)
            _ = try fixture.number("beta2", unit, inUnit)
            _ = try fixture.number("epsilon", "positive") { $0 > 0 && $0.isFinite }
            options += ["beta1", "beta2", "epsilon"]
        }
        var s = FixtureSignature(objective: .none, options: options)
        s.parameter("w", "O", "I")
        s.parameter("b", 1, "O")
        for t in 1...steps {
            s.input("dw(\(t))", "O", "I")
            s.input("db(\(t))", 1, "O")
            s.output("w(\(t))", "O", "I")
            s.output("b(\(t))", 1, "O")
        }
        return s
    }
}
