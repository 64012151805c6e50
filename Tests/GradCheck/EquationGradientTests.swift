import Learn
import LearnTesting
import Testing

/// Finite differences for the backward pass of every equation file, with respect to
/// every input and every parameter, in Double, relative error ≤ 1e-6.
@Suite("Gradient checks: each equation")
struct EquationGradientTests {
    // Small but not trivial: N = 3 examples, D = 4 features, H = 5 hidden, K = 6 classes.
    let n = 3, d = 4, h = 5, k = 6

    @Test("Affine: y = x·Wᵀ + b", .requires(.affine))
    func affine() {
        let (x, w, b, r) = (random(n, d, seed: 1), random(h, d, seed: 2), random(1, h, seed: 3), random(n, h, seed: 4))
        var dW = Matrix<Double>(shapeOf: w)
        var dB = Matrix<Double>(shapeOf: b)
        let dX = Affine.backward(dW: &dW, dB: &dB, r, x: x, w: w)
        expectAllPass([
            checker.check("x", at: x, analytic: dX) { weighted(Affine.forward($0, w, b), by: r) },
            checker.check("W", at: w, analytic: dW) { weighted(Affine.forward(x, $0, b), by: r) },
            checker.check("b", at: b, analytic: dB) { weighted(Affine.forward(x, w, $0), by: r) },
        ])
    }

    @Test("Activation backward (φ′ from the cached output)", .requires(.activation), arguments: Activation.allCases)
    func activation(_ phi: Activation) {
        let (z, r) = (random(n, h, seed: 5, bound: 3), random(n, h, seed: 6))
        let dZ = phi.backward(r, output: phi.forward(z))
        expectAllPass([checker.check("z", at: z, analytic: dZ) { weighted(phi.forward($0), by: r) }])
    }

    @Test(
        "Gate machinery: y = φ(W_x x + W_h h + b)", .requires(.activation, .gateMachinery),
        arguments: Activation.allCases)
    func gateMachinery(_ phi: Activation) {
        let (x, prevH) = (random(n, d, seed: 11), random(n, h, seed: 12))
        let (wx, wh, b) = (random(h, d, seed: 13), random(h, h, seed: 14), random(1, h, seed: 15))
        let r = random(n, h, seed: 16)
        func f(
            _ x: Matrix<Double>, _ prevH: Matrix<Double>, _ wx: Matrix<Double>, _ wh: Matrix<Double>,
            _ b: Matrix<Double>
        ) -> Double {
            weighted(GateMachinery.forward(x: x, prevH: prevH, wx: wx, wh: wh, b: b, activation: phi).y, by: r)
        }
        let cache = GateMachinery.forward(x: x, prevH: prevH, wx: wx, wh: wh, b: b, activation: phi).cache
        var (dWx, dWh, dB) = (Matrix<Double>(shapeOf: wx), Matrix<Double>(shapeOf: wh), Matrix<Double>(shapeOf: b))
        let back = GateMachinery.backward(
            dWx: &dWx, dWh: &dWh, dB: &dB, r, cache: cache, wx: wx, wh: wh, activation: phi)
        expectAllPass([
            checker.check("x", at: x, analytic: back.dX) { f($0, prevH, wx, wh, b) },
            checker.check("h(t−1)", at: prevH, analytic: back.dPrevH) { f(x, $0, wx, wh, b) },
            checker.check("W_x", at: wx, analytic: dWx) { f(x, prevH, $0, wh, b) },
            checker.check("W_h", at: wh, analytic: dWh) { f(x, prevH, wx, $0, b) },
            checker.check("b", at: b, analytic: dB) { f(x, prevH, wx, wh, $0) },
        ])
    }

    /// Checks one gate file: its two inputs and its three parameters (Learn's gate check).
    func checkGate<G: RecurrentGate<Double>>(_ type: G.Type) {
        var generator = SeededGenerator(seed: 21)
        let gate = G(inputSize: d, hiddenSize: h, using: &generator)
        expectAllPass(checker.check(gate, x: random(n, d, seed: 22), prevH: random(n, h, seed: 23), using: &generator))
    }

