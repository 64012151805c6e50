import Foundation
import Learn
import LearnTesting
import Testing

/// Forward-pass properties and shapes of equations (1)–(7) and the RNN's recurrence.
/// (Their gradients are checked by finite differences in the GradCheck target.)
@Suite("Equations (1)–(7): ranges, the carried cell, shapes")
struct EquationTests {
    // N = 4 examples, D = 3 features, H = 5 hidden units, K = 10 classes.
    static let (n, d, h, k) = (4, 3, 5, 10)

    /// Inputs of the size a trained gate sees, and a hidden state in (−1, 1).
    static func inputs<T: Real>(_: T.Type, seed: UInt64) -> (x: Matrix<T>, prevH: Matrix<T>) {
        (randomMatrix(n, d, seed: seed, bound: 3), randomMatrix(n, h, seed: seed + 1))
    }

    @Test(
        "sigmoid gates i, f, o lie in (0, 1); g and the RNN's h lie in (−1, 1)",
        .requires(.inputModulation, .inputGate, .forgetGate, .outputGate, .rnnHiddenState, .rnn), arguments: precisions)
    func gateRanges(_ type: any Real.Type) {
        func check<T: Real>(_: T.Type) {
            var generator = SeededGenerator(seed: 1)
            let (x, prevH) = Self.inputs(T.self, seed: 2)
            let i = InputGate<T>(inputSize: Self.d, hiddenSize: Self.h, using: &generator).forward(x: x, prevH: prevH).y
            let f = ForgetGate<T>(inputSize: Self.d, hiddenSize: Self.h, using: &generator).forward(x: x, prevH: prevH)
                .y
            let o = OutputGate<T>(inputSize: Self.d, hiddenSize: Self.h, using: &generator).forward(x: x, prevH: prevH)
                .y
            let g = InputModulation<T>(inputSize: Self.d, hiddenSize: Self.h, using: &generator).forward(
                x: x, prevH: prevH
            ).y
            let r = RNNHiddenState<T>(inputSize: Self.d, hiddenSize: Self.h, using: &generator).forward(
                x: x, prevH: prevH
            ).y
            for (name, gate) in [("i", i), ("f", f), ("o", o)] {
                #expect(gate.elements.allSatisfy { $0 > 0 && $0 < 1 }, "\(name) outside (0, 1): \(gate)")
            }
            for (name, value) in [("g", g), ("RNN h", r)] {
                #expect(value.elements.allSatisfy { $0 > -1 && $0 < 1 }, "\(name) outside (−1, 1): \(value)")
            }
        }
        check(type)
    }

    @Test(
        "each gate computes φ(x·W_xᵀ + h·W_hᵀ + b), checked element by element", .requires(.forgetGate),
        arguments: precisions)
    func gateByHand(_ type: any Real.Type) {
        func check<T: Real>(_: T.Type) {
            var generator = SeededGenerator(seed: 3)
            let gate = ForgetGate<T>(inputSize: Self.d, hiddenSize: Self.h, using: &generator)
            let (x, prevH) = Self.inputs(T.self, seed: 4)
            var expected = Matrix<T>(rows: Self.n, columns: Self.h)
            for row in 0..<Self.n {
                for unit in 0..<Self.h {
                    var z = gate.bf[0, unit]
                    for q in 0..<Self.d { z += x[row, q] * gate.wfx[unit, q] }
                    for q in 0..<Self.h { z += prevH[row, q] * gate.wfh[unit, q] }
                    expected[row, unit] = T.sigmoid(z)
                }
            }
            let tolerance: T = T.self == Float.self ? 1e-6 : 1e-14
            expectClose(gate.forward(x: x, prevH: prevH).y, expected, tolerance: tolerance, "f")
        }
        check(type)
    }

    @Test(
        "with f = 1 and i = 0 the cell state is carried unchanged (equation 5)",
        .requires(.inputGate, .forgetGate, .cellState), arguments: precisions)
    func carriedCell(_ type: any Real.Type) {
        func check<T: Real>(_: T.Type) {
            let prevC: Matrix<T> = randomMatrix(Self.n, Self.h, seed: 5, bound: 4)
            let g: Matrix<T> = randomMatrix(Self.n, Self.h, seed: 6)
            let ones = Matrix<T>(rows: Self.n, columns: Self.h, repeating: 1)
            let zeros = Matrix<T>(rows: Self.n, columns: Self.h)
            #expect(CellState.forward(g: g, i: zeros, f: ones, prevC: prevC).c == prevC)

            // The same through real gates, saturated by their biases (±100). In Float
            // σ(−100) is below 1e-38, in Double about 4e-44: the added g ⊙ i is far
            // below one ulp of any cell value here.
            let (x, prevH) = Self.inputs(T.self, seed: 7)
            let zeroX = Matrix<T>(rows: Self.h, columns: Self.d)
            let zeroH = Matrix<T>(rows: Self.h, columns: Self.h)
            let forget = ForgetGate(wx: zeroX, wh: zeroH, b: Matrix<T>(rows: 1, columns: Self.h, repeating: 100))
            let input = InputGate(wx: zeroX, wh: zeroH, b: Matrix<T>(rows: 1, columns: Self.h, repeating: -100))
            let f = forget.forward(x: x, prevH: prevH).y
            let i = input.forward(x: x, prevH: prevH).y
            #expect(f.elements.allSatisfy { $0 == 1 })
            #expect(i.elements.allSatisfy { $0 >= 0 && $0 < 1e-37 })
            expectClose(CellState.forward(g: g, i: i, f: f, prevC: prevC).c, prevC, tolerance: 0, "carried c")

            // And the gradient flows back unchanged too: dPrevC = dC ⊙ f = dC.
            let cache = CellState.forward(g: g, i: zeros, f: ones, prevC: prevC).cache
            let dC: Matrix<T> = randomMatrix(Self.n, Self.h, seed: 8)
            #expect(CellState.backward(dC, cache: cache).dPrevC == dC)
        }
        check(type)
    }

