import Foundation
import Learn

/// What one MLP run writes: the curves as a table and two charts, and the decision regions.
struct MLPRunFiles {
    let directory: String
    let dataset: PlanarDataset

    var csvPath: String { "\(directory)/mlp_\(dataset.rawValue).csv" }
    var accuracyPath: String { "\(directory)/mlp_\(dataset.rawValue)_accuracy.svg" }
    var lossPath: String { "\(directory)/mlp_\(dataset.rawValue)_loss.svg" }
    var regionsPath: String { "\(directory)/mlp_\(dataset.rawValue)_regions.png" }
    var all: [String] { [csvPath, accuracyPath, lossPath, regionsPath] }

    /// Writes every file (each atomically).
    func write(_ epochs: [MLPEpoch], trainer: MLPTrainer) throws(OutputFileError) {
        var table = CSVTable(header: ["epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy"])
        for e in epochs {
            table.append([e.epoch, e.trainLoss, e.trainAccuracy, e.testLoss, e.testAccuracy].map { "\($0)" })
        }
        try table.write(to: csvPath)
        try chart(epochs, "accuracy", unit: "%", range: 0...100) { (100 * $0.trainAccuracy, 100 * $0.testAccuracy) }
            .write(to: accuracyPath)
        try chart(epochs, "loss", unit: "", range: nil) { ($0.trainLoss, $0.testLoss) }.write(to: lossPath)
        let regions = DecisionRegions(trainer: trainer)
        try PNG.write(
            width: regions.side, height: regions.side, rgb: regions.pixels, to: URL(fileURLWithPath: regionsPath))
    }

    /// Train and test `what` against the epoch.
    func chart(
        _ epochs: [MLPEpoch], _ what: String, unit: String, range: ClosedRange<Double>?,
        _ values: (MLPEpoch) -> (Double, Double)
    ) -> LineChart {
        var chart = LineChart(title: "MLP on \(dataset.rawValue): \(what)", xLabel: "epoch", yLabel: what)
        chart.series = [
            LineChart.Series(name: "train", points: epochs.map { .init(x: Double($0.epoch), y: values($0).0) }),
            LineChart.Series(name: "test", points: epochs.map { .init(x: Double($0.epoch), y: values($0).1) }),
        ]
        chart.yRange = range
        chart.yUnit = unit
        return chart
    }
}
