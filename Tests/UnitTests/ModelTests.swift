import Learn
import LearnTesting
import Testing

/// The LSTM and RNN assembled: parameter lists, shapes through a whole sequence, and
/// the initialisation.
@Suite("Models: LSTM and RNN")
struct ModelTests {
    // N = 3 examples, T = 4 steps, D = 10 one-hot features, H = 6 hidden, K = 10 classes.
    static let (n, t, d, h, k) = (3, 4, 10, 6, 10)

    static func sequence<T: Real>(_: T.Type) -> [Matrix<T>] {
        (0..<t).map { step in randomMatrix(n, d, seed: UInt64(step + 100)) }
    }

    @Test("the LSTM lists its 14 parameters by name, with the documented shapes", .requires(.lstm))
    func lstmParameters() {
        var generator = SeededGenerator(seed: 1)
        let model = LSTM<Double>(inputSize: Self.d, hiddenSize: Self.h, classes: Self.k, using: &generator)
        let names = model.parameters.map(\.name)
        #expect(names == ["wgx", "wgh", "bg", "wix", "wih", "bi", "wfx", "wfh", "bf", "wox", "woh", "bo", "wph", "bp"])
        let (d, h, k) = (Self.d, Self.h, Self.k)
        #expect(model.parameterCount == 4 * (h * d + h * h + h) + k * h + k)
        for p in model.parameters {
            let shape = model[keyPath: p.path].shape
            let expected: Shape2 =
                switch p.name.last! {
                case "x": Shape2(h, d)
                case "h": p.name == "wph" ? Shape2(k, h) : Shape2(h, h)
                default: p.name == "bp" ? Shape2(1, k) : Shape2(1, h)
                }
            #expect(shape == expected, "\(p.name)")
        }
        #expect(model.inputSize == d && model.hiddenSize == h && model.classes == k)
    }

    @Test("the RNN lists its 5 parameters by name", .requires(.rnn))
    func rnnParameters() {
        var generator = SeededGenerator(seed: 1)
        let model = RNN<Double>(inputSize: Self.d, hiddenSize: Self.h, classes: Self.k, using: &generator)
        #expect(model.parameters.map(\.name) == ["whx", "whh", "bh", "wph", "bp"])
        #expect(model.parameterCount == Self.h * Self.d + Self.h * Self.h + Self.h + Self.k * Self.h + Self.k)
    }

    /// PyTorch draws every weight and bias of `nn.LSTM` uniformly from ±1/√H.
    @Test("initialisation is uniform in ±1/√H and fixed by the seed", .requires(.lstm), arguments: [4, 64])
    func initialisation(_ hidden: Int) {
        var g1 = SeededGenerator(seed: 9)
        var g2 = SeededGenerator(seed: 9)
        let a = LSTM<Float>(inputSize: 10, hiddenSize: hidden, classes: 10, using: &g1)
        let b = LSTM<Float>(inputSize: 10, hiddenSize: hidden, classes: 10, using: &g2)
        let bound = 1 / Float(hidden).squareRoot()
        let all = a.parameters.flatMap { a[keyPath: $0.path].elements }
        #expect(all.allSatisfy { abs($0) <= bound })
        // Spread over the whole interval, not bunched at 0.
        #expect(all.max()! > 0.8 * bound && all.min()! < -0.8 * bound)
        #expect(a.parameters.allSatisfy { a[keyPath: $0.path] == b[keyPath: $0.path] })
    }

    @Test("forgetBias replaces b_f and nothing else", .requires(.lstm))
    func forgetBias() {
        var g1 = SeededGenerator(seed: 4)
        var g2 = SeededGenerator(seed: 4)
        let plain = LSTM<Double>(inputSize: 2, hiddenSize: 3, classes: 10, using: &g1)
        let biased = LSTM<Double>(inputSize: 2, hiddenSize: 3, classes: 10, forgetBias: 1, using: &g2)
        #expect(biased.f.bf == Matrix([[1, 1, 1]]))
        for p in plain.parameters where p.name != "bf" {
            #expect(plain[keyPath: p.path] == biased[keyPath: p.path], "\(p.name)")
        }
    }

