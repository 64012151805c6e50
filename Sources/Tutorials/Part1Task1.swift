import CommandLineOptions
import Foundation
import Learn
import LearnCourse

/// Part I, task 1: the LSTM, one equation at a time. Each step computes one equation
/// of a tiny example with the library's own code, with numbers small enough to redo by
/// hand, then checks that equation's backward pass against finite differences. The
/// last steps check the whole LSTM and the RNN on a batch of palindromes.
enum Part1Task1: Chapter {
    static let name = "part1-task1"
    static let summary = "the LSTM step by step: equations (1)–(9) with numbers, then live gradient checks"
    static let about = """
        Walks through one step of the LSTM, equation by equation, on a tiny example
        (D = 3 inputs, H = 2 hidden units, N = 1 example, K = 3 classes) computed with
        the library's own equation types. After each equation its backward pass is
        checked against central finite differences. Then the whole LSTM and the
        vanilla RNN are checked on a small batch of palindromes.
        --quick checks at the worked example's size and uses a shorter, smaller batch.
        """
    static let pieces: [Piece] = [.lstm, .rnn]
    static let options: [OptionHelp] = []

    static func run(_ arguments: Arguments, common: CommonOptions, terminal t: Terminal) throws {
        let example = LSTMExample(batch: 1, inputs: 3, hidden: 2, classes: 3, rounded: true, seed: common.seed)
        // Quick mode checks the very numbers on the page; the full run checks a batch
        // of three (which also tests that gradients are summed over the batch).
        let checked =
            common.quick
            ? example
            : LSTMExample(batch: 3, inputs: 4, hidden: 3, classes: 4, rounded: false, seed: common.seed &+ 1)
        var checks = GradientChecks(example: checked, terminal: t, seed: common.seed &+ 2)

        t.chapter(
            "Part I, task 1 — the LSTM, one equation at a time",
            """
            An LSTM reads a sequence one step at a time. At step t it combines the input
            x(t) with what it showed last step, h(t−1), to decide what to write into its
            memory c(t) and what to show next, h(t). Below, equations (1)–(9) are computed
            for one step of a tiny example by the same code that trains the real model.
            """)

        t.step(
            "The example",
            """
            D = 3 input features, H = 2 hidden units, N = 1 example, K = 3 classes.
            Every number is drawn from a seeded generator (seed \(common.seed)) and rounded to
            one decimal, so you can redo each sum with pencil and paper. We pretend to be
            in the middle of a sequence, so the previous state h(t−1), c(t−1) is not zero.
            Matrices hold one example per row, so the maths' W x is computed as x·Wᵀ.
            """)
        t.say(
            show("x(t)   (N×D)", example.x), show("h(t−1) (N×H)", example.prevH),
            show("c(t−1) (N×H)", example.prevC))
        t.pause()

        // Equations (1)–(4): four gates of the same shape, each with its own weights.
        let (g, _) = example.g.forward(x: example.x, prevH: example.prevH)
        showGate(
            t, number: 1, title: "the input modulation g(t)", symbol: "g", squash: "tanh",
            why: """
                The candidate values that may be written into the memory: tanh keeps them
                in (−1, 1), with either sign.
                """,
            weights: (example.g.wgx, example.g.wgh, example.g.bg), output: g, example: example)
        checks.inputModulation()
        t.pause()

        let (i, _) = example.i.forward(x: example.x, prevH: example.prevH)
        showGate(
            t, number: 2, title: "the input gate i(t)", symbol: "i", squash: "σ",
            why: """
                How much of each candidate is written: σ keeps the gate in (0, 1), the
                fraction let through.
                """,
            weights: (example.i.wix, example.i.wih, example.i.bi), output: i, example: example)
        checks.inputGate()
        t.pause()

        let (f, _) = example.f.forward(x: example.x, prevH: example.prevH)
        showGate(
            t, number: 3, title: "the forget gate f(t)", symbol: "f", squash: "σ",
            why: """
                How much of the old memory is kept. Near 1 the cell remembers; this is why
                training often starts b_f at 1 (the cell remembers from the first step).
                """,
            weights: (example.f.wfx, example.f.wfh, example.f.bf), output: f, example: example)
        checks.forgetGate()
        t.pause()

        let (o, _) = example.o.forward(x: example.x, prevH: example.prevH)
        showGate(
            t, number: 4, title: "the output gate o(t)", symbol: "o", squash: "σ",
            why: "How much of the memory is shown as the hidden state h(t).",
            weights: (example.o.wox, example.o.woh, example.o.bo), output: o, example: example)
        checks.outputGate()
        t.pause()

        // Equation (5): the memory.
        let (c, _) = CellState.forward(g: g, i: i, f: f, prevC: example.prevC)
        t.step(
            "Equation (5): the cell state c(t) = g(t) ⊙ i(t) + c(t−1) ⊙ f(t)",
            """
            New content g, admitted by i, is added to the old memory, kept by f. ⊙ is the
            elementwise product, so each unit is its own little sum. c(t−1) reaches c(t)
            through a product with f alone — no weight matrix, no squashing — which is
            why gradients survive many steps back through the cell.
            """)
        for k in 0..<2 {
            let u = subscripted(k + 1)
            t.say(
                "  c\(u) = g\(u)·i\(u) + c\(u)(t−1)·f\(u) = \(factor(g[0, k]))·\(factor(i[0, k]))"
                    + " + \(factor(example.prevC[0, k]))·\(factor(f[0, k])) = \(short(c[0, k]))")
        }
        t.say(show("c(t)", c))
        checks.cellState()
        t.pause()

        // Equation (6): what the cell shows.
        let (h, _) = HiddenState.forward(c: c, o: o)
        t.step(
            "Equation (6): the hidden state h(t) = tanh(c(t)) ⊙ o(t)",
            """
            The memory, squashed into (−1, 1) and filtered by the output gate. h(t) is both
            the step's output and the h(t−1) every gate reads at the next step.
            """)
        for k in 0..<2 {
            let u = subscripted(k + 1)
            t.say(
                "  h\(u) = tanh(c\(u))·o\(u) = tanh(\(short(c[0, k])))·\(factor(o[0, k]))"
                    + " = \(factor(Foundation.tanh(c[0, k])))·\(factor(o[0, k])) = \(short(h[0, k]))")
        }
        t.say(show("h(t)", h))
        checks.hiddenState()
        t.pause()

        try showPredictionAndLoss(t, example: example, h: h, checks: &checks)
        try checks.wholeModels(quick: common.quick)
        try checks.summary()
    }