    @Test("cell and hidden state (5)–(6) worked by hand", .requires(.cellState, .hiddenState))
    func cellAndHiddenByHand() {
        let g = Matrix<Double>([[0.5, -0.5]])
        let i = Matrix<Double>([[0.2, 0.8]])
        let f = Matrix<Double>([[0.9, 0.1]])
        let prevC = Matrix<Double>([[1.0, 2.0]])
        let c = CellState.forward(g: g, i: i, f: f, prevC: prevC).c
        // 0.5·0.2 + 1·0.9 = 1.0;  −0.5·0.8 + 2·0.1 = −0.2
        expectClose(c, Matrix([[1.0, -0.2]]), tolerance: 1e-15)
        let o = Matrix<Double>([[0.5, 1.0]])
        let hidden = HiddenState.forward(c: c, o: o).h
        expectClose(hidden, Matrix([[0.5 * Foundation.tanh(1.0), Foundation.tanh(-0.2)]]), tolerance: 1e-15)
        #expect(hidden.elements.allSatisfy { abs($0) < 1 })
    }

    @Test(
        "the hidden state h = tanh(c) ⊙ o lies in (−1, 1) for any cell state", .requires(.hiddenState),
        arguments: precisions)
    func hiddenRange(_ type: any Real.Type) {
        func check<T: Real>(_: T.Type) {
            let c: Matrix<T> = randomMatrix(Self.n, Self.h, seed: 9, bound: 50)
            let o: Matrix<T> = randomMatrix(Self.n, Self.h, seed: 10).sigmoid()
            #expect(HiddenState.forward(c: c, o: o).h.elements.allSatisfy { $0 > -1 && $0 < 1 })
        }
        check(type)
    }

    @Test(
        "every forward and backward output has its documented shape",
        .requires(
            .affine, .gateMachinery, .inputModulation, .inputGate, .forgetGate, .outputGate, .cellState, .hiddenState,
            .prediction, .rnnHiddenState, .rnn), arguments: precisions)
    func shapes(_ type: any Real.Type) {
        func check<T: Real>(_: T.Type) {
            let (n, d, h, k) = (Self.n, Self.d, Self.h, Self.k)
            var generator = SeededGenerator(seed: 11)
            let (x, prevH) = Self.inputs(T.self, seed: 12)
            let upstream: Matrix<T> = randomMatrix(n, h, seed: 13)

            func expectGate<G: RecurrentGate<T>>(_ name: String, _ gate: G) {
                let (y, cache) = gate.forward(x: x, prevH: prevH)
                #expect(y.shape == Shape2(n, h), "\(name) output")
                #expect(
                    cache.x.shape == Shape2(n, d) && cache.prevH.shape == Shape2(n, h) && cache.y.shape == Shape2(n, h))
                var grads = gate.zeroed()
                let back = gate.backward(into: &grads, upstream, cache: cache)
                #expect(back.dX.shape == Shape2(n, d), "\(name) dX")
                #expect(back.dPrevH.shape == Shape2(n, h), "\(name) dPrevH")
                for p in gate.parameters {
                    #expect(grads[keyPath: p.path].shape == gate[keyPath: p.path].shape, "\(name) d\(p.name)")
                    #expect(
                        grads[keyPath: p.path] != Matrix(shapeOf: grads[keyPath: p.path]),
                        "\(name) d\(p.name) is all zero")
                }
                let shapes = gate.parameters.map { gate[keyPath: $0.path].shape }
                #expect(shapes == [Shape2(h, d), Shape2(h, h), Shape2(1, h)], "\(name) parameters W_x, W_h, b")
            }
            expectGate(
                "g", InputModulation<T>(inputSize: d, hiddenSize: h, using: &generator))
            expectGate(
                "i", InputGate<T>(inputSize: d, hiddenSize: h, using: &generator))
            expectGate(
                "f", ForgetGate<T>(inputSize: d, hiddenSize: h, using: &generator))
            expectGate(
                "o", OutputGate<T>(inputSize: d, hiddenSize: h, using: &generator))
            expectGate(
                "RNN h", RNNHiddenState<T>(inputSize: d, hiddenSize: h, using: &generator))

