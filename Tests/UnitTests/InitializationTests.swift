import Learn
import LearnTesting
import Testing

/// The RNN's two initialisations: PyTorch's default, drawn exactly as before the choice
/// existed (Assignment 3 and its goldens depend on it), and Assignment 2's
/// Xavier-uniform weights with zero biases.
@Suite("Initialisation: PyTorch's default and Xavier-uniform")
struct InitializationTests {
    /// The course's sizes: D = 10 one-hot digits, H = 128, K = 10 classes; and a small
    /// net whose three bounds all differ (D = 3, H = 16, K = 5).
    static let sizes: [(d: Int, h: Int, k: Int)] = [(10, 128, 10), (3, 16, 5)]

    /// The half-width a = √(6/(fan_in + fan_out)) of each RNN weight, worked by hand.
    @Test("Xavier's bound is √(6/(fan_in + fan_out))", .requires(.xavierInitialization))
    func bound() {
        #expect(Initialization.xavierBound(fanIn: 10, fanOut: 128) == (6.0 / 138).squareRoot())
        #expect(Initialization.xavierBound(fanIn: 128, fanOut: 128) == (3.0 / 128).squareRoot())
        #expect(Initialization.xavierBound(fanIn: 1, fanOut: 5) as Double == 1)
        #expect(Initialization.xavierBound(fanIn: 3, fanOut: 3) as Float == 1)
    }

    @Test(
        "Xavier: every weight within ±a of its own shape, spread to near a; every bias exactly 0",
        .requires(.rnn, .xavierInitialization),
        arguments: sizes)
    func xavierRNN(_ size: (d: Int, h: Int, k: Int)) {
        var generator = SeededGenerator(seed: 3)
        let rnn = RNN<Float>(
            inputSize: size.d, hiddenSize: size.h, classes: size.k, initialization: .xavierUniform,
            using: &generator)
        // Each weight matrix is fan_out × fan_in.
        let weights: [(String, Matrix<Float>, fanIn: Int, fanOut: Int)] = [
            ("whx", rnn.hidden.whx, size.d, size.h), ("whh", rnn.hidden.whh, size.h, size.h),
            ("wph", rnn.p.wph, size.h, size.k),
        ]
        for (name, w, fanIn, fanOut) in weights {
            #expect(w.shape == Shape2(fanOut, fanIn), "\(name)")
            // Worked here, not asked of `Initialization`: a wrong bound there must not move it.
            let a = (6 / Float(fanIn + fanOut)).squareRoot()
            let largest = w.elements.map(abs).max()!
            #expect(largest <= a, "\(name): |w| up to \(largest), bound a = \(a)")
            // Not a narrower interval: with ≥ 48 draws the largest |w| is within 15% of a
            // except with probability below 0.85⁴⁸ ≈ 4e-4 (and the seed is fixed).
            #expect(largest >= 0.85 * a, "\(name): |w| only up to \(largest), bound a = \(a)")
        }
        #expect(rnn.hidden.bh == Matrix(rows: 1, columns: size.h), "b_h: \(rnn.hidden.bh.elements.prefix(4))")
        #expect(rnn.p.bp == Matrix(rows: 1, columns: size.k), "b_p: \(rnn.p.bp.elements.prefix(4))")
    }

    /// U(−a, a) has mean 0 and variance a²/3. Over 240,000 draws the sample variance's
    /// standard error is √(4/45)·a²/√n ≈ 0.18% of a²/3, so 1% is more than five of them.
    @Test(
        "Xavier-uniform on a 400×600 matrix: mean ≈ 0, variance ≈ a²/3 = 2/(fan_in + fan_out)",
        .requires(.xavierInitialization))
    func variance() {
        var generator = SeededGenerator(seed: 11)
        let w: Matrix<Double> = Initialization.xavierUniform(rows: 400, columns: 600, using: &generator)
        let a = (6.0 / 1000).squareRoot()
        let n = Double(w.count)
        let mean = w.elements.reduce(0, +) / n
        let variance = w.elements.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        let expected = a * a / 3
        #expect(abs(mean) <= 0.01 * a, "mean \(mean), a = \(a)")
        #expect(abs(variance - expected) <= 0.01 * expected, "variance \(variance), a²/3 = \(expected)")
        #expect(w.elements.allSatisfy { abs($0) <= a })
    }