    /// One of equations (1)–(4): the weights, the pre-activation with unit 1 written
    /// out term by term, and the gate's value.
    static func showGate(
        _ t: Terminal, number: Int, title: String, symbol s: String, squash: String, why: String,
        weights w: (x: Matrix<Double>, h: Matrix<Double>, b: Matrix<Double>),
        output y: Matrix<Double>, example e: LSTMExample
    ) {
        t.step(
            "Equation (\(number)): \(title) = \(squash)(W_\(s)x x(t) + W_\(s)h h(t−1) + b_\(s))", why)
        t.say(show("W_\(s)x (H×D)", w.x), show("W_\(s)h (H×H)", w.h), show("b_\(s)  (1×H)", w.b))
        // The pre-activation z, computed the way GateMachinery does, to show the sum.
        var z = Affine.forward(e.x, w.x, w.b)
        z.addProduct(e.prevH, w.h, transposeB: true)
        let inputTerms = (0..<e.x.columns).map { "\(factor(w.x[0, $0]))·\(factor(e.x[0, $0]))" }
        let hiddenTerms = (0..<e.prevH.columns).map { "\(factor(w.h[0, $0]))·\(factor(e.prevH[0, $0]))" }
        t.say(
            "",
            "  z = W_\(s)x x(t) + W_\(s)h h(t−1) + b_\(s); its first unit, term by term:",
            "  z₁ = " + (inputTerms + hiddenTerms + [factor(w.b[0, 0])]).joined(separator: " + ")
                + " = \(short(z[0, 0]))",
            show("z", z),
            show("\(s)(t) = \(squash)(z)", y))
        if squash == "σ" {
            t.say("  (σ(z) = 1/(1 + e^(−z)); for example σ(\(short(z[0, 0]))) = \(short(y[0, 0])))")
        }
    }

