import Learn

/// Part I's kinds: equations (1)–(9), the RNN's recurrence, the whole LSTM and RNN.
/// Each reads its tensors (see ``FixtureReading``), then computes forward and backward.
/// Shapes in the library's legend: N batch, T time steps, D input features, H hidden
/// units, K classes.
extension FixtureRunner {
    /// The four gates of equations (1)–(4) by their letter in `options.gate`, with the
    /// activation `options.activation` must name.
    static let gates: [String: (type: any RecurrentGate<Double>.Type, activation: String)] = [
        "g": (InputModulation<Double>.self, "tanh"),
        "i": (InputGate<Double>.self, "sigmoid"),
        "f": (ForgetGate<Double>.self, "sigmoid"),
        "o": (OutputGate<Double>.self, "sigmoid"),
    ]

    /// The shapes of a recurrent gate's weights, in the order it lists them: W_x, W_h, b.
    static let gateShapes: [FixtureReading.Shape] = [("H", "D"), ("H", "H"), (1, "H")]
    /// The shapes of equation (7)'s W_ph and b_p.
    static let predictionShapes: [FixtureReading.Shape] = [("K", "H"), (1, "K")]

    /// A matrix to build a template from: its values are replaced as the case is read.
    static let blank = Matrix<Double>(rows: 1, columns: 1)

    /// One gate of equations (1)–(4), chosen by `options.gate`.
    static func gate(_ r: inout FixtureReading) throws -> Computation {
        let letter = try r.text("gate", oneOf: ["g", "i", "f", "o"])
        let activation = try r.text("activation", oneOf: ["sigmoid", "tanh"])
        guard let gate = gates[letter], gate.activation == activation else {
            throw r.failure(
                "options.activation is \"\(activation)\", but gate \(letter) uses \(gates[letter]?.activation ?? "?")")
        }
        return try recurrentStep(gate.type, output: letter, &r)
    }

    /// The vanilla RNN's h(t) = tanh(W_hx x(t) + W_hh h(t−1) + b_h).
    static func rnnHiddenState(_ r: inout FixtureReading) throws -> Computation {
        try recurrentStep(RNNHiddenState<Double>.self, output: "h", &r)
    }

    /// Forward, then backward from R, for anything shaped y = φ(W_x x + W_h h(t−1) + b).
    static func recurrentStep<Gate: RecurrentGate<Double>>(
        _: Gate.Type, output name: String, _ r: inout FixtureReading
    ) throws -> Computation {
        let (x, prevH) = (try r.input("x", "N", "D"), try r.input("prevH", "N", "H"))
        let gate = try r.load(Gate(wx: blank, wh: blank, b: blank), shapes: gateShapes)
        let y = try r.output(name, "N", "H")
        let weights = try r.weightedSum(of: y)
        return {
            let (value, cache) = gate.forward(x: x.value, prevH: prevH.value)
            var grads = FixtureComputation.primed(gate)
            let (dX, dPrevH) = gate.backward(into: &grads, weights, cache: cache)
            var result = FixtureComputation(outputs: [y: value], gradients: [x: dX, prevH: dPrevH])
            result.addParameterGradients(grads, primer: FixtureComputation.primer)
            return result
        }
    }

    /// Equation (5), c = g ⊙ i + c(t−1) ⊙ f.
    static func cellState(_ r: inout FixtureReading) throws -> Computation {
        let (g, i, f, prevC) = (
            try r.input("g", "N", "H"), try r.input("i", "N", "H"), try r.input("f", "N", "H"),
            try r.input("prevC", "N", "H")
        )
        let c = try r.output("c", "N", "H")
        let weights = try r.weightedSum(of: c)
        return {
            let (value, cache) = CellState.forward(g: g.value, i: i.value, f: f.value, prevC: prevC.value)
            let d = CellState.backward(weights, cache: cache)
            return FixtureComputation(outputs: [c: value], gradients: [g: d.dG, i: d.dI, f: d.dF, prevC: d.dPrevC])
        }
    }

    /// Equation (6), h = tanh(c) ⊙ o.
    static func hiddenState(_ r: inout FixtureReading) throws -> Computation {
        let (c, o) = (try r.input("c", "N", "H"), try r.input("o", "N", "H"))
        let h = try r.output("h", "N", "H")
        let weights = try r.weightedSum(of: h)
        return {
            let (value, cache) = HiddenState.forward(c: c.value, o: o.value)
            let d = HiddenState.backward(weights, cache: cache)
            return FixtureComputation(outputs: [h: value], gradients: [c: d.dC, o: d.dO])
        }
    }

