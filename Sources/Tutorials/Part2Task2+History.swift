import CommandLineOptions
import Foundation
import Learn

/// Every iteration of a GAN run, and the views of it part2-task2 shows: a table of
/// averages per stretch, a CSV file with every iteration, and an SVG chart.
struct GANHistory {
    /// One record per iteration, in order.
    private(set) var records: [GANRecord] = []
    /// Seconds since training started, at the end of each iteration.
    private(set) var seconds: [Double] = []

    mutating func append(_ record: GANRecord, at time: Double) {
        records.append(record)
        seconds.append(time)
    }

    /// The averages over some iterations.
    struct Means {
        var discriminatorReal = 0.0, discriminatorFake = 0.0, generator = 0.0
        var meanDReal = 0.0, meanDFake = 0.0
        /// Milliseconds per iteration.
        var milliseconds = 0.0
        /// D's loss per term, (real + fake)/2: log 2 in a balanced game.
        var discriminatorPerTerm: Double { (discriminatorReal + discriminatorFake) / 2 }
    }

    /// The averages over the iterations at `range` (indices into ``records``).
    func means(_ range: Range<Int>) -> Means {
        guard !range.isEmpty else { return Means() }
        let slice = records[range]
        func mean(_ f: (GANRecord) -> Double) -> Double { slice.reduce(0) { $0 + f($1) } / Double(slice.count) }
        let start = range.lowerBound == 0 ? 0 : seconds[range.lowerBound - 1]
        return Means(
            discriminatorReal: mean(\.discriminatorReal), discriminatorFake: mean(\.discriminatorFake),
            generator: mean(\.generator), meanDReal: mean(\.meanDReal), meanDFake: mean(\.meanDFake),
            milliseconds: 1000 * (seconds[range.upperBound - 1] - start) / Double(range.count))
    }

    /// `records.count` cut into at most `parts` consecutive stretches of equal length.
    func stretches(_ parts: Int) -> [Range<Int>] {
        let count = records.count
        let parts = max(1, min(parts, count))
        return (0..<parts).map { k in (k * count / parts)..<((k + 1) * count / parts) }
    }

    /// The trajectory as a table: one line per tenth of the run.
    var table: String {
        let header =
            "  iterations" + "D real".leftPadded(to: 12) + "D fake".leftPadded(to: 9)
            + "G".leftPadded(to: 9) + "D(x)".leftPadded(to: 9) + "D(G(z))".leftPadded(to: 10)
            + "ms/iter".leftPadded(to: 10)
        var lines = [header, "  " + String(repeating: "-", count: header.count - 2)]
        for range in stretches(10) {
            let m = means(range)
            let span = "\(range.lowerBound + 1)–\(range.upperBound)"
            func cell(_ x: Double, _ width: Int, _ format: String = "%.3f") -> String {
                String(format: format, x).leftPadded(to: width)
            }
            lines.append(
                "  " + span.padding(toLength: 10, withPad: " ", startingAt: 0)
                    + cell(m.discriminatorReal, 12) + cell(m.discriminatorFake, 9) + cell(m.generator, 9)
                    + cell(m.meanDReal, 9) + cell(m.meanDFake, 10) + cell(m.milliseconds, 10, "%.1f"))
        }
        return lines.joined(separator: "\n")
    }

    /// Every iteration: D's two loss terms and their sum, G's loss, the mean outputs of
    /// D, and the seconds elapsed.
    var csv: CSVTable {
        var table = CSVTable(header: [
            "iteration", "d_loss_real", "d_loss_fake", "d_loss", "g_loss", "mean_d_real", "mean_d_fake", "seconds",
        ])
        for (record, time) in zip(records, seconds) {
            table.append(
                [String(record.iteration)]
                    + [
                        record.discriminatorReal, record.discriminatorFake, record.discriminator, record.generator,
                        record.meanDReal, record.meanDFake,
                    ].map { String(format: "%.5f", $0) }
                    + [String(format: "%.3f", time)])
        }
        return table
    }

    /// D's loss per term and G's loss, each averaged over windows of about 1% of the run
    /// (single iterations are too noisy to read), with log 2 for reference.
    var chart: LineChart {
        var chart = LineChart(
            title: "GAN losses (averaged over windows of \(grouped(stretches(100).first?.count ?? 1)) iterations)",
            xLabel: "iteration", yLabel: "loss")
        let windows = stretches(100).map { ($0, means($0)) }
        func points(_ f: (Means) -> Double) -> [LineChart.Point] {
            windows.map { LineChart.Point(x: Double($0.0.upperBound), y: f($0.1)) }
        }
        let last = Double(records.count)
        chart.series = [
            LineChart.Series(name: "D loss per term, (real + fake)/2", points: points(\.discriminatorPerTerm)),
            LineChart.Series(name: "G loss", points: points(\.generator)),
            LineChart.Series(
                name: "log 2 (balanced)",
                points: [.init(x: 0, y: Foundation.log(2.0)), .init(x: last, y: Foundation.log(2.0))]),
        ]
        chart.xRange = 0...max(last, 1)
        return chart
    }

    /// Writes losses.csv and losses.svg into `directory`.
    func write(to directory: String) throws(OutputFileError) {
        try csv.write(to: directory + "/losses.csv")
        try chart.write(to: directory + "/losses.svg")
    }
}
