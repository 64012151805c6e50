import Foundation
import Learn

/// The seeded training runs whose first steps are kept as golden trajectories in
/// `Fixtures/goldens/` (see ``GoldenTrajectory``).
///
/// - `lstm-T5`: the LSTM with the course defaults at T = 5, seed 0: the loss of each of
///   its first 100 RMSProp steps.
/// - `gan-template`: the template GAN (Adam 2e-4, β1 0.5, batch 64, seed 0) on the first
///   1,000 MNIST training images: D's two loss terms, G's loss and the mean outputs of D
///   for each of its first 100 iterations.
public enum GoldenRun: String, CaseIterable, Sendable {
    /// The LSTM at T = 5: the loss of each of its first 100 RMSProp steps.
    case lstm = "lstm-T5"
    /// The template GAN on 1,000 MNIST images: D's two loss terms, G's loss, mean D(x)
    /// and mean D(G(z)) for each of its first 100 iterations.
    case gan = "gan-template"

    /// The steps recorded.
    public static let steps = 100

    /// The file the trajectory is kept in.
    public var file: URL { PackageDirectory.appending("Fixtures/goldens/\(rawValue).json") }

    /// Room for another CPU's rounding; on the recording machine runs agree bit for bit.
    /// The GAN's game amplifies small differences faster than the LSTM's descent does.
    public var tolerance: GoldenTrajectory.Tolerance {
        switch self {
        case .lstm: GoldenTrajectory.Tolerance(relative: 1e-4, floor: 1e-3)
        case .gan: GoldenTrajectory.Tolerance(relative: 1e-3, floor: 1e-3)
        }
    }

    /// Runs the training and returns its trajectory (seconds: 100 steps each).
    public func run() throws -> GoldenTrajectory {
        switch self {
        case .lstm:
            var options = PalindromeOptions()
            options.inputLength = 5
            options.maxSteps = Self.steps
            options.evaluationInterval = Self.steps
            var trainer = try PalindromeTrainer(options: options)
            let losses = try trainer.train().history.map(\.loss)
            return GoldenTrajectory(
                name: rawValue,
                description: "LSTM, course defaults (H 128, batch 128, RMSProp 1e-3, clip 10), T = 5: "
                    + "the loss of each of the first \(Self.steps) steps",
                seed: options.seed, tolerance: tolerance, series: ["loss": losses])
        case .gan:
            let images = try MNIST.load(split: .train, limit: 1_000).images
            let options = GANOptions()
            var trainer = try GANTrainer(images: images, options: options)
            var records: [GANRecord] = []
            for _ in 0..<Self.steps { records.append(try trainer.step()) }
            return GoldenTrajectory(
                name: rawValue,
                description: "GAN, template architecture, Adam 2e-4 β1 0.5, batch 64, first 1,000 MNIST training "
                    + "images: per iteration, D's loss on real images and on samples, G's loss, mean D(x), "
                    + "mean D(G(z)), for the first \(Self.steps) iterations",
                seed: options.seed, tolerance: tolerance,
                series: [
                    "dLossReal": records.map(\.discriminatorReal), "dLossFake": records.map(\.discriminatorFake),
                    "gLoss": records.map(\.generator), "meanDReal": records.map(\.meanDReal),
                    "meanDFake": records.map(\.meanDFake),
                ])
        }
    }
}
