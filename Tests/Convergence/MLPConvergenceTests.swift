import Learn
import LearnTesting
import Testing

/// Assignment 2, Part I: the MLP with the defaults (hidden 20 and 20, SGD 0.1, batch 5,
/// 100 epochs, 800 training points) learns both data sets, in about two seconds each;
/// without hidden layers it cannot.
@Suite("Convergence on moons and circles", .tags(.training))
struct MLPConvergenceTests {
    @Test(
        "the MLP reaches ≥ 95% test accuracy with the defaults", .requires(Piece.mlpTraining),
        arguments: PlanarDataset.allCases)
    func learns(_ dataset: PlanarDataset) throws {
        var options = MLPOptions()
        options.dataset = dataset
        var trainer = try MLPTrainer(options: options)
        let epochs = try trainer.run()
        let last = try #require(epochs.last)
        #expect(last.testAccuracy >= 0.95, "\(dataset): \(epochs.map { "\($0.epoch): \($0.testAccuracy)" })")
        #expect(last.trainLoss < epochs[0].trainLoss, "the training loss did not fall: \(epochs.map(\.trainLoss))")
    }

    @Test(
        "a linear classifier (no hidden layer) cannot learn either: the hidden layers are what learns",
        .requires(Piece.mlpTraining))
    func linearFails() throws {
        for dataset in PlanarDataset.allCases {
            var options = MLPOptions()
            options.dataset = dataset
            options.hiddenWidths = []
            options.epochs = 20
            var trainer = try MLPTrainer(options: options)
            let last = try #require(try trainer.run().last)
            #expect(last.testAccuracy < 0.9, "\(dataset): a line separated \(last.testAccuracy) of the test points")
        }
    }
}
