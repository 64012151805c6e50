import Foundation
import Learn
import LearnTesting
import Testing

/// Assignment 2, Part I, task 3 on data that are here: the MLP learns small image sets
/// whose classes can be told apart, to high accuracy in every class, in a fraction of a
/// second. (Real CIFAR-10 is not in the package; its ~43% is the chapter's to show.)
@Suite("Convergence of the MLP on images", .tags(.training))
struct MLPImageConvergenceTests {
    /// Synthetic files in CIFAR-10's format (``CIFAR10/writeSynthetic(to:recordsPerFile:seed:)``):
    /// each class a square of its own colour on a gray background, with noise.
    @Test(
        "on synthetic CIFAR-10 files (500 training images) the default MLP reaches ≥ 95% test accuracy in 4 epochs",
        .requires(Piece.mlpTraining))
    func syntheticCIFAR() throws {
        let folder = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try CIFAR10.writeSynthetic(to: folder, recordsPerFile: 100, seed: 1)
        let train = ImageClassificationData(try CIFAR10.load(split: .train, from: folder, recordsPerFile: 100))
        let test = ImageClassificationData(try CIFAR10.load(split: .test, from: folder, recordsPerFile: 100))
        var options = MLPImageOptions()
        options.epochs = 4
        var trainer = try MLPImageTrainer(options: options, train: train, test: test)
        let epochs = try trainer.run()
        let last = try #require(epochs.last)
        #expect(
            last.curves.testAccuracy >= 0.95,
            "test accuracy by epoch: \(epochs.map { "\($0.epoch): \($0.curves.testAccuracy)" })")
        #expect(last.curves.trainLoss < epochs[0].curves.trainLoss || last.curves.trainLoss < 0.05)
        #expect(last.testByClass.total == [Int](repeating: 10, count: 10))
    }

    /// Each class's pixels have their own mean (40, 90, 140, 190, plus or minus 20): a
    /// line separates them, so the MLP must get nearly every image right, in every class.
    @Test(
        "four classes of distinct mean brightness: ≥ 98% test accuracy in every class",
        .requires(Piece.mlpTraining))
    func distinctMeans() throws {
        let train = brightnessImages(count: 400, width: 48, classes: 4, seed: 11)
        let test = brightnessImages(count: 200, width: 48, classes: 4, seed: 12)
        var options = MLPImageOptions()
        options.hiddenWidths = [32]
        options.batchSize = 16
        options.epochs = 5
        var trainer = try MLPImageTrainer(options: options, train: train, test: test)
        let last = try #require(try trainer.run().last)
        for (k, accuracy) in last.testByClass.perClass.enumerated() {
            #expect((accuracy ?? 0) >= 0.98, "class \(k): \(accuracy.map { "\($0)" } ?? "no images")")
        }
    }
}