    @Test("(1) input modulation g", .requires(.inputModulation))
    func inputModulation() {
        checkGate(InputModulation<Double>.self)
    }

    @Test("(2) input gate i", .requires(.inputGate))
    func inputGate() {
        checkGate(InputGate<Double>.self)
    }

    @Test("(3) forget gate f", .requires(.forgetGate))
    func forgetGate() {
        checkGate(ForgetGate<Double>.self)
    }

    @Test("(4) output gate o", .requires(.outputGate))
    func outputGate() {
        checkGate(OutputGate<Double>.self)
    }

    @Test("RNN hidden state h = tanh(W_hx x + W_hh h + b_h)", .requires(.rnnHiddenState))
    func rnnHiddenState() {
        checkGate(RNNHiddenState<Double>.self)
    }

    @Test("(5) cell state c = g ⊙ i + c(t−1) ⊙ f", .requires(.cellState))
    func cellState() {
        // Gate values in their real ranges: g in (−1, 1), i and f in (0, 1).
        let g = random(n, h, seed: 31)
        let i = random(n, h, seed: 32).sigmoid()
        let f = random(n, h, seed: 33).sigmoid()
        let prevC = random(n, h, seed: 34, bound: 2)
        let r = random(n, h, seed: 35)
        let back = CellState.backward(r, cache: CellState.forward(g: g, i: i, f: f, prevC: prevC).cache)
        func c(_ g: Matrix<Double>, _ i: Matrix<Double>, _ f: Matrix<Double>, _ prevC: Matrix<Double>) -> Double {
            weighted(CellState.forward(g: g, i: i, f: f, prevC: prevC).c, by: r)
        }
        expectAllPass([
            checker.check("g", at: g, analytic: back.dG) { c($0, i, f, prevC) },
            checker.check("i", at: i, analytic: back.dI) { c(g, $0, f, prevC) },
            checker.check("f", at: f, analytic: back.dF) { c(g, i, $0, prevC) },
            checker.check("c(t−1)", at: prevC, analytic: back.dPrevC) { c(g, i, f, $0) },
        ])
    }

    @Test("(6) hidden state h = tanh(c) ⊙ o", .requires(.hiddenState))
    func hiddenState() {
        let (c, o, r) = (random(n, h, seed: 41, bound: 2), random(n, h, seed: 42).sigmoid(), random(n, h, seed: 43))
        let back = HiddenState.backward(r, cache: HiddenState.forward(c: c, o: o).cache)
        expectAllPass([
            checker.check("c", at: c, analytic: back.dC) { weighted(HiddenState.forward(c: $0, o: o).h, by: r) },
            checker.check("o", at: o, analytic: back.dO) { weighted(HiddenState.forward(c: c, o: $0).h, by: r) },
        ])
    }

    @Test("(7) prediction p = W_ph h + b_p", .requires(.prediction))
    func prediction() {
        var generator = SeededGenerator(seed: 51)
        let layer = Prediction<Double>(hiddenSize: h, classes: k, using: &generator)
        let (hidden, r) = (random(n, h, seed: 52), random(n, k, seed: 53))
        var grads = layer.zeroed()
        let dH = layer.backward(into: &grads, r, h: hidden)
        expectAllPass(
            [checker.check("h", at: hidden, analytic: dH) { weighted(layer.forward(h: $0), by: r) }]
                + checker.check(layer, gradients: grads) { weighted($0.forward(h: hidden), by: r) })
    }

    @Test(
        "(8–9) softmax cross-entropy, including large scores", .requires(.softmaxCrossEntropy), arguments: [1.0, 30.0])
    func softmaxCrossEntropy(scale: Double) {
        let p = random(n, k, seed: 61, bound: scale)
        let labels = [0, 5, 2]
        let dP = SoftmaxCrossEntropy.backward(cache: SoftmaxCrossEntropy.forward(p, labels: labels).cache)
        expectAllPass([
            checker.check("p", at: p, analytic: dP) { SoftmaxCrossEntropy.forward($0, labels: labels).loss }
        ])
    }
}