    /// Equations (7)–(9): scores, probabilities and the loss, and the gradient that
    /// starts every backward pass.
    static func showPredictionAndLoss(
        _ t: Terminal, example e: LSTMExample, h: Matrix<Double>, checks: inout GradientChecks
    ) throws {
        let p = e.p.forward(h: h)
        t.step(
            "Equation (7): the scores p(t) = W_ph h(t) + b_p",
            """
            One score per class (K = 3), read off the hidden state. In the palindrome task
            only the last step's scores are used.
            """)
        t.say(show("W_ph (K×H)", e.p.wph), show("b_p  (1×K)", e.p.bp))
        t.say(
            "  p₁ = \(factor(e.p.wph[0, 0]))·\(factor(h[0, 0])) + \(factor(e.p.wph[0, 1]))·\(factor(h[0, 1]))"
                + " + \(factor(e.p.bp[0, 0])) = \(short(p[0, 0]))",
            show("p(t)", p))
        checks.prediction()
        t.pause()

        let probabilities = SoftmaxCrossEntropy.softmax(p)
        let m = p.row(0).max() ?? 0
        let exps = p.row(0).map { Foundation.exp($0 - m) }
        t.step(
            "Equation (8): the probabilities ŷ = softmax(p), ŷ_k = e^(p_k) / Σ_j e^(p_j)",
            """
            The scores become probabilities that are positive and sum to 1. The largest
            score (here \(short(m))) is subtracted first: it cancels in the fraction, and it
            means no e^(…) can overflow.
            """)
        t.say(
            "  e^(p_k − max) = [" + exps.map(short).joined(separator: ", ") + "],"
                + " sum = \(short(exps.reduce(0, +)))",
            show("ŷ", probabilities),
            "  (each ŷ_k is e^(p_k − max) / sum; the row sums to \(short(probabilities.sum())))")
        t.pause()

        let y = e.labels[0]
        let (loss, cache) = SoftmaxCrossEntropy.forward(p, labels: e.labels)
        t.step(
            "Equation (9): the loss L = −Σ_k y_k log ŷ_k = −log ŷ_y",
            """
            The one-hot target y picks out one probability: the loss is small when the model
            gives the true class a high probability. Fused with the softmax, its gradient is
            simply ∂L/∂p = ŷ − onehot(y): where every backward pass starts.
            """)
        t.say(
            "  true class y = \(y + 1) (of 1…3), so L = −log ŷ\(subscripted(y + 1))"
                + " = −log \(short(probabilities[0, y])) = \(short(loss))",
            show("∂L/∂p = ŷ − onehot(y)", SoftmaxCrossEntropy.backward(cache: cache)))
        checks.softmaxCrossEntropy()
        t.pause()
    }
}

/// The numbers of one LSTM step: an input, a previous state, the four gates and the
/// prediction layer, all drawn from one seeded generator.
struct LSTMExample {
    let x, prevH, prevC: Matrix<Double>
    let g: InputModulation<Double>, i: InputGate<Double>, f: ForgetGate<Double>, o: OutputGate<Double>
    let p: Prediction<Double>
    let labels: [Int]

    init(batch n: Int, inputs d: Int, hidden h: Int, classes k: Int, rounded: Bool, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        func draw(_ rows: Int, _ columns: Int, _ bound: Double = 0.5) -> Matrix<Double> {
            exampleMatrix(rows: rows, columns: columns, bound: bound, rounded: rounded, using: &generator)
        }
        x = oneHotRows(n, width: d, using: &generator)
        (prevH, prevC) = (draw(n, h), draw(n, h, 1))
        g = InputModulation(wx: draw(h, d), wh: draw(h, h), b: draw(1, h))
        i = InputGate(wx: draw(h, d), wh: draw(h, h), b: draw(1, h))
        f = ForgetGate(wx: draw(h, d), wh: draw(h, h), b: draw(1, h))
        o = OutputGate(wx: draw(h, d), wh: draw(h, h), b: draw(1, h))
        p = Prediction(wph: draw(k, h), bp: draw(1, k))
        labels = (0..<n).map { _ in generator.integer(below: k) }
    }
}