    /// Equation (7), p = W_ph h + b_p.
    static func prediction(_ r: inout FixtureReading) throws -> Computation {
        let h = try r.input("h", "N", "H")
        let layer = try r.load(Prediction(wph: blank, bp: blank), shapes: predictionShapes)
        let p = try r.output("p", "N", "K")
        let weights = try r.weightedSum(of: p)
        return {
            var grads = FixtureComputation.primed(layer)
            let dH = layer.backward(into: &grads, weights, h: h.value)
            var result = FixtureComputation(outputs: [p: layer.forward(h: h.value)], gradients: [h: dH])
            result.addParameterGradients(grads, primer: FixtureComputation.primer)
            return result
        }
    }

    /// Equations (8)–(9), fused: the mean cross-entropy of softmax(p).
    static func softmaxCrossEntropy(_ r: inout FixtureReading) throws -> Computation {
        let p = try r.input("p", "N", "K")
        let labels = try r.labels("N", classes: "K")
        let (loss, probabilities) = (try r.scalar("loss"), try r.output("probabilities", "N", "K"))
        try r.objective(is: loss)
        return {
            let (value, cache) = SoftmaxCrossEntropy.forward(p.value, labels: labels)
            return FixtureComputation(
                outputs: [loss: scalar(value), probabilities: cache.probabilities],
                gradients: [p: SoftmaxCrossEntropy.backward(cache: cache)])
        }
    }

    /// The whole LSTM: forward over T steps, the loss on the last, backpropagation
    /// through time for the parameters — and, since ``LSTM/backward(_:cache:)`` keeps
    /// only those, ∂L/∂x(t) from ``LSTM/backwardThroughTime(_:cache:)``.
    static func lstm(_ r: inout FixtureReading) throws -> Computation {
        let template = LSTM(
            g: InputModulation(wx: blank, wh: blank, b: blank), i: InputGate(wx: blank, wh: blank, b: blank),
            f: ForgetGate(wx: blank, wh: blank, b: blank), o: OutputGate(wx: blank, wh: blank, b: blank),
            p: Prediction(wph: blank, bp: blank))
        return try sequenceModel(
            template, shapes: Array(repeating: gateShapes, count: 4).flatMap { $0 }, lastH: \.lastH, &r)
    }

    /// The vanilla RNN, as ``lstm(_:)``.
    static func rnn(_ r: inout FixtureReading) throws -> Computation {
        let template = RNN(hidden: RNNHiddenState(wx: blank, wh: blank, b: blank), p: Prediction(wph: blank, bp: blank))
        return try sequenceModel(template, shapes: gateShapes, lastH: \.lastH, &r)
    }

    /// What the LSTM and RNN cases share: forward over x(1)…x(T), the mean cross-entropy
    /// of the last step, and backpropagation through time for every parameter and every
    /// x(t). `shapes` are the recurrent weights' (the prediction's follow).
    static func sequenceModel<Model: SequenceClassifier>(
        _ template: Model, shapes: [FixtureReading.Shape], lastH: @escaping (Model.Cache) -> Matrix<Double>,
        _ r: inout FixtureReading
    ) throws -> Computation where Model.Scalar == Double {
        let steps = try r.steps("timeSteps", inputsPerStep: 1)
        let xs = try r.inputs("x", count: steps, "N", "D")
        let labels = try r.labels("N", classes: "K")
        let model = try r.load(template, shapes: shapes + predictionShapes)
        let (p, h, loss) = (
            try r.output("p(\(steps))", "N", "K"), try r.output("h(\(steps))", "N", "H"), try r.scalar("loss")
        )
        try r.objective(is: loss)
        let forwardOnly = r.forwardOnly
        return {
            let (scores, cache) = model.forward(xs.map(\.value))
            let (value, lossCache) = SoftmaxCrossEntropy.forward(scores, labels: labels)
            if forwardOnly {
                return FixtureComputation(
                    outputs: [p: scores, h: lastH(cache), loss: scalar(value)], gradients: [:])
            }
            let (gradients, dXs) = model.backwardThroughTime(
                SoftmaxCrossEntropy.backward(cache: lossCache), cache: cache)
            var result = FixtureComputation(
                outputs: [p: scores, h: lastH(cache), loss: scalar(value)],
                gradients: Dictionary(uniqueKeysWithValues: zip(xs, dXs)))
            result.addParameterGradients(gradients)
            return result
        }
    }
}
