import Learn
/// The graded checks that train: seeded, deterministic runs with the thresholds of the
/// assignment, so a pass means the student's pieces learn, not that a run was lucky.
enum GradedTraining {
    /// The course defaults at T = 5, stopping at 99.5% test accuracy: ≥ 99% is required.
    @Sendable static func lstmLearns(_ options: GradingOptions) throws -> [Deduction] {
        var settings = PalindromeOptions()
        settings.inputLength = 5
        settings.maxSteps = 2_000
        settings.evaluationInterval = 50
        settings.targetAccuracy = 0.995
        var trainer = try PalindromeTrainer(options: settings)
        let result = try trainer.train()
        guard result.testAccuracy >= 0.99 else {
            return [
                Deduction(
                    points: 5,
                    reason: "test accuracy \(percent(result.testAccuracy)) after \(result.steps) steps "
                        + "(seed 0, RMSProp 1e-3); at least 99% is needed")
            ]
        }
        return []
    }

    /// 600 steps each at T = 5: the LSTM must reach 99% and not trail the RNN.
    @Sendable static func lstmAtLeastAsAccurateAsRNN(_ options: GradingOptions) throws -> [Deduction] {
        var settings = PalindromeOptions()
        settings.inputLength = 5
        settings.maxSteps = 600
        settings.evaluationInterval = 600
        var lstm = try PalindromeTrainer(options: settings)
        settings.model = .rnn
        var rnn = try PalindromeTrainer(options: settings)
        let (l, r) = (try lstm.train().testAccuracy, try rnn.train().testAccuracy)
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
    }

    /// 1,200 iterations of the template GAN on 10,000 images: the last 400 must be a
    /// balanced game (10 points), and 1,000 samples must cover ≥ 8 digits (5) with a
    /// mean judge confidence ≥ 0.65 (3; uniform noise scores about 0.5).
    @Sendable static func balancedGame(_ options: GradingOptions) throws -> [Deduction] {
        let images = try MNIST.load(split: .train, limit: 10_000).images
        var trainer = try GANTrainer(images: images)
        var records: [GANRecord] = []
        for _ in 0..<1_200 { records.append(try trainer.step()) }
        var deductions: [Deduction] = []
        let balance = GANBalance(Array(records.suffix(400)))
        if !balance.isBalanced {
            deductions.append(
                Deduction(
                    points: 10,
                    reason: "over iterations 801–1,200 the game is not balanced: "
                        + balance.problems.joined(separator: "; ")))
        }
        let judge = try trainedJudge()
        var noise = SeededGenerator(seed: 7)
        let assessment = judge.assess(trainer.generate(.normal(rows: 1_000, columns: 100, using: &noise)))
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
    }

    /// The judge itself: the library's MLP classifier trained on MNIST.
    @Sendable static func judgeAccuracy(_ options: GradingOptions) throws -> [Deduction] {
        let test = try MNIST.load(split: .test)
        let accuracy = try trainedJudge().accuracy(test.images, labels: test.labels)
        guard accuracy >= 0.97 else {
            return [
                Deduction(
                    points: 6,
                    reason: "the classifier's accuracy on the 10,000 test images is \(percent(accuracy)); "
                        + "at least 97% is needed")
            ]
        }
        return []
    }

    static func trainedJudge() throws -> DigitClassifier {
        let train = try MNIST.load(split: .train)
        return DigitClassifier(images: train.images, labels: train.labels)
    }

    static func percent(_ x: Double) -> String { NumberFormat.percent(x, decimals: 2) }
}
