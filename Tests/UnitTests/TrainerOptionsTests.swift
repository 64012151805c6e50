import Learn
import LearnTesting
import Testing

/// One out-of-range option: how to make it, and the name the error must give.
struct BadOption: Sendable, CustomTestStringConvertible {
    let option: String
    let value: String
    let change: @Sendable (inout PalindromeOptions) -> Void

    init(_ option: String, _ value: String, _ change: @escaping @Sendable (inout PalindromeOptions) -> Void) {
        (self.option, self.value, self.change) = (option, value, change)
    }

    var testDescription: String { "\(option) = \(value)" }
}

/// The options of a palindrome run: validation names the offending option, and a
/// small run is reproducible.
@Suite("PalindromeOptions and the trainer")
struct TrainerOptionsTests {
    static let badOptions: [BadOption] = [
        BadOption("input length", "0") { $0.inputLength = 0 },
        BadOption("input length", "-3") { $0.inputLength = -3 },
        BadOption("input length", "1001") { $0.inputLength = 1001 },
        BadOption("data set size", "1") { $0.datasetSize = 1 },
        BadOption("train fraction", "0") { $0.trainFraction = 0 },
        BadOption("train fraction", "1") { $0.trainFraction = 1 },
        BadOption("train fraction", "1.5") { $0.trainFraction = 1.5 },
        BadOption("train fraction", "nan") { $0.trainFraction = .nan },
        BadOption("hidden size", "0") { $0.hiddenSize = 0 },
        BadOption("hidden size", "4097") { $0.hiddenSize = 4097 },
        BadOption("batch size", "0") { $0.batchSize = 0 },
        BadOption("learning rate", "0") { $0.learningRate = 0 },
        BadOption("learning rate", "-1e-3") { $0.learningRate = -1e-3 },
        BadOption("learning rate", "inf") { $0.learningRate = .infinity },
        BadOption("learning rate", "nan") { $0.learningRate = .nan },
        BadOption("learning rate decay", "0") { $0.learningRateDecay = 0 },
        BadOption("learning rate decay", "-0.98") { $0.learningRateDecay = -0.98 },
        BadOption("learning rate decay", "1.01") { $0.learningRateDecay = 1.01 },
        BadOption("learning rate decay", "inf") { $0.learningRateDecay = .infinity },
        BadOption("learning rate decay", "nan") { $0.learningRateDecay = .nan },
        BadOption("decay interval", "0") { $0.decayInterval = 0 },
        BadOption("decay interval", "-10") { $0.decayInterval = -10 },
        BadOption("clip norm", "0") { $0.clipNorm = 0 },
        BadOption("clip norm", "inf") { $0.clipNorm = .infinity },
        BadOption("clip norm", "nan") { $0.clipNorm = .nan },
        BadOption("forget bias", "inf") { $0.forgetBias = .infinity },
        BadOption("forget bias", "nan") { $0.forgetBias = .nan },
        // Xavier is Assignment 2's initialisation of the RNN; the LSTM has only PyTorch's.
        BadOption("initialization", "xavierUniform for the LSTM") { $0.initialization = .xavierUniform },
        BadOption("epochs", "0") { $0.maxEpochs = 0 },
        BadOption("steps", "0") { $0.maxSteps = 0 },
        BadOption("evaluation interval", "0") { $0.evaluationInterval = 0 },
        BadOption("target accuracy", "-0.1") { $0.targetAccuracy = -0.1 },
        BadOption("target accuracy", "1.01") { $0.targetAccuracy = 1.01 },
        BadOption("target accuracy", "nan") { $0.targetAccuracy = .nan },
    ]

    @Test("the course defaults are valid and are the course's numbers")
    func defaults() throws {
        let options = PalindromeOptions()
        try options.validate()
        #expect(options.model == .lstm && options.encoding == .oneHot)
        #expect(options.inputLength == 19 && options.datasetSize == 100_000 && options.trainFraction == 0.8)
        #expect(options.hiddenSize == 128 && options.batchSize == 128)
        #expect(options.learningRate == 1e-3 && options.clipNorm == 10 && options.maxEpochs == 100)
        // Assignment 3 keeps η constant and PyTorch's initialisation.
        #expect(options.learningRateDecay == 1 && options.initialization == .pytorchDefault)
    }

    @Test("validate rejects each out-of-range option with an OptionError naming it", arguments: badOptions)
    func rejects(_ bad: BadOption) {
        var options = PalindromeOptions()
        bad.change(&options)
        let error = #expect(throws: OptionError.self) { try options.validate() }
        #expect(error?.option == bad.option, "named \(error?.option ?? "nothing")")
        #expect(error?.description.hasPrefix(bad.option) == true, "\(error?.description ?? "")")
    }

