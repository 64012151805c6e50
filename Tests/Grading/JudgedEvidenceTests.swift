import Foundation
import Learn
import LearnCourse
import LearnTesting
import Testing

/// The grader judges what the pieces hand over, with its own code: evidence made up
/// instead of computed — an untrained model sent as the trained one, records of a
/// balanced game with an untrained generator — loses the points, and evidence that is
/// not what the check asked for is refused with the reason.
@Suite("Evidence judged by the grader")
struct JudgedEvidenceTests {
    func check(_ id: String) throws -> GradedCheck {
        try #require(GradingCatalogue.check(id: id))
    }

    /// `{"checkpoint": base64, "steps": n}`, as a trained model's evidence.
    func trained(_ checkpoint: Checkpoint, steps: Int = 2_000) -> Data {
        Data(#"{"checkpoint":"\#(Data(checkpoint.encoded()).base64EncodedString())","steps":\#(steps)}"#.utf8)
    }

    @Test(
        "an untrained LSTM or RNN sent as the trained one loses the points: the grader measures its accuracy",
        .requires(.lstm, .rnn))
    func untrainedLSTM() throws {
        for (id, model, points) in [("lstm.learns-T5", SequenceModelKind.lstm, 5), ("a2.rnn.learns-T5", .rnn, 12)] {
            let check = try check(id)
            var settings = PalindromeOptions()
            settings.inputLength = 5
            settings.model = model
            let untrained = try PalindromeTrainer(options: settings)
            let deductions = try check.judge(trained(untrained.modelCheckpoint()), question: check.question())
            #expect(deductions.map(\.points) == [points], "\(id)")
            #expect(deductions.first?.reason.hasPrefix("test accuracy ") == true, "\(deductions)")
        }
    }

    @Test("evidence that is not the model asked for is refused, saying why", .requires(.lstm, .rnn))
    func wrongModel() throws {
        let check = try check("lstm.learns-T5")
        var settings = PalindromeOptions()
        settings.inputLength = 5
        settings.model = .rnn
        let rnn = try PalindromeTrainer(options: settings).modelCheckpoint()
        #expect(throws: CheckpointError.self) { try check.judge(trained(rnn), question: check.question()) }
        let garbage = Data(#"{"checkpoint":"AAAA","steps":1}"#.utf8)
        #expect(throws: CheckpointError.self) { try check.judge(garbage, question: check.question()) }
        #expect(throws: (any Error).self) { try check.judge(Data("{}".utf8), question: check.question()) }
    }

    @Test("records of a balanced game do not save an untrained generator", .requires(Piece.ganTraining))
    func fabricatedRecords() throws {
        let check = try check("gan.balanced-game")
        let images = try MNIST.load(split: .train, limit: 10_000).images
        let fresh = try GANTrainer(images: images).checkpoint()
        let log2 = 0.693_147_180_559_945_3
        let records = (801...1_200).map {
            #"{"iteration":\#($0),"discriminatorReal":\#(log2),"discriminatorFake":\#(log2),"generator":\#(log2),"meanDReal":0.5,"meanDFake":0.5}"#
        }
        func evidence(_ checkpoint: Checkpoint) -> Data {
            let bytes = Data(checkpoint.encoded()).base64EncodedString()
            return Data(#"{"records":[\#(records.joined(separator: ","))],"checkpoint":"\#(bytes)"}"#.utf8)
        }
        // At iteration 0 the checkpoint is not the end of the run.
        #expect(throws: GradingError.self) { try check.judge(evidence(fresh), question: check.question()) }
        // Relabelled as iteration 1,200, the untrained generator's samples are noise.
        var relabelled = Checkpoint()
        for tensor in fresh.tensors where tensor.name != "trainer/iteration" {
            if tensor.scalarType == .float32 {
                relabelled.store(try fresh.matrix(tensor.name, as: Float.self), as: tensor.name)
            } else {
                relabelled.store(try fresh.matrix(tensor.name, as: Double.self), as: tensor.name)
            }
        }
        relabelled.store(count: 1_200, as: "trainer/iteration")
        let deductions = try check.judge(evidence(relabelled), question: check.question())
        let lost = deductions.reduce(0) { $0 + $1.points }
        #expect(lost >= 8, "\(deductions)")
        #expect(deductions.contains { $0.reason.contains("the judge") }, "\(deductions)")
    }

    /// `{"weights": […], "biases": […]}` of `model`, as a trained MLP's evidence.
    func weights(_ model: MLP<Float>) -> Data {
        let w = model.layers.map { "[" + $0.w.elements.map { "\($0)" }.joined(separator: ",") + "]" }
        let b = model.layers.map { "[" + $0.b.elements.map { "\($0)" }.joined(separator: ",") + "]" }
        return Data(#"{"weights":[\#(w.joined(separator: ","))],"biases":[\#(b.joined(separator: ","))]}"#.utf8)
    }

    @Test(
        "an untrained MLP sent as the trained one loses the points; a trained one earns them; a wrong shape is refused",
        .requires(Piece.mlpTraining))
    func untrainedMLP() throws {
        for (id, dataset) in [("a2.moons.learns", PlanarDataset.moons), ("a2.circles.learns", .circles)] {
            let check = try check(id)
            var options = MLPOptions()
            options.dataset = dataset
            var trainer = try MLPTrainer(options: options)
            let untrained = try check.judge(weights(trainer.model), question: check.question())
            #expect(untrained.map(\.points) == [6], "\(id): \(untrained)")
            #expect(untrained.first?.reason.hasPrefix("test accuracy on \(dataset)") == true, "\(untrained)")
            _ = try trainer.run()
            #expect(try check.judge(weights(trainer.model), question: check.question()).isEmpty, "\(id)")
            var other = MLPOptions()
            other.hiddenWidths = [7]
            let reshaped = try MLPTrainer(options: other).model
            #expect(throws: GradingError.self) { try check.judge(weights(reshaped), question: check.question()) }
        }
    }

    /// `{"draws": [...]}` of matrices drawn uniform in ±`scale`·a for each asked shape.
    func draws(scale: Double) -> Data {
        var generator = SeededGenerator(seed: 8)
        let tensors = [(128, 10), (128, 128), (10, 128), (300, 400)].map { rows, columns in
            let a = (6.0 / Double(rows + columns)).squareRoot() * scale
            let m = Matrix<Double>.uniform(rows: rows, columns: columns, bound: a, using: &generator)
            return #"{"shape":[\#(rows),\#(columns)],"values":[\#(m.elements.map { "\($0)" }.joined(separator: ","))]}"#
        }
        return Data(#"{"draws":[\#(tensors.joined(separator: ","))]}"#.utf8)
    }

    @Test("the Xavier check takes a right draw of its own making, and refuses one too wide or too narrow")
    func xavierJudged() throws {
        let check = try check("a2.xavier-initialization")
        #expect(try check.judge(draws(scale: 1), question: check.question()).isEmpty)
        for scale in [1.3, 0.8] {
            let deductions = try check.judge(draws(scale: scale), question: check.question())
            #expect(deductions.map(\.points) == [2], "scale \(scale): \(deductions)")
        }
    }

    @Test("the schedule check takes η₀·γ^⌊e/k⌋ worked out here, and refuses a decay every epoch")
    func decayJudged() throws {
        let check = try check("a2.learning-rate-decay")
        let epochs = [0, 1, 2, 3, 9, 10, 11, 19, 20, 29, 30, 99, 100, 250]
        func rates(_ decays: (Int, Int) -> Int) -> Data {
            let rows = [(1e-3, 0.98, 10), (0.5, 0.5, 3)].map { rate, factor, k in
                "[" + epochs.map { "\(Float(rate * pow(factor, Double(decays($0, k)))))" }.joined(separator: ",") + "]"
            }
            return Data(#"{"rates":[\#(rows.joined(separator: ","))]}"#.utf8)
        }
        #expect(try check.judge(rates { e, k in e / k }, question: check.question()).isEmpty)
        #expect(try check.judge(rates { e, _ in e }, question: check.question()).map(\.points) == [2])
        #expect(try check.judge(rates { e, k in (e + 1) / k }, question: check.question()).map(\.points) == [2])
    }

    @Test(
        "an untrained CNN sent as the trained one loses the 16 points; a wrong shape, a missing tensor or a NaN is refused",
        .requires(Piece.cnnTraining))
    func untrainedCNN() throws {
        let check = try check("a2.cnn.learns")
        let digits = ImageClassificationData(padding: try MNIST.load(split: .test, limit: 8))
        func checkpoint(_ options: CNNOptions, change: (inout VGG<Float>) -> Void = { _ in }) throws -> Checkpoint {
            var model = try CNNTrainer(options: options, train: digits, test: digits).model
            change(&model)
            var checkpoint = Checkpoint()
            checkpoint.store(model)
            return checkpoint
        }
        let untrained = try check.judge(trained(checkpoint(.quick)), question: check.question())
        #expect(untrained.map(\.points) == [16], "\(untrained)")
        #expect(untrained.first?.reason.hasPrefix("test accuracy ") == true, "\(untrained)")
        #expect(untrained.first?.reason.contains("10,000 test digits") == true, "\(untrained)")
        // The course's widths are not the quick run's.
        #expect(throws: GradingError.self) {
            try check.judge(trained(checkpoint(CNNOptions().narrowed(by: 16))), question: check.question())
        }
        #expect(throws: GradingError.self) {
            try check.judge(
                trained(checkpoint(.quick) { $0.blocks[2].norm.runningMean[0, 1] = .nan }), question: check.question())
        }
        let whole = try checkpoint(.quick)
        var missing = Checkpoint()
        for tensor in whole.tensors where tensor.name != "output.b" {
            missing.store(try whole.matrix(tensor.name, as: Float.self), as: tensor.name)
        }
        #expect(throws: GradingError.self) { try check.judge(trained(missing), question: check.question()) }
    }
}