            // (5) and (6)
            let (a, b, c) = (upstream, upstream.sigmoid(), upstream.tanh())
            let (cell, cellCache) = CellState.forward(g: a, i: b, f: b, prevC: c)
            #expect(cell.shape == Shape2(n, h))
            let cellGrads = CellState.backward(upstream, cache: cellCache)
            #expect(
                [cellGrads.dG, cellGrads.dI, cellGrads.dF, cellGrads.dPrevC].allSatisfy { $0.shape == Shape2(n, h) })
            let (hidden, hiddenCache) = HiddenState.forward(c: cell, o: b)
            #expect(hidden.shape == Shape2(n, h))
            let hiddenGrads = HiddenState.backward(upstream, cache: hiddenCache)
            #expect(hiddenGrads.dC.shape == Shape2(n, h) && hiddenGrads.dO.shape == Shape2(n, h))

            // (7)
            let prediction = Prediction<T>(hiddenSize: h, classes: k, using: &generator)
            #expect(prediction.wph.shape == Shape2(k, h) && prediction.bp.shape == Shape2(1, k))
            let scores = prediction.forward(h: hidden)
            #expect(scores.shape == Shape2(n, k))
            var predictionGrads = prediction.zeroed()
            let dH = prediction.backward(into: &predictionGrads, randomMatrix(n, k, seed: 14), h: hidden)
            #expect(dH.shape == Shape2(n, h))
            #expect(predictionGrads.wph.shape == Shape2(k, h) && predictionGrads.bp.shape == Shape2(1, k))

            // The affine map itself.
            let (w, bias): (Matrix<T>, Matrix<T>) = (randomMatrix(h, d, seed: 15), randomMatrix(1, h, seed: 16))
            var (dW, dB) = (Matrix<T>(shapeOf: w), Matrix<T>(shapeOf: bias))
            #expect(Affine.forward(x, w, bias).shape == Shape2(n, h))
            let dX = Affine.backward(dW: &dW, dB: &dB, upstream, x: x, w: w)
            #expect(dX.shape == Shape2(n, d))
            #expect(dW.shape == Shape2(h, d) && dB.shape == Shape2(1, h))
            // Its two halves, alone, give the same numbers.
            var (dWAlone, dBAlone) = (Matrix<T>(shapeOf: w), Matrix<T>(shapeOf: bias))
            Affine.parameterGradients(dW: &dWAlone, dB: &dBAlone, upstream, x: x)
            #expect(dWAlone == dW && dBAlone == dB)
            #expect(Affine.inputGradient(upstream, w: w) == dX)
        }
        check(type)
    }

    @Test("parameter gradients accumulate with += across calls (weights shared over time)", .requires(.outputGate))
    func gradientsAccumulate() {
        var generator = SeededGenerator(seed: 15)
        let gate = OutputGate<Double>(inputSize: Self.d, hiddenSize: Self.h, using: &generator)
        let (x, prevH) = Self.inputs(Double.self, seed: 16)
        let dO: Matrix<Double> = randomMatrix(Self.n, Self.h, seed: 17)
        let cache = gate.forward(x: x, prevH: prevH).cache
        var once = gate.zeroed()
        _ = gate.backward(into: &once, dO, cache: cache)
        var twice = gate.zeroed()
        _ = gate.backward(into: &twice, dO, cache: cache)
        _ = gate.backward(into: &twice, dO, cache: cache)
        for p in gate.parameters {
            expectClose(twice[keyPath: p.path], 2 * once[keyPath: p.path], tolerance: 1e-14, p.name)
        }
    }

    @Test(
        "activation derivatives from the cached output: σ′ = y(1 − y), tanh′ = 1 − y²", .requires(.activation),
        arguments: Activation.allCases)
    func activationDerivative(_ phi: Activation) {
        let z = Matrix<Double>([[-2, -0.5, 0, 0.5, 2]])
        let y = phi.forward(z)
        let ones = Matrix<Double>(shapeOf: z, repeating: 1)
        let slope = phi.backward(ones, output: y)
        // Centred differences of the scalar function, accurate to ~1e-10.
        let step = 1e-5
        let scalar: (Double) -> Double = phi == .sigmoid ? { 1 / (1 + Foundation.exp(-$0)) } : { Foundation.tanh($0) }
        let numeric = z.map { (scalar($0 + step) - scalar($0 - step)) / (2 * step) }
        expectClose(slope, numeric, tolerance: 1e-9, "\(phi)′")
        var inPlace = z
        phi.apply(to: &inPlace)
        #expect(inPlace == y)
    }
}
