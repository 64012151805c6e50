import Foundation
import Learn

/// What one MLP run writes: the curves as a table and two charts, and the decision regions.
struct MLPRunFiles {
    let directory: String
    let dataset: PlanarDataset

    var curves: MLPCurves {
        let stem = "\(directory)/mlp_\(dataset.rawValue)"
        return MLPCurves(
            title: "MLP on \(dataset.rawValue)", csvPath: "\(stem).csv", accuracyPath: "\(stem)_accuracy.svg",
            lossPath: "\(stem)_loss.svg")
    }
    var regionsPath: String { "\(directory)/mlp_\(dataset.rawValue)_regions.png" }
    var all: [String] { curves.all + [regionsPath] }

    /// Writes every file (each atomically).
    func write(_ epochs: [MLPEpoch], trainer: MLPTrainer) throws(OutputFileError) {
        try curves.write(epochs)
        let regions = DecisionRegions(trainer: trainer)
        try PNG.write(
            width: regions.side, height: regions.side, rgb: regions.pixels, to: URL(fileURLWithPath: regionsPath))
    }
}
