import Foundation
import Learn

/// The graded checks that train: seeded, deterministic runs with the thresholds of the
/// assignment, so a pass means the student's pieces learn, not that a run was lucky.
///
/// The pieces train where they run and hand over what they trained, as a checkpoint;
/// the grader measures it with its own code — test accuracy, the judge's verdict on the
/// samples, the balance of the game continued from the final weights — so a trained
/// model earns the points, not a report of one.
enum GradedTraining {
    /// A trained model, and the steps its run took.
    struct Trained: Codable, Sendable {
        var checkpoint: Data
        var steps = 0
    }

    /// The course defaults at T = 5, stopping at 99.5% test accuracy: ≥ 99% is required.
    static func lstmSettings() -> PalindromeOptions {
        var settings = PalindromeOptions()
        settings.inputLength = 5
        settings.maxSteps = 2_000
        settings.evaluationInterval = 50
        settings.targetAccuracy = 0.995
        return settings
    }

    static let lstmLearns = palindromeLearns(lstmSettings, model: "LSTM", points: 5)

    /// A palindrome model trained with `settings` must reach 99% test accuracy, measured
    /// here from the model it hands over, for the check's `points`.
    static func palindromeLearns(
        _ settings: @escaping @Sendable () -> PalindromeOptions, model: String, points: Int
    ) -> GradedWork<NoQuestion, Trained> {
        GradedWork(
            ask: { _ in NoQuestion() },
            answer: { _ in
                var trainer = try PalindromeTrainer(options: settings())
                let result = try trainer.train()
                return Trained(checkpoint: bytes(trainer.modelCheckpoint()), steps: result.steps)
            },
            judge: { _, trained, _ in
                let accuracy = try testAccuracy(trained.checkpoint, settings(), what: model)
                guard accuracy >= 0.99 else {
                    return [
                        Deduction(
                            points: points,
                            reason: "test accuracy \(percent(accuracy)) after \(trained.steps) steps "
                                + "(seed 0, RMSProp 1e-3, T = \(settings().inputLength)); at least 99% is needed")
                    ]
                }
                return []
            })
    }

    /// 600 steps each at T = 5.
    static func comparisonSettings(_ model: SequenceModelKind) -> PalindromeOptions {
        var settings = PalindromeOptions()
        settings.inputLength = 5
        settings.maxSteps = 600
        settings.evaluationInterval = 600
        settings.model = model
        return settings
    }

    /// Both models after the same budget.
    struct Pair: Codable, Sendable {
        var lstm: Data
        var rnn: Data
    }

    /// The LSTM must reach 99% and not trail the RNN.
    static let lstmAtLeastAsAccurateAsRNN = GradedWork<NoQuestion, Pair>(
        ask: { _ in NoQuestion() },
        answer: { _ in
            var lstm = try PalindromeTrainer(options: comparisonSettings(.lstm))
            var rnn = try PalindromeTrainer(options: comparisonSettings(.rnn))
            _ = try lstm.train()
            _ = try rnn.train()
            return Pair(lstm: bytes(lstm.modelCheckpoint()), rnn: bytes(rnn.modelCheckpoint()))
        },
        judge: { _, pair, _ in
            let l = try testAccuracy(pair.lstm, comparisonSettings(.lstm), what: "LSTM")
            let r = try testAccuracy(pair.rnn, comparisonSettings(.rnn), what: "RNN")
            // Both are near 100% at this length: allow the last test example or so.
            guard l >= r - 0.002, l >= 0.99 else {
                return [
                    Deduction(
                        points: 2,
                        reason: "after 600 steps at T = 5 the LSTM reached \(percent(l)) and the RNN \(percent(r)); "
                            + "the LSTM needs ≥ 99% and at least the RNN's accuracy")
                ]
            }
            return []
        })

    /// The test accuracy of the model in `checkpoint`, measured here.
    static func testAccuracy(_ checkpoint: Data, _ settings: PalindromeOptions, what: String) throws -> Double {
        var trainer = try PalindromeTrainer(options: settings)
        try trainer.restoreModel(from: try decode(checkpoint, what: "trained \(what)"))
        return trainer.accuracy(on: trainer.data.test)
    }

    /// The template GAN's last 400 iterations, and where it ended.
    struct GameRecord: Codable, Sendable {
        var records: [GANRecord]
        var checkpoint: Data
    }

    static let iterations = 1_200
    static let judged = 400
    /// The iterations the grader plays on from the final weights, with its own code.
    static let continued = 100

