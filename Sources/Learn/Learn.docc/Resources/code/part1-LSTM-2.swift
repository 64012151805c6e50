/// The long short-term memory network of equations (1)–(9), assembled from one file
/// per equation. Forward over T steps from h(0) = c(0) = 0; the loss reads the last
/// step only; backward runs through time, calling each equation's backward in the
/// exact reverse order of its forward.
///
/// Shapes: x(t) N×D, h(t) and c(t) N×H, p(T) N×K.
/// See also: ``RNN`` (the baseline), ``SoftmaxCrossEntropy``.
public struct LSTM<T: Real>: SequenceClassifier {
    /// Equation (1), the input modulation g.
    public var g: InputModulation<T>
    /// Equation (2), the input gate i.
    public var i: InputGate<T>
    /// Equation (3), the forget gate f.
    public var f: ForgetGate<T>
    /// Equation (4), the output gate o.
    public var o: OutputGate<T>
    /// Equation (7), the prediction p.
    public var p: Prediction<T>

    /// An LSTM from its parts.
    public init(
        g: InputModulation<T>, i: InputGate<T>, f: ForgetGate<T>, o: OutputGate<T>,
        p: Prediction<T>
    ) {
        (self.g, self.i, self.f, self.o, self.p) = (g, i, f, o, p)
    }

    /// A freshly initialised LSTM, every weight and bias uniform in ±1/√H as PyTorch
    /// does. `forgetBias`, when given, replaces b_f: 1 makes the cell keep its memory
    /// at the start of training, which is what lets long sequences learn.
    public init(
        inputSize: Int, hiddenSize: Int, classes: Int, forgetBias: T? = nil,
        using generator: inout SeededGenerator
    ) {
        ensure(
            inputSize > 0 && hiddenSize > 0 && classes > 1,
            "LSTM sizes must be positive (and K ≥ 2): D=\(inputSize), H=\(hiddenSize), K=\(classes)")
        g = InputModulation(inputSize: inputSize, hiddenSize: hiddenSize, using: &generator)
        i = InputGate(inputSize: inputSize, hiddenSize: hiddenSize, using: &generator)
        f = ForgetGate(inputSize: inputSize, hiddenSize: hiddenSize, using: &generator)
        o = OutputGate(inputSize: inputSize, hiddenSize: hiddenSize, using: &generator)
        p = Prediction(hiddenSize: hiddenSize, classes: classes, using: &generator)
        if let forgetBias {
            f.bf = Matrix(rows: 1, columns: hiddenSize, repeating: forgetBias)
        }
    }

    public var inputSize: Int { g.wgx.columns }
    public var hiddenSize: Int { g.wgh.rows }
    public var classes: Int { p.wph.rows }

    /// All parameters, named as in the maths: wgx, wgh, bg, wix, …, wph, bp.
    public var parameters: [(name: String, path: WritableKeyPath<Self, Matrix<T>>)] {
        lift(\.g) + lift(\.i) + lift(\.f) + lift(\.o) + lift(\.p)
    }

    /// One time step's caches, one per equation.
    public struct Step: Sendable {
        /// Equation (1)'s cache: x(t), h(t−1) and g(t).
        public var g: GateMachinery.Cache<T>
        /// Equation (2)'s cache: x(t), h(t−1) and i(t).
        public var i: GateMachinery.Cache<T>
        /// Equation (3)'s cache: x(t), h(t−1) and f(t).
        public var f: GateMachinery.Cache<T>
        /// Equation (4)'s cache: x(t), h(t−1) and o(t).
        public var o: GateMachinery.Cache<T>
        /// Equation (5)'s cache: g(t), i(t), f(t) and c(t−1).
        public var cell: CellState.Cache<T>
        /// Equation (6)'s cache: tanh(c(t)) and o(t).
        public var hidden: HiddenState.Cache<T>
    }

    /// Every step's caches, and the last hidden state (the input of equation 7).
    public struct Cache: Sendable {
        /// Step t's caches at index t − 1, for t = 1…T.
        public var steps: [Step]
        /// h(T), N×H: equation (7) reads it, and ∂L/∂W_ph needs it.
        public var lastH: Matrix<T>
    }

    /// Equations (1)–(7) for t = 1…T, then the scores of the last step.
    public func forward(_ xs: [Matrix<T>]) -> (scores: Matrix<T>, cache: Cache) {
        requireValidSequence(xs)
        var h = Matrix<T>(rows: xs[0].rows, columns: hiddenSize)
        var c = h
        var steps: [Step] = []
        steps.reserveCapacity(xs.count)
        for x in xs {
            let (gt, gCache) = g.forward(x: x, prevH: h)  // (1)
            let (it, iCache) = i.forward(x: x, prevH: h)  // (2)
            let (ft, fCache) = f.forward(x: x, prevH: h)  // (3)
            let (ot, oCache) = o.forward(x: x, prevH: h)  // (4)
            let (ct, cellCache) = CellState.forward(g: gt, i: it, f: ft, prevC: c)  // (5)
            let (ht, hiddenCache) = HiddenState.forward(c: ct, o: ot)  // (6)
            steps.append(
                Step(g: gCache, i: iCache, f: fCache, o: oCache, cell: cellCache, hidden: hiddenCache))
            (h, c) = (ht, ct)
        }
        return (p.forward(h: h), Cache(steps: steps, lastH: h))  // (7)
    }

    /// Backpropagation through time.
    ///
    /// Two gradients travel backwards: dH, into h(t), and dC, into c(t). At step t,
    /// h(t) feeds equation (6) and — as h(t) in the next step — all four gates; c(t)
    /// feeds equation (6) and equation (5) of the next step. So:
    ///
    ///     dC(t)   = [from (6) at t] + [dPrevC from (5) at t+1]
    ///     dH(t−1) = Σ over the four gates at t of their dPrevH
    ///
    /// ∂L/∂x(t) is the sum of what the four gates send to their input.
    public func backwardThroughTime(
        _ dScores: Matrix<T>, cache: Cache
    ) -> (gradients: LSTM, dXs: [Matrix<T>]) {
        // One gradient accumulator per part, filled over all time steps.
        var (dG, dI, dF, dO, dP) = (g.zeroed(), i.zeroed(), f.zeroed(), o.zeroed(), p.zeroed())
        var dH = p.backward(into: &dP, dScores, h: cache.lastH)  // (7)
        var dC = Matrix<T>(shapeOf: dH)
        var dXs: [Matrix<T>] = []
        for step in cache.steps.reversed() {
            let fromHidden = HiddenState.backward(dH, cache: step.hidden)  // (6)
            dC += fromHidden.dC
            let fromCell = CellState.backward(dC, cache: step.cell)  // (5)
            let viaO = o.backward(into: &dO, fromHidden.dO, cache: step.o)  // (4)
            let viaF = f.backward(into: &dF, fromCell.dF, cache: step.f)  // (3)
            let viaI = i.backward(into: &dI, fromCell.dI, cache: step.i)  // (2)
            let viaG = g.backward(into: &dG, fromCell.dG, cache: step.g)  // (1)
            dXs.append(viaO.dX + viaF.dX + viaI.dX + viaG.dX)
            dH = viaO.dPrevH + viaF.dPrevH + viaI.dPrevH + viaG.dPrevH
            dC = fromCell.dPrevC
        }
        return (LSTM(g: dG, i: dI, f: dF, o: dO, p: dP), dXs.reversed())
    }
}