    /// Recorded before the choice of initialisation existed: seed 2024, D = 10, H = 6,
    /// K = 10, Float. First, middle and last element of each parameter as bit patterns,
    /// and the generator's next draw (so no draw was added or dropped).
    static let recorded: [(name: String, bits: [UInt32])] = [
        ("whx", [0xbeb9_b2f9, 0x3ec1_b865, 0xbec9_d262]),
        ("whh", [0xbe94_296b, 0xbebc_143d, 0x3d43_3af8]),
        ("bh", [0x3ec1_e979, 0xbe26_3aef, 0xbdc9_9090]),
        ("wph", [0xbeb4_415d, 0x3ebb_201d, 0xbebf_ccd1]),
        ("bp", [0x3e87_35dd, 0xbea3_cdc4, 0x3ea8_f28f]),
    ]

    @Test(
        "the default is PyTorch's, drawn bit for bit as before Xavier existed", .requires(.rnn),
        arguments: [nil, Initialization.pytorchDefault])
    func defaultUnchanged(_ initialization: Initialization?) {
        var generator = SeededGenerator(seed: 2024)
        let rnn =
            initialization.map {
                RNN<Float>(inputSize: 10, hiddenSize: 6, classes: 10, initialization: $0, using: &generator)
            }
            ?? RNN<Float>(inputSize: 10, hiddenSize: 6, classes: 10, using: &generator)
        #expect(rnn.parameters.map(\.name) == Self.recorded.map(\.name))
        for (p, expected) in zip(rnn.parameters, Self.recorded) {
            let m = rnn[keyPath: p.path]
            let bits = [m.elements.first!, m.elements[m.count / 2], m.elements.last!].map(\.bitPattern)
            #expect(bits == expected.bits, "\(p.name): \(bits.map { String($0, radix: 16) })")
        }
        #expect(generator.uniform() == 0.012717693655128648, "a draw was added or dropped")
        // Every element in ±1/√H, biases included.
        let bound = 1 / Float(6).squareRoot()
        #expect(rnn.parameters.allSatisfy { rnn[keyPath: $0.path].elements.allSatisfy { abs($0) <= bound } })
    }

    @Test("Xavier is fixed by the seed and differs from the default draw", .requires(.rnn, .xavierInitialization))
    func xavierSeeded() {
        func make(_ initialization: Initialization, seed: UInt64) -> RNN<Double> {
            var generator = SeededGenerator(seed: seed)
            return RNN(inputSize: 10, hiddenSize: 8, classes: 10, initialization: initialization, using: &generator)
        }
        let (a, b) = (make(.xavierUniform, seed: 5), make(.xavierUniform, seed: 5))
        #expect(a.parameters.allSatisfy { a[keyPath: $0.path] == b[keyPath: $0.path] })
        #expect(make(.xavierUniform, seed: 6).hidden.whx != a.hidden.whx)
        #expect(make(.pytorchDefault, seed: 5).hidden.whx != a.hidden.whx)
    }

    @Test("the trainer builds its RNN with the options' initialisation", .requires(.rnn, .xavierInitialization))
    func trainerUsesIt() throws {
        var options = PalindromeOptions()
        options.model = .rnn
        options.inputLength = 4
        options.datasetSize = 40
        options.hiddenSize = 16
        for initialization in Initialization.allCases {
            options.initialization = initialization
            let trainer = try PalindromeTrainer(options: options)
            var generator = SeededGenerator(seed: 0)
            var rnn = RNN<Float>(inputSize: 10, hiddenSize: 16, classes: 10, using: &generator)
            try trainer.modelCheckpoint().restore(&rnn, from: "model")
            let biasesZero = rnn.hidden.bh.elements.allSatisfy { $0 == 0 } && rnn.p.bp.elements.allSatisfy { $0 == 0 }
            #expect(biasesZero == (initialization == .xavierUniform), "\(initialization)")
            // W_hh's Xavier bound √(3/16) ≈ 0.43 is wider than PyTorch's 1/√16 = 0.25.
            let largest = rnn.hidden.whh.elements.map(abs).max()!
            #expect((largest > 0.25) == (initialization == .xavierUniform), "\(initialization): |W_hh| ≤ \(largest)")
        }
    }
}