    /// 1,200 iterations of the template GAN on 10,000 images: the last 400 must be a
    /// balanced game, and so must 100 more played here from the final weights (10
    /// points); 1,000 samples of the final generator must cover ≥ 8 digits (5) with a
    /// mean judge confidence ≥ 0.65 (3; uniform noise scores about 0.5). The judge is the
    /// stored reference classifier (``ReferenceJudge``), never the student's.
    static let balancedGame = GradedWork<NoQuestion, GameRecord>(
        ask: { _ in NoQuestion() },
        answer: { _ in
            var trainer = try GANTrainer(images: try MNIST.load(split: .train, limit: 10_000).images)
            var records: [GANRecord] = []
            for _ in 0..<iterations { records.append(try trainer.step()) }
            return GameRecord(records: Array(records.suffix(judged)), checkpoint: bytes(trainer.checkpoint()))
        },
        judge: { _, game, _ in
            var trainer = try GANTrainer(images: try MNIST.load(split: .train, limit: 10_000).images)
            try trainer.restore(from: try decode(game.checkpoint, what: "GAN"))
            let expected = Array((iterations - judged + 1)...iterations)
            guard game.records.map(\.iteration) == expected, trainer.iteration == iterations else {
                throw GradingError(
                    problem: "the answering process sent records of iterations other than "
                        + "\(expected[0])–\(iterations), or a GAN at iteration \(trainer.iteration)")
            }
            var deductions: [Deduction] = []
            var noise = SeededGenerator(seed: 7)
            let samples = trainer.generate(.normal(rows: 1_000, columns: 100, using: &noise))
            var more: [GANRecord] = []
            for _ in 0..<continued { more.append(try trainer.step()) }
            let balance = GANBalance(game.records)
            let onward = GANBalance(more)
            if !balance.isBalanced || !onward.isBalanced {
                let problems =
                    (balance.isBalanced
                        ? [] : ["over iterations 801–1,200: " + balance.problems.joined(separator: "; ")])
                    + (onward.isBalanced
                        ? []
                        : [
                            "over 100 more played by the grader from the final weights: "
                                + onward.problems.joined(separator: "; ")
                        ])
                deductions.append(
                    Deduction(points: 10, reason: "the game is not balanced " + problems.joined(separator: "; ")))
            }
            let assessment = try ReferenceJudge().assess(samples)
            if assessment.classesPresent < 8 {
                deductions.append(
                    Deduction(
                        points: 5,
                        reason: "the judge finds \(assessment.classesPresent) of 10 digits among 1,000 samples "
                            + "(histogram \(assessment.histogram)); at least 8 are needed"))
            }
            if !(assessment.meanConfidence >= 0.65) {
                deductions.append(
                    Deduction(
                        points: 3,
                        reason: "the judge's mean confidence on the samples is "
                            + "\(NumberFormat.fixed(assessment.meanConfidence, decimals: 3)); at least 0.65 is needed"))
            }
            return deductions
        })

    /// The judge itself: the library's MLP classifier trained on MNIST, measured here on
    /// the 10,000 test images.
    static let judgeAccuracy = GradedWork<NoQuestion, Trained>(
        ask: { _ in NoQuestion() },
        answer: { _ in Trained(checkpoint: bytes(try trainedJudge().checkpoint())) },
        judge: { _, trained, _ in
            let judge = try DigitClassifier(restoring: try decode(trained.checkpoint, what: "digit classifier"))
            let test = try MNIST.load(split: .test)
            let accuracy = judge.accuracy(test.images, labels: test.labels)
            guard accuracy >= 0.97 else {
                return [
                    Deduction(
                        points: 3,
                        reason: "the classifier's accuracy on the 10,000 test images is \(percent(accuracy)); "
                            + "at least 97% is needed")
                ]
            }
            return []
        })

    /// The judge of samples: the library's classifier trained on MNIST's training images.
    static func trainedJudge() throws -> DigitClassifier {
        let train = try MNIST.load(split: .train)
        return DigitClassifier(images: train.images, labels: train.labels)
    }

    static func bytes(_ checkpoint: Checkpoint) -> Data { Data(checkpoint.encoded()) }

    static func decode(_ data: Data, what: String) throws -> Checkpoint {
        try Checkpoint(decoding: [UInt8](data), source: "the \(what) the answering process sent")
    }

    static func percent(_ x: Double) -> String { NumberFormat.percent(x, decimals: 2) }
}
