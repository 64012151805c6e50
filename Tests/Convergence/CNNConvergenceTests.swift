import Foundation
import Learn
import LearnTesting
import Testing

/// Assignment 2, Part II on data that is here: MNIST padded to 32×32 (one channel), on
/// which a reduced VGG of the course's shape, eight times narrower, learns in a run of
/// seconds. (CIFAR-10 is the user's to supply.) The settings are a2-part2-task2's
/// `--quick` run (`CNNOptions.quick`), seeded, so the figure is the same on every run
/// here (the chapter's mark is 97%).
@Suite("Convergence of the CNN", .tags(.training))
struct CNNConvergenceTests {
    @Test(
        "the reduced VGG, 8× narrower, reaches ≥ 97% on 2,000 test digits after two epochs of 30,000 (Adam 1e-3, then 3e-4)",
        .requires(Piece.cnnTraining))
    func paddedMNIST() throws {
        let train = ImageClassificationData(
            padding: try MNIST.load(split: .train, limit: CNNOptions.quickTrainingImages))
        let test = ImageClassificationData(padding: try MNIST.load(split: .test, limit: CNNOptions.quickTestImages))
        var trainer = try CNNTrainer(options: .quick, train: train, test: test)
        let start = Date()
        let epochs = try trainer.run()
        let last = try #require(epochs.last)
        #expect(
            last.curves.testAccuracy >= 0.97,
            "test accuracy \(last.curves.testAccuracy), by class \(last.testByClass.perClass) in \(Date().timeIntervalSince(start)) s"
        )
    }
}
