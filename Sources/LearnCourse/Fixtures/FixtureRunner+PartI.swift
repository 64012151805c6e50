import Learn
/// Part I through the runner: equations (1)–(9), the RNN's recurrence, the whole LSTM
/// and RNN. Shapes in the library's legend (N, T, D, H, K).
extension FixtureRunner {
    /// One gate of equations (1)–(4), chosen by `options.gate`.
    static func gate(_ fixture: FixtureCase) throws -> FixtureComputation {
        let letter = try fixture.text("gate", oneOf: ["g", "i", "f", "o"])
        guard let names = FixtureSignature.gates[letter] else { throw fixture.failure("unknown gate \(letter)") }
        let (wx, wh, b) = (
            try fixture.parameter(names.wx), try fixture.parameter(names.wh), try fixture.parameter(names.b)
        )
        func step<Gate: RecurrentGate<Double>>(_: Gate.Type) throws -> FixtureComputation {
            try recurrentStep(Gate(wx: wx, wh: wh, b: b), output: letter, fixture)
        }
        switch letter {
        case "g": return try step(InputModulation.self)
        case "i": return try step(InputGate.self)
        case "f": return try step(ForgetGate.self)
        default: return try step(OutputGate.self)
        }
    }

    /// The vanilla RNN's h(t) = tanh(W_hx x(t) + W_hh h(t−1) + b_h).
    static func rnnHiddenState(_ fixture: FixtureCase) throws -> FixtureComputation {
        let step = RNNHiddenState(
            wx: try fixture.parameter("whx"), wh: try fixture.parameter("whh"), b: try fixture.parameter("bh"))
        return try recurrentStep(step, output: "h", fixture)
    }

    /// Forward, then backward from R, for anything shaped y = φ(W_x x + W_h h(t−1) + b).
    static func recurrentStep<Gate: RecurrentGate<Double>>(
        _ gate: Gate, output: String, _ fixture: FixtureCase
    ) throws -> FixtureComputation {
        let (y, cache) = gate.forward(x: try fixture.input("x"), prevH: try fixture.input("prevH"))
        var grads = FixtureComputation.primed(gate)
        let (dX, dPrevH) = gate.backward(into: &grads, try fixture.objectiveWeights(), cache: cache)
        var result = FixtureComputation(outputs: [output: y], gradients: ["x": dX, "prevH": dPrevH])
        result.addParameterGradients(grads, primer: FixtureComputation.primer)
        return result
    }

    /// Equation (5), c = g ⊙ i + c(t−1) ⊙ f.
    static func cellState(_ fixture: FixtureCase) throws -> FixtureComputation {
        let (c, cache) = CellState.forward(
            g: try fixture.input("g"), i: try fixture.input("i"), f: try fixture.input("f"),
            prevC: try fixture.input("prevC"))
        let d = CellState.backward(try fixture.objectiveWeights(), cache: cache)
        return FixtureComputation(outputs: ["c": c], gradients: ["g": d.dG, "i": d.dI, "f": d.dF, "prevC": d.dPrevC])
    }

    /// Equation (6), h = tanh(c) ⊙ o.
    static func hiddenState(_ fixture: FixtureCase) throws -> FixtureComputation {
        let (h, cache) = HiddenState.forward(c: try fixture.input("c"), o: try fixture.input("o"))
        let d = HiddenState.backward(try fixture.objectiveWeights(), cache: cache)
        return FixtureComputation(outputs: ["h": h], gradients: ["c": d.dC, "o": d.dO])
    }

    /// Equation (7), p = W_ph h + b_p.
    static func prediction(_ fixture: FixtureCase) throws -> FixtureComputation {
        let layer = Prediction(wph: try fixture.parameter("wph"), bp: try fixture.parameter("bp"))
        let h = try fixture.input("h")
        let p = layer.forward(h: h)
        var grads = FixtureComputation.primed(layer)
        let dH = layer.backward(into: &grads, try fixture.objectiveWeights(), h: h)
        var result = FixtureComputation(outputs: ["p": p], gradients: ["h": dH])
        result.addParameterGradients(grads, primer: FixtureComputation.primer)
        return result
    }

