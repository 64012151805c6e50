import CommandLineOptions
import Foundation
import Learn

/// The finite-difference checks of part1-task1: one per equation, then the whole LSTM
/// and RNN. Every report is kept, so the chapter can end with a verdict.
///
/// For an equation whose output y is a matrix, the checked scalar is s = sum(R ⊙ y)
/// with R a fixed random matrix; ∂s/∂y = R, so R is the upstream gradient handed to
/// the backward pass, and the finite differences of s must match what it returns.
struct GradientChecks {
    let example: LSTMExample
    let terminal: Terminal
    let checker = GradientChecker()
    var generator: SeededGenerator
    private(set) var reports: [GradientCheckReport] = []

    init(example: LSTMExample, terminal: Terminal, seed: UInt64) {
        (self.example, self.terminal) = (example, terminal)
        generator = SeededGenerator(seed: seed)
    }

    var n: Int { example.x.rows }
    var h: Int { example.prevH.columns }

    /// Uniform numbers in (low, high), N×columns.
    mutating func random(_ columns: Int, _ low: Double = -1, _ high: Double = 1) -> Matrix<Double> {
        let m = Matrix<Double>.uniform(rows: n, columns: columns, bound: (high - low) / 2, using: &generator)
        return m.map { $0 + (high + low) / 2 }
    }

    /// Prints the heading of a check, then its reports, and keeps them.
    mutating func record(_ what: String, backward: String, _ newReports: [GradientCheckReport]) {
        let e = example
        terminal.say(
            "",
            "  Check of the backward pass (N=\(n), D=\(e.x.columns), H=\(h), K=\(e.p.wph.rows), "
                + "step h = \(NumberFormat.scientific(checker.step))): \(what)",
            "  backward: \(backward)")
        for report in newReports { terminal.say("    \(report)") }
        reports += newReports
    }

    /// Equation (1), on the checked example's own gate.
    mutating func inputModulation() {
        gate(example.g, names: "g")
    }

    /// Equation (2).
    mutating func inputGate() {
        gate(example.i, names: "i")
    }

    /// Equation (3).
    mutating func forgetGate() {
        gate(example.f, names: "f")
    }

    /// Equation (4).
    mutating func outputGate() {
        gate(example.o, names: "o")
    }

    /// Equations (1)–(4): the gate's three parameters and its two inputs.
    mutating func gate<Gate: RecurrentGate<Double>>(_ gate: Gate, names s: String) {
        let found = checker.check(gate, x: example.x, prevH: example.prevH, using: &generator)
        let derivative = s == "g" ? "(1 − g²)" : "\(s)(1 − \(s))"
        record(
            "s = sum(R ⊙ \(s)(t))",
            backward: "dz = R ⊙ \(derivative); dW_\(s)x = dzᵀ·x; dW_\(s)h = dzᵀ·h(t−1); "
                + "db_\(s) = Σ_rows dz; dx = dz·W_\(s)x; dh(t−1) = dz·W_\(s)h",
            found)
    }

    /// Equation (5): all four inputs of c = g ⊙ i + c(t−1) ⊙ f.
    mutating func cellState() {
        let (g, i, f, prevC) = (random(h), random(h, 0, 1), random(h, 0, 1), random(h))
        let r = random(h)
        let (_, cache) = CellState.forward(g: g, i: i, f: f, prevC: prevC)
        let d = CellState.backward(r, cache: cache)
        func s(_ g: Matrix<Double>, _ i: Matrix<Double>, _ f: Matrix<Double>, _ c: Matrix<Double>) -> Double {
            weightedSum(CellState.forward(g: g, i: i, f: f, prevC: c).c, by: r)
        }
        record(
            "s = sum(R ⊙ c(t))",
            backward: "dg = R ⊙ i; di = R ⊙ g; df = R ⊙ c(t−1); dc(t−1) = R ⊙ f",
            [
                checker.check("g", at: g, analytic: d.dG) { s($0, i, f, prevC) },
                checker.check("i", at: i, analytic: d.dI) { s(g, $0, f, prevC) },
                checker.check("f", at: f, analytic: d.dF) { s(g, i, $0, prevC) },
                checker.check("c(t−1)", at: prevC, analytic: d.dPrevC) { s(g, i, f, $0) },
            ])
    }

    /// Equation (6): both inputs of h = tanh(c) ⊙ o.
    mutating func hiddenState() {
        let (c, o) = (random(h), random(h, 0, 1))
        let r = random(h)
        let d = HiddenState.backward(r, cache: HiddenState.forward(c: c, o: o).cache)
        func s(_ c: Matrix<Double>, _ o: Matrix<Double>) -> Double {
            weightedSum(HiddenState.forward(c: c, o: o).h, by: r)
        }
        record(
            "s = sum(R ⊙ h(t))",
            backward: "do = R ⊙ tanh(c); dc = R ⊙ o ⊙ (1 − tanh²(c))",
            [
                checker.check("c", at: c, analytic: d.dC) { s($0, o) },
                checker.check("o", at: o, analytic: d.dO) { s(c, $0) },
            ])
    }

