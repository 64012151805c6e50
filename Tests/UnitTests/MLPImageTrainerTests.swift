import Learn
import LearnTesting
import Testing

/// One out-of-range image-MLP option: how to make it, and the name the error must give.
struct BadImageOption: Sendable, CustomTestStringConvertible {
    let option: String
    let value: String
    let change: @Sendable (inout MLPImageOptions) -> Void

    init(_ option: String, _ value: String, _ change: @escaping @Sendable (inout MLPImageOptions) -> Void) {
        (self.option, self.value, self.change) = (option, value, change)
    }

    var testDescription: String { "\(option) = \(value)" }
}

/// The MLP on images: its options name the bad one, its trainer refuses them and empty
/// sets before any work, and its evaluation in chunks is one pass's.
@Suite("MLPImageOptions and MLPImageTrainer")
struct MLPImageTrainerTests {
    static let badOptions: [BadImageOption] = [
        BadImageOption("hidden widths", "[0]") { $0.hiddenWidths = [0] },
        BadImageOption("hidden widths", "[4097]") { $0.hiddenWidths = [4097] },
        BadImageOption("hidden widths", "17 widths") { $0.hiddenWidths = Array(repeating: 8, count: 17) },
        BadImageOption("batch size", "0") { $0.batchSize = 0 },
        BadImageOption("batch size", "100001") { $0.batchSize = 100_001 },
        BadImageOption("learning rate", "0") { $0.learningRate = 0 },
        BadImageOption("learning rate", "-0.01") { $0.learningRate = -0.01 },
        BadImageOption("learning rate", "inf") { $0.learningRate = .infinity },
        BadImageOption("learning rate", "nan") { $0.learningRate = .nan },
        BadImageOption("momentum", "1") { $0.momentum = 1 },
        BadImageOption("momentum", "-0.1") { $0.momentum = -0.1 },
        BadImageOption("momentum", "nan") { $0.momentum = .nan },
        BadImageOption("epochs", "0") { $0.epochs = 0 },
        BadImageOption("epochs", "100001") { $0.epochs = 100_001 },
        BadImageOption("train evaluation size", "0") { $0.trainEvaluationSize = 0 },
    ]

    @Test("the defaults are valid and are the course's: one hidden layer of 256, SGD")
    func defaults() throws {
        let options = MLPImageOptions()
        try options.validate()
        #expect(options.hiddenWidths == [256] && options.widths(inputs: 3_072, classes: 10) == [3_072, 256, 10])
        #expect(options.batchSize == 64 && options.epochs == 10)
    }

    @Test("validate rejects each out-of-range option with an OptionError naming it", arguments: badOptions)
    func rejects(_ bad: BadImageOption) {
        var options = MLPImageOptions()
        bad.change(&options)
        let error = #expect(throws: OptionError.self) { try options.validate() }
        #expect(error?.option == bad.option, "named \(error?.option ?? "nothing")")
        #expect(error?.description.hasPrefix(bad.option) == true, "\(error?.description ?? "")")
    }

    @Test("the trainer refuses the same options before doing any work", arguments: badOptions.prefix(6))
    func trainerRejects(_ bad: BadImageOption) {
        var options = MLPImageOptions()
        bad.change(&options)
        let data = brightnessImages(count: 6, seed: 1)
        let error = #expect(throws: OptionError.self) {
            _ = try MLPImageTrainer(options: options, train: data, test: data)
        }
        #expect(error?.option == bad.option)
    }

    @Test("an empty training or test set is refused, naming which")
    func emptySets() {
        let data = brightnessImages(count: 6, seed: 1)
        let none = data.prefix(0)
        let noTraining = #expect(throws: OptionError.self) {
            _ = try MLPImageTrainer(options: MLPImageOptions(), train: none, test: data)
        }
        #expect(noTraining?.description == "training images must be at least 1, got 0")
        let noTest = #expect(throws: OptionError.self) {
            _ = try MLPImageTrainer(options: MLPImageOptions(), train: data, test: none)
        }
        #expect(noTest?.option == "test images")
    }

    @Test("the network reads the images' width and gives one score per class")
    func widths() throws {
        var options = MLPImageOptions()
        options.hiddenWidths = [7, 5]
        let data = brightnessImages(count: 9, width: 4, classes: 3, seed: 1)
        let trainer = try MLPImageTrainer(options: options, train: data, test: data)
        #expect(trainer.model.widths == [4, 7, 5, 3])
        options.batchSize = 4
        #expect(try MLPImageTrainer(options: options, train: data, test: data).stepsPerEpoch == 3)
    }

    /// 5,000 images are three chunks of evaluation; the loss and the counts must be those
    /// of one forward pass over all of them.
    @Test(
        "evaluation in chunks gives one pass's loss and counts, and a limit counts the first images only",
        .requires(.mlp, .softmaxCrossEntropy))
    func chunkedEvaluation() throws {
        var options = MLPImageOptions()
        options.hiddenWidths = [6]
        let data = brightnessImages(count: 5_000, width: 5, classes: 4, seed: 2)
        let trainer = try MLPImageTrainer(options: options, train: data, test: data)
        let (loss, accuracy) = trainer.evaluate(data)
        var net = trainer.model
        let scores = net.forward(data.batch(Array(0..<data.count)).inputs, mode: .evaluation).y
        let whole = Double(SoftmaxCrossEntropy.forward(scores, labels: data.labels).loss)
        #expect(abs(loss - whole) <= 1e-5 * whole, "chunks \(loss), one pass \(whole)")
        let predicted = (0..<scores.rows).map { n in
            let row = scores.row(n)
            return row.indices.max { row[$0] < row[$1] } ?? 0
        }
        #expect(accuracy == ClassAccuracy(predicted: predicted, labels: data.labels, classes: 4))
        let first = trainer.evaluate(data, limit: 10).accuracy
        #expect(
            first == ClassAccuracy(predicted: Array(predicted[..<10]), labels: Array(data.labels[..<10]), classes: 4))
    }

    @Test(
        "a seeded run is reproducible, epoch for epoch, and reports the test set class by class",
        .requires(Piece.mlpTraining))
    func reproducible() throws {
        var options = MLPImageOptions()
        options.hiddenWidths = [8]
        options.batchSize = 5
        options.epochs = 2
        options.seed = 4
        options.trainEvaluationSize = 10
        let train = brightnessImages(count: 30, seed: 5)
        let test = brightnessImages(count: 12, seed: 6)
        func run() throws -> [MLPImageEpoch] {
            var trainer = try MLPImageTrainer(options: options, train: train, test: test)
            let epochs = try trainer.run()
            #expect(trainer.steps == 12 && trainer.epoch == 2)
            // The last record is the final weights measured on each set, each in its place.
            let (testLoss, testCounts) = trainer.evaluate(test)
            let trainLoss = trainer.evaluate(train, limit: options.trainEvaluationSize).loss
            let last = try #require(epochs.last)
            #expect(last.testByClass == testCounts && last.curves.testAccuracy == testCounts.overall)
            #expect(last.curves.testLoss == testLoss && last.curves.trainLoss == trainLoss)
            return epochs
        }
        let first = try run()
        #expect(first.map(\.epoch) == [1, 2])
        #expect(first.allSatisfy { $0.testByClass.total == [4, 4, 4] })
        #expect(try run() == first)
    }
}
