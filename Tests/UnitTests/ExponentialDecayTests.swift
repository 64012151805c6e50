import Foundation
import Learn
import LearnTesting
import Testing

/// The exponential learning-rate schedule η_e = η₀ · γ^⌊e/k⌋: its values, and that the
/// palindrome trainer steps RMSProp with them.
@Suite("Learning-rate schedule: ×γ every k epochs")
struct ExponentialDecayTests {
    /// Assignment 2's schedule: RMSProp's 1e-3, ×0.98 every 10 epochs.
    static let assignment = ExponentialDecay(initialRate: 1e-3, factor: 0.98, interval: 10)

    /// (e, the decays ⌊e/10⌋ by then): the first k epochs, both sides of each boundary,
    /// and far out.
    static let epochs: [(epochs: Int, decays: Int)] = [
        (0, 0), (1, 0), (9, 0), (10, 1), (11, 1), (19, 1), (20, 2), (99, 9), (100, 10), (1_000, 100),
    ]

    @Test("η_e = 1e-3 · 0.98^⌊e/10⌋ at chosen epochs", .requires(.learningRateDecay), arguments: epochs)
    func values(_ point: (epochs: Int, decays: Int)) {
        // η₀ and γ as Float holds them: γ = 0.98 is stored 1.9e-8 too large, which
        // 100 decays turn into 2e-6 of η, a real difference and not the schedule's.
        let (eta0, gamma) = (Double(Float(1e-3)), Double(Float(0.98)))
        let expected = eta0 * Foundation.pow(gamma, Double(point.decays))
        let eta = Double(Self.assignment.learningRate(afterEpochs: point.epochs))
        // Rounded to Float once or twice: within 2⁻²² of the exact value.
        #expect(abs(eta - expected) <= 0x1p-22 * expected, "e = \(point.epochs): η = \(eta), expected \(expected)")
    }

    @Test("by hand: 1e-3, 9.8e-4, 9.604e-4, and about 0.817e-3 after 100 epochs", .requires(.learningRateDecay))
    func byHand() {
        let s = Self.assignment
        #expect(s.learningRate(afterEpochs: 0) == 1e-3 && s.learningRate(afterEpochs: 9) == 1e-3)
        #expect(abs(s.learningRate(afterEpochs: 10) - 9.8e-4) <= 3e-10)
        #expect(abs(s.learningRate(afterEpochs: 29) - 9.604e-4) <= 3e-10)
        #expect(abs(s.learningRate(afterEpochs: 100) - 8.170728e-4) <= 3e-10)
        // k = 1 is PyTorch's ExponentialLR: a decay after every epoch.
        let everyEpoch = ExponentialDecay(initialRate: 0.5, factor: 0.5, interval: 1)
        #expect((0...4).map(everyEpoch.learningRate(afterEpochs:)) == [0.5, 0.25, 0.125, 0.0625, 0.03125])
    }

    @Test("γ = 1 keeps η₀ exactly, at every epoch", .requires(.learningRateDecay), arguments: [1, 3, 10])
    func constant(_ k: Int) {
        let eta: Float = 0.0012345
        let s = ExponentialDecay(initialRate: eta, factor: 1, interval: k)
        #expect((0...200).allSatisfy { s.learningRate(afterEpochs: $0) == eta })
        #expect(
            PalindromeOptions().learningRateSchedule == ExponentialDecay(initialRate: 1e-3, factor: 1, interval: 10))
    }

    /// A tiny run: 32 training palindromes in batches of 8, so every epoch is 4 steps.
    static func tinyRun(decay: Float) -> PalindromeOptions {
        var options = PalindromeOptions()
        options.model = .rnn
        options.inputLength = 4
        options.datasetSize = 40
        options.hiddenSize = 8
        options.batchSize = 8
        options.maxEpochs = 5
        options.evaluationInterval = 1_000
        options.learningRateDecay = decay
        options.decayInterval = 2
        options.seed = 3
        return options
    }

    @Test(
        "the trainer sets RMSProp's η at each epoch's start: η₀ for epochs 1–2, η₀/2 for 3–4, η₀/4 for 5",
        .requires(Piece.rnnTraining))
    func trainerFollowsSchedule() throws {
        var trainer = try PalindromeTrainer(options: Self.tinyRun(decay: 0.5))
        #expect(trainer.learningRate == 1e-3)
        let history = try trainer.train().history
        #expect(history.count == 20)
        let expected: [Int: Float] = [1: 1e-3, 2: 1e-3, 3: 5e-4, 4: 5e-4, 5: 2.5e-4]
        for record in history {
            #expect(record.learningRate == expected[record.epoch], "step \(record.step), epoch \(record.epoch)")
        }
        #expect(trainer.learningRate == 2.5e-4)
    }

    @Test(
        "the decayed η is the one RMSProp steps with: the same run without decay agrees until epoch 3, then not",
        .requires(Piece.rnnTraining))
    func decayChangesTheSteps() throws {
        var decayed = try PalindromeTrainer(options: Self.tinyRun(decay: 0.5))
        var constant = try PalindromeTrainer(options: Self.tinyRun(decay: 1))
        let (a, b) = (try decayed.train().history, try constant.train().history)
        #expect(constant.learningRate == 1e-3)
        // Epochs 1 and 2 (steps 1–8) use η₀ in both runs: the same losses, bit for bit.
        #expect(a.prefix(8).map(\.loss) == b.prefix(8).map(\.loss))
        // Step 9 is the first with η₀/2; its loss was computed before it, so it agrees
        // too, and step 10's is the first to differ.
        #expect(a[8].loss == b[8].loss)
        #expect(a[9].loss != b[9].loss, "step 10: \(a[9].loss) in both runs")
    }
}