    /// Equation (7): W_ph, b_p and the hidden state.
    mutating func prediction() {
        let layer = example.p
        let hidden = random(h)
        let r = random(layer.wph.rows)
        var grads = layer.zeroed()
        let dH = layer.backward(into: &grads, r, h: hidden)
        var found = checker.check(layer, gradients: grads) { weightedSum($0.forward(h: hidden), by: r) }
        found.append(checker.check("h", at: hidden, analytic: dH) { weightedSum(layer.forward(h: $0), by: r) })
        record("s = sum(R ⊙ p(t))", backward: "dW_ph = Rᵀ·h; db_p = Σ_rows R; dh = R·W_ph", found)
    }

    /// Equations (8)–(9) fused: the loss is already a scalar, so no R is needed.
    mutating func softmaxCrossEntropy() {
        let p = random(example.p.wph.rows, -2, 2)
        let labels = example.labels
        let dP = SoftmaxCrossEntropy.backward(cache: SoftmaxCrossEntropy.forward(p, labels: labels).cache)
        record(
            "L itself, averaged over the batch",
            backward: "dp = (ŷ − onehot(y)) / N",
            [checker.check("p", at: p, analytic: dP) { SoftmaxCrossEntropy.forward($0, labels: labels).loss }])
    }

    /// The whole LSTM, then the whole RNN, on one batch of palindromes: every parameter
    /// of each, through backpropagation through time.
    mutating func wholeModels(quick: Bool) throws {
        let t = terminal
        let (length, batchSize, hidden) = quick ? (4, 2, 4) : (8, 4, 8)
        var stream = PalindromeStream(inputLength: length, seed: generator.next())
        let batch: SequenceBatch<Double> = stream.next(batchSize: batchSize)
        var weights = SeededGenerator(seed: generator.next())
        let lstm = LSTM<Double>(inputSize: 10, hiddenSize: hidden, classes: 10, using: &weights)
        let rnn = RNN<Double>(inputSize: 10, hiddenSize: hidden, classes: 10, using: &weights)

        t.step(
            "The whole LSTM on palindromes",
            """
            Now equations (1)–(9) run for T = \(length) steps on a batch of N = \(batchSize)
            palindromes (one-hot digits, D = K = 10, H = \(hidden)), and the backward pass runs
            back through time, calling each equation's backward in reverse order. Each
            model must read the first \(length) digits and predict the last, which equals the
            first. Every one of the \(lstm.parameterCount) parameters is checked against
            finite differences of the loss itself.

            Expect larger relative errors than for single equations (around 1e-7): many
            gradients here are tiny (1e-5 and below), and the difference of two losses
            near 2.3 keeps only a few of their digits. Below the checker's floor of 1e-4
            the error is measured against the floor, which keeps that rounding noise
            under the tolerance, while a wrong formula gives errors near 1.
            """)
        for sequence in decodedSequences(batch) {
            let digits = sequence.map(String.init)
            t.say("  " + digits.dropLast().joined(separator: " ") + "  →  target " + digits.last!)
        }
        let (lstmLoss, lstmGradients) = lstm.lossAndGradients(batch.inputs, labels: batch.targets)
        t.say(
            "",
            "  loss L = \(short(lstmLoss)) (untrained, so close to ln 10 = \(short(Foundation.log(10.0))):"
                + " a uniform guess over 10 digits)")
        let lstmReports = checker.check(lstm, gradients: lstmGradients) {
            $0.loss(batch.inputs, labels: batch.targets)
        }
        for report in lstmReports { t.say("    \(report)") }
        reports += lstmReports
        t.pause()

        t.step(
            "The vanilla RNN on the same batch",
            """
            The baseline: h(t) = tanh(W_hx x(t) + W_hh h(t−1) + b_h), then (7)–(9). Its
            backward pass carries the gradient back through W_hh and a tanh at every step —
            the product that shrinks over long sequences and makes the RNN forget. The
            gradient itself must still be right: \(rnn.parameterCount) parameters checked.
            """)
        let (rnnLoss, rnnGradients) = rnn.lossAndGradients(batch.inputs, labels: batch.targets)
        t.say("  loss L = \(short(rnnLoss))")
        let rnnReports = checker.check(rnn, gradients: rnnGradients) {
            $0.loss(batch.inputs, labels: batch.targets)
        }
        for report in rnnReports { t.say("    \(report)") }
        reports += rnnReports
        t.pause()
    }

    /// The verdict over every check made; throws when any failed.
    func summary() throws {
        let failed = reports.filter { !$0.passed }
        let worst = reports.map(\.worstError).max() ?? 0
        let elements = reports.reduce(0) { $0 + $1.count }
        terminal.step(
            "Summary",
            """
            \(reports.count) matrices checked, \(elements) numbers in all; the worst relative error
            was \(NumberFormat.scientific(worst)) against a tolerance of \(NumberFormat.scientific(checker.tolerance)).
            """)
        if failed.isEmpty {
            terminal.say("Every backward pass agrees with finite differences.")
        } else {
            for report in failed { terminal.say("  \(report)") }
            throw ChecksFailed(count: failed.count)
        }
    }
}

/// Some gradient checks failed: the backward pass and finite differences disagree.
struct ChecksFailed: Error, CustomStringConvertible {
    let count: Int
    var description: String { "\(count) gradient check(s) failed (listed above)" }
}
