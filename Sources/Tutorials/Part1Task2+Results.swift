import CommandLineOptions
import Foundation
import Learn

/// The outcome of part1-task2: one row per input length, shown as a table and saved
/// as a CSV file and an SVG chart.
struct Results {
    /// One training run.
    struct Run {
        /// The final test accuracy; nil when training diverged.
        var accuracy: Double?
        /// The optimiser steps taken.
        var steps: Int
        /// Wall-clock seconds.
        var seconds: Double
    }

    /// Both models at one input length.
    struct Row {
        var inputLength: Int
        var lstm: Run
        var rnn: Run
    }

    let outDirectory: String
    var rows: [Row] = []

    var csvPath: String { outDirectory + "/lstm_vs_rnn.csv" }
    var svgPath: String { outDirectory + "/lstm_vs_rnn.svg" }

    /// The accuracy table for the terminal.
    var table: String {
        func cell(_ run: Run) -> String {
            let accuracy = run.accuracy.map(percent) ?? "diverged"
            return accuracy.leftPadded(to: 14) + String(run.steps).leftPadded(to: 8)
                + String(format: "%.0f s", run.seconds).leftPadded(to: 8)
        }
        let header =
            "     T" + "LSTM accuracy".leftPadded(to: 14) + "steps".leftPadded(to: 8)
            + "time".leftPadded(to: 8) + "RNN accuracy".leftPadded(to: 14) + "steps".leftPadded(to: 8)
            + "time".leftPadded(to: 8)
        let lines = rows.map { row in
            String(row.inputLength).leftPadded(to: 6) + cell(row.lstm) + cell(row.rnn)
        }
        return ([header, String(repeating: "-", count: header.count)] + lines).joined(separator: "\n")
    }

    /// The same numbers as CSV: accuracy as a fraction, empty when training diverged.
    var csv: CSVTable {
        var table = CSVTable(header: [
            "input_length", "lstm_test_accuracy", "lstm_steps", "lstm_seconds",
            "rnn_test_accuracy", "rnn_steps", "rnn_seconds",
        ])
        func fields(_ run: Run) -> [String] {
            let accuracy = run.accuracy.map { String(format: "%.4f", $0) } ?? ""
            return [accuracy, String(run.steps), String(format: "%.1f", run.seconds)]
        }
        for row in rows {
            table.append([String(row.inputLength)] + fields(row.lstm) + fields(row.rnn))
        }
        return table
    }

    /// Test accuracy (0–100%) against input length, one line per model.
    var chart: LineChart {
        var chart = LineChart(
            title: "Palindromes: test accuracy against input length",
            xLabel: "input length T (digits read before the answer)", yLabel: "test accuracy")
        func points(_ run: (Row) -> Run) -> [LineChart.Point] {
            rows.compactMap { row in
                run(row).accuracy.map { LineChart.Point(x: Double(row.inputLength), y: 100 * $0) }
            }
        }
        chart.series = [
            LineChart.Series(name: "LSTM", points: points(\.lstm)),
            LineChart.Series(name: "vanilla RNN", points: points(\.rnn)),
        ]
        let lengths = rows.map { Double($0.inputLength) }
        if let low = lengths.min(), let high = lengths.max() {
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

extension String {
    /// The string right-aligned in a column of `width` characters.
    func leftPadded(to width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }
}