    /// Equations (8)–(9), fused: the mean cross-entropy of softmax(p).
    static func softmaxCrossEntropy(_ fixture: FixtureCase) throws -> FixtureComputation {
        let p = try fixture.input("p")
        let (loss, cache) = SoftmaxCrossEntropy.forward(p, labels: try fixture.labels())
        return FixtureComputation(
            outputs: ["loss": scalar(loss), "probabilities": cache.probabilities],
            gradients: ["p": SoftmaxCrossEntropy.backward(cache: cache)])
    }

    /// The sequence x(1)…x(T), by its names in the case.
    static func sequence(_ fixture: FixtureCase) throws -> [Matrix<Double>] {
        try (1...fixture.count("timeSteps")).map { try fixture.input("x(\($0))") }
    }

    /// The whole LSTM: forward over T steps, the loss on the last, backpropagation
    /// through time for the parameters — and, since ``LSTM/backward(_:cache:)`` keeps
    /// only those, ∂L/∂x(t) from ``LSTM/backwardThroughTime(_:cache:)``.
    static func lstm(_ fixture: FixtureCase) throws -> FixtureComputation {
        func weights(_ letter: String) throws -> (Matrix<Double>, Matrix<Double>, Matrix<Double>) {
            guard let n = FixtureSignature.gates[letter] else { throw fixture.failure("unknown gate \(letter)") }
            return (try fixture.parameter(n.wx), try fixture.parameter(n.wh), try fixture.parameter(n.b))
        }
        let (g, i, f, o) = (try weights("g"), try weights("i"), try weights("f"), try weights("o"))
        let model = LSTM(
            g: InputModulation(wx: g.0, wh: g.1, b: g.2), i: InputGate(wx: i.0, wh: i.1, b: i.2),
            f: ForgetGate(wx: f.0, wh: f.1, b: f.2), o: OutputGate(wx: o.0, wh: o.1, b: o.2),
            p: Prediction(wph: try fixture.parameter("wph"), bp: try fixture.parameter("bp")))
        return try sequenceModel(model, fixture, lastH: \.lastH)
    }

    /// The vanilla RNN, as ``lstm(_:)``.
    static func rnn(_ fixture: FixtureCase) throws -> FixtureComputation {
        let model = RNN(
            hidden: RNNHiddenState(
                wx: try fixture.parameter("whx"), wh: try fixture.parameter("whh"), b: try fixture.parameter("bh")),
            p: Prediction(wph: try fixture.parameter("wph"), bp: try fixture.parameter("bp")))
        return try sequenceModel(model, fixture, lastH: \.lastH)
    }

    /// What the LSTM and RNN cases share: forward over the case's sequence, the mean
    /// cross-entropy of the last step, and backpropagation through time for every
    /// parameter and every x(t).
    static func sequenceModel<Model: SequenceClassifier>(
        _ model: Model, _ fixture: FixtureCase, lastH: (Model.Cache) -> Matrix<Double>
    ) throws -> FixtureComputation where Model.Scalar == Double {
        let xs = try sequence(fixture)
        let (scores, cache) = model.forward(xs)
        let (loss, lossCache) = SoftmaxCrossEntropy.forward(scores, labels: try fixture.labels())
        let dScores = SoftmaxCrossEntropy.backward(cache: lossCache)
        var result = FixtureComputation(
            outputs: ["p(\(xs.count))": scores, "h(\(xs.count))": lastH(cache), "loss": scalar(loss)])
        let (gradients, dXs) = model.backwardThroughTime(dScores, cache: cache)
        result.addParameterGradients(gradients)
        for (t, dX) in dXs.enumerated() {
            result.gradients["x(\(t + 1))"] = dX
        }
        return result
    }
}