    @Test(
        "the trainer refuses the same options before doing any work", .requires(Piece.palindromeTraining),
        arguments: Array(badOptions.prefix(4))
            + badOptions.filter { $0.option.hasPrefix("learning rate decay") }.prefix(1)
            + badOptions.filter { $0.option == "decay interval" }.prefix(1))
    func trainerRejects(_ bad: BadOption) {
        var options = PalindromeOptions()
        bad.change(&options)
        let error = #expect(throws: OptionError.self) { _ = try PalindromeTrainer(options: options) }
        #expect(error?.option == bad.option)
    }

    static let edgeValues: [BadOption] = [
        BadOption("input length", "1") { $0.inputLength = 1 },
        BadOption("input length", "1000") { $0.inputLength = 1000 },
        BadOption("data set size", "2") { $0.datasetSize = 2 },
        BadOption("hidden size", "4096") { $0.hiddenSize = 4096 },
        BadOption("train fraction", "0.001") { $0.trainFraction = 0.001 },
        BadOption("forget bias", "-5") { $0.forgetBias = -5 },
        BadOption("learning rate decay", "1") { $0.learningRateDecay = 1 },
        BadOption("learning rate decay", "1e-6") { $0.learningRateDecay = 1e-6 },
        BadOption("decay interval", "1") { $0.decayInterval = 1 },
        BadOption("initialization", "xavierUniform for the RNN") {
            $0.model = .rnn
            $0.initialization = .xavierUniform
        },
        BadOption("steps", "1") { $0.maxSteps = 1 },
        BadOption("target accuracy", "0") { $0.targetAccuracy = 0 },
        BadOption("target accuracy", "1") { $0.targetAccuracy = 1 },
    ]

    @Test("values at the edge of each range are accepted", arguments: edgeValues)
    func accepts(_ edge: BadOption) throws {
        var options = PalindromeOptions()
        edge.change(&options)
        try options.validate()
    }

    @Test("when several options are wrong, the first in the documented order is named")
    func firstNamed() {
        var options = PalindromeOptions()
        options.batchSize = 0
        options.hiddenSize = 0
        options.maxEpochs = 0
        let error = #expect(throws: OptionError.self) { try options.validate() }
        #expect(error?.option == "hidden size")
    }

    /// A tiny run: 32 palindromes, hidden 8, three steps. Everything random is seeded,
    /// so two runs give identical losses, bit for bit.
    @Test(
        "a seeded run is reproducible, step for step", .requires(Piece.palindromeTraining),
        arguments: [SequenceModelKind.lstm, .rnn])
    func reproducible(_ kind: SequenceModelKind) throws {
        var options = PalindromeOptions()
        options.model = kind
        options.inputLength = 4
        options.datasetSize = 40
        options.hiddenSize = 8
        options.batchSize = 8
        options.maxSteps = 3
        options.seed = 7
        func run() throws -> [Double] {
            var trainer = try PalindromeTrainer(options: options)
            #expect(trainer.data.train.count == 32 && trainer.data.test.count == 8)
            return try trainer.train().history.map(\.loss)
        }
        let first = try run()
        #expect(first.count == 3)
        #expect(first.allSatisfy { $0.isFinite && $0 > 0 })
        // An untrained model is close to uniform over ten digits: loss ≈ log 10.
        #expect(abs(first[0] - 2.302585) <= 0.3, "first loss \(first[0])")
        #expect(try run() == first)
    }

    /// With k discriminator steps an iteration takes k batches: 64 images at k = 2 would
    /// be an epoch of no iterations, which once trained one iteration and called it
    /// "1.0 epochs of 0 iterations".
    @Test("a GAN trainer refuses fewer images than one iteration takes (k batches), saying how many it needs")
    func ganNeedsOneIteration() throws {
        var options = GANOptions()
        options.architecture = .small
        options.batchSize = 64
        options.discriminatorSteps = 2
        var random = SeededGenerator(seed: 1)
        let images = Matrix<Float>.uniform(rows: 64, columns: 7, bound: 1, using: &random)
        let error = #expect(throws: OptionError.self) { try GANTrainer(images: images, options: options) }
        #expect(error?.option == "images")
        #expect("\(error.map { "\($0)" } ?? "")".contains("k × batch = 2 × 64 = 128"), "\(String(describing: error))")
        let enough = Matrix<Float>.uniform(rows: 128, columns: 7, bound: 1, using: &random)
        #expect(try GANTrainer(images: enough, options: options).iterationsPerEpoch == 1)
    }

    @Test("GANBalance gives no verdict on fewer records than its minimum")
    func balanceNeedsRecords() {
        let record = GANRecord(
            iteration: 1, discriminatorReal: 0.69, discriminatorFake: 0.69, generator: 0.69, meanDReal: 0.5,
            meanDFake: 0.5)
        #expect(GANBalance(Array(repeating: record, count: GANBalance.minimumRecords - 1)).isTooShort)
        let enough = GANBalance(Array(repeating: record, count: GANBalance.minimumRecords))
        #expect(!enough.isTooShort && enough.isBalanced)
    }
}