    @Test(
        "forward gives N×K scores and T cached steps; backward gives gradients shaped like the model",
        .requires(.lstm, .rnn),
        arguments: precisions)
    func shapes(_ type: any Real.Type) {
        func check<T: Real>(_: T.Type) {
            var generator = SeededGenerator(seed: 5)
            let xs = Self.sequence(T.self)
            let labels = [1, 5, 9]

            let lstm = LSTM<T>(inputSize: Self.d, hiddenSize: Self.h, classes: Self.k, using: &generator)
            let (scores, cache) = lstm.forward(xs)
            #expect(scores.shape == Shape2(Self.n, Self.k))
            #expect(cache.steps.count == Self.t && cache.lastH.shape == Shape2(Self.n, Self.h))
            let (loss, grads) = lstm.lossAndGradients(xs, labels: labels)
            #expect(loss.isFinite && loss > 0)
            #expect(grads.isFinite)
            for p in lstm.parameters {
                #expect(grads[keyPath: p.path].shape == lstm[keyPath: p.path].shape, "d\(p.name)")
            }
            #expect(lstm.predict(xs).count == Self.n && lstm.predict(xs).allSatisfy { (0..<Self.k).contains($0) })
            #expect(abs(lstm.loss(xs, labels: labels) - loss) <= 4 * T.ulpOfOne * loss)

            let rnn = RNN<T>(inputSize: Self.d, hiddenSize: Self.h, classes: Self.k, using: &generator)
            let (rnnScores, rnnCache) = rnn.forward(xs)
            #expect(rnnScores.shape == Shape2(Self.n, Self.k) && rnnCache.steps.count == Self.t)
            let rnnGrads = rnn.lossAndGradients(xs, labels: labels).gradients
            for p in rnn.parameters {
                #expect(rnnGrads[keyPath: p.path].shape == rnn[keyPath: p.path].shape, "d\(p.name)")
            }
        }
        check(type)
    }

    /// The loss reads the last step only, but the first input must still matter: that
    /// is the whole palindrome task.
    @Test("the scores depend on the first input through T steps", .requires(.lstm), arguments: [1, 5, 20])
    func firstInputMatters(_ steps: Int) {
        var generator = SeededGenerator(seed: 6)
        let lstm = LSTM<Double>(inputSize: 10, hiddenSize: 8, classes: 10, using: &generator)
        var xs = (0..<steps).map { _ in Matrix<Double>(rows: 1, columns: 10) }
        xs[0][0, 3] = 1
        let a = lstm.forward(xs).scores
        xs[0][0, 3] = 0
        xs[0][0, 7] = 1
        let b = lstm.forward(xs).scores
        #expect(a != b)
        #expect(maxAbsDifference(a, b) > 0)
    }

    @Test("Float and Double runs of the same model agree to Float precision", .requires(.lstm))
    func precisionsAgree() {
        var g1 = SeededGenerator(seed: 7)
        var g2 = SeededGenerator(seed: 7)
        let lstmF = LSTM<Float>(inputSize: 10, hiddenSize: 6, classes: 10, using: &g1)
        let lstmD = LSTM<Double>(inputSize: 10, hiddenSize: 6, classes: 10, using: &g2)
        let xs = Self.sequence(Double.self)
        let scoresD = lstmD.forward(xs).scores
        let scoresF = lstmF.forward(
            xs.map { Matrix(rows: $0.rows, columns: $0.columns, elements: $0.elements.map(Float.init)) }
        ).scores
        let difference = zip(scoresF.elements, scoresD.elements).map { abs(Double($0) - $1) }.max()!
        #expect(difference <= 1e-5, "max |Float − Double| = \(difference)")
    }
}
