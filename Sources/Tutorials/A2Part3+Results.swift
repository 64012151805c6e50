import CommandLineOptions
import Foundation
import Learn

/// The outcome of a2-part3-task2: one run per input length and seed, shown as a table and
/// saved as a CSV file and an SVG chart with a mark per seed.
struct A2Part3Results {
    /// One training run of the RNN.
    struct Run {
        var inputLength: Int
        var seed: UInt64
        /// The final test accuracy; nil when training diverged.
        var accuracy: Double?
        /// The mean minibatch loss over the last epoch (one batch is too noisy to
        /// compare); nil when training diverged.
        var finalLoss: Double?
        var epochs: Int
        var steps: Int
        /// RMSProp's step size in the last epoch.
        var learningRate: Float
        /// Wall-clock seconds.
        var seconds: Double
    }

    /// Mean, lowest and highest of one length's accuracies (runs that diverged left out).
    struct Spread {
        var mean: Double
        var min: Double
        var max: Double
        var meanLoss: Double
    }

    let outDirectory: String
    let seeds: [UInt64]
    var runs: [Run] = []

    var csvPath: String { outDirectory + "/rnn_lengths.csv" }
    var svgPath: String { outDirectory + "/rnn_lengths.svg" }

    /// The input lengths trained so far, in order.
    var lengths: [Int] {
        runs.map(\.inputLength).reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }

    func runs(inputLength t: Int) -> [Run] { runs.filter { $0.inputLength == t } }

    /// The spread over seeds at length `t`; nil when every run diverged.
    func spread(inputLength t: Int) -> Spread? {
        let finished = runs(inputLength: t).filter { $0.accuracy != nil }
        let accuracies = finished.compactMap(\.accuracy)
        guard let low = accuracies.min(), let high = accuracies.max() else { return nil }
        let count = Double(accuracies.count)
        return Spread(
            mean: accuracies.reduce(0, +) / count, min: low, max: high,
            meanLoss: finished.compactMap(\.finalLoss).reduce(0, +) / count)
    }

    /// Rows T, a column of accuracy and final loss per seed, then the spread over seeds.
    var table: String {
        let seedWidth = 18
        var header = "     T"
        for seed in seeds { header += "seed \(seed)".leftPadded(to: seedWidth) }
        header +=
            "mean".leftPadded(to: 9) + "min".leftPadded(to: 8) + "max".leftPadded(to: 8)
            + "mean loss".leftPadded(to: 11)
        var subheader = "      "
        for _ in seeds { subheader += "accuracy   loss".leftPadded(to: seedWidth) }
        subheader += "of the test accuracy".leftPadded(to: 25)
        var lines = [header, subheader, String(repeating: "-", count: header.count)]
        for t in lengths {
            var line = String(t).leftPadded(to: 6)
            for seed in seeds {
                let run = runs(inputLength: t).first { $0.seed == seed }
                let cell =
                    run.map { r in
                        guard let accuracy = r.accuracy, let loss = r.finalLoss else { return "diverged" }
                        return percent(accuracy).leftPadded(to: 8) + String(format: "%.3f", loss).leftPadded(to: 7)
                    } ?? "–"
                line += cell.leftPadded(to: seedWidth)
            }
            if let s = spread(inputLength: t) {
                line +=
                    percent(s.mean).leftPadded(to: 9) + percent(s.min).leftPadded(to: 8)
                    + percent(s.max).leftPadded(to: 8) + String(format: "%.3f", s.meanLoss).leftPadded(to: 11)
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// One line per run: accuracy as a fraction, empty where training diverged.
    var csv: CSVTable {
        var table = CSVTable(header: [
            "input_length", "seed", "test_accuracy", "final_loss", "epochs", "steps", "final_learning_rate",
            "seconds",
        ])
        for r in runs {
            table.append([
                String(r.inputLength), String(r.seed), r.accuracy.map { String(format: "%.4f", $0) } ?? "",
                r.finalLoss.map { String(format: "%.4g", $0) } ?? "", String(r.epochs), String(r.steps),
                String(format: "%.4g", Double(r.learningRate)), String(format: "%.1f", r.seconds),
            ])
        }
        return table
    }

    /// Test accuracy against input length: a series (its own marker) per seed, so the
    /// seeds' disagreement shows, the mean over seeds, and chance.
    var chart: LineChart {
        var chart = LineChart(
            title: "Vanilla RNN (Assignment 2): test accuracy against input length",
            xLabel: "input length T (digits read before the answer)", yLabel: "test accuracy")
        chart.series = seeds.map { seed in
            LineChart.Series(
                name: "seed \(seed)",
                points: runs.filter { $0.seed == seed }.compactMap { r in
                    r.accuracy.map { LineChart.Point(x: Double(r.inputLength), y: 100 * $0) }
                })
        }
        let lengths = self.lengths.map(Double.init)
        chart.series.append(
            LineChart.Series(
                name: "mean",
                points: self.lengths.compactMap { t in
                    spread(inputLength: t).map { LineChart.Point(x: Double(t), y: 100 * $0.mean) }
                }))
        if let low = lengths.min(), let high = lengths.max() {
            chart.series.append(
                LineChart.Series(name: "chance", points: [.init(x: low, y: 10), .init(x: high, y: 10)]))
            // A little room either side, so the end points do not sit on the axis.
            let pad = max((high - low) * 0.04, 0.5)
            chart.xRange = (low - pad)...(high + pad)
        }
        chart.xTicks = lengths
        chart.yRange = 0...100
        chart.yTicks = [0, 20, 40, 60, 80, 100]
        chart.yUnit = "%"
        return chart
    }

    /// Writes the CSV file and the chart (each atomically).
    func write() throws(OutputFileError) {
        try csv.write(to: csvPath)
        try chart.write(to: svgPath)
    }
}
