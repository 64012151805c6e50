import Learn

/// The curves of an MLP run, epoch by epoch, train beside test: a CSV table and two SVG
/// charts, accuracy and loss. a2-part1-task2 writes one for each data set in the plane,
/// a2-part1-task3 one for CIFAR-10.
struct MLPCurves {
    /// The charts' title before the quantity, e.g. "MLP on moons".
    let title: String
    let csvPath: String, accuracyPath: String, lossPath: String

    /// The three files, in the order ``write(_:)`` writes them.
    var all: [String] { [csvPath, accuracyPath, lossPath] }

    /// Writes the table, then the two charts (each file atomically).
    func write(_ epochs: [MLPEpoch]) throws(OutputFileError) {
        var table = CSVTable(header: ["epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy"])
        for e in epochs {
            table.append([e.epoch, e.trainLoss, e.trainAccuracy, e.testLoss, e.testAccuracy].map { "\($0)" })
        }
        try table.write(to: csvPath)
        try chart(epochs, "accuracy", unit: "%", range: 0...100) { (100 * $0.trainAccuracy, 100 * $0.testAccuracy) }
            .write(to: accuracyPath)
        try chart(epochs, "loss", unit: "", range: nil) { ($0.trainLoss, $0.testLoss) }.write(to: lossPath)
    }

    /// Train and test `what` against the epoch.
    func chart(
        _ epochs: [MLPEpoch], _ what: String, unit: String, range: ClosedRange<Double>?,
        _ values: (MLPEpoch) -> (Double, Double)
    ) -> LineChart {
        var chart = LineChart(title: "\(title): \(what)", xLabel: "epoch", yLabel: what)
        chart.series = [
            LineChart.Series(name: "train", points: epochs.map { .init(x: Double($0.epoch), y: values($0).0) }),
            LineChart.Series(name: "test", points: epochs.map { .init(x: Double($0.epoch), y: values($0).1) }),
        ]
        chart.yRange = range
        chart.yUnit = unit
        return chart
    }
}
