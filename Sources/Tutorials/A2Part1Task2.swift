import CommandLineOptions
import Foundation
import Learn
import LearnCourse

/// Assignment 2, Part I, task 2: the MLP trained on moons and on circles, with its
/// accuracy and loss curves and a picture of the regions it gives each class.
enum A2Part1Task2: Chapter {
    static let name = "a2-part1-task2"
    static let summary = "the MLP on moons and circles — curves (CSV, SVG) and decision regions (PNG)"
    static let pieces: [Piece] = Piece.mlpTraining
    static let assignment = Assignment.two
    static let about = """
        Trains an MLP (Linear → ReLU → … → Linear, softmax cross-entropy, mini-batch SGD)
        on scikit-learn's two data sets in the plane, made here: moons (noise 0.2) and
        circles (noise 0.05), 1,000 points each, 800 to train and 200 to test. For each it
        prints the accuracy and loss as training goes, then writes into --out the curves
        (mlp_<data>.csv, mlp_<data>_accuracy.svg, mlp_<data>_loss.svg) and the decision
        regions over the points (mlp_<data>_regions.png). A few seconds each; --quick
        trains 10 epochs.
        """
    static let dataset = Option<String>.text("--dataset", "NAME", summary: "moons, circles or both (default both)")
    static let hidden = Option<[Int]>.integers(
        "--hidden", "W,W,…", in: 1...4096, summary: "hidden widths, input side first (default 20,20)")
    static let learningRate = Option<Double>.number("--lr", "X", in: 1e-6...10, summary: "SGD step size (default 0.1)")
    static let epochs = Option<Int>.integer(
        "--epochs", "N", in: 1...100_000, summary: "passes over the data (default 100)")
    static let batch = Option<Int>.integer("--batch", "N", in: 1...800, summary: "points per step (default 5)")
    static let out = Option<String>.text("--out", "DIR", summary: "where the files go (default out/a2-part1-task2)")
    static let options = [dataset.help, hidden.help, learningRate.help, epochs.help, batch.help, out.help]

    static func run(_ arguments: Arguments, common: CommonOptions, terminal t: Terminal) throws {
        var base = MLPOptions()
        base.seed = common.seed
        base.hiddenWidths = try arguments.value(hidden, default: base.hiddenWidths)
        base.learningRate = Float(try arguments.value(learningRate, default: Double(base.learningRate)))
        base.epochs = try arguments.value(epochs, default: common.quick ? 10 : base.epochs)
        base.batchSize = try arguments.value(batch, default: base.batchSize)
        try base.validate()
        let datasets = try chosen(try arguments.value(dataset, default: "both"))
        let directory = try arguments.value(out, default: "out/a2-part1-task2")
        try Part1Task2.prepareOutput(directory)

        t.chapter(
            "Assignment 2, Part I, task 2 — an MLP draws a curved boundary",
            """
            Neither data set can be split by a straight line: the two moons interleave, and
            one circle lies inside the other. A network of Linear layers with ReLUs between
            them bends the plane piece by piece (each ReLU folds it along a line), and with
            enough pieces the boundary follows the data.
            """)
        t.say(
            "  network              2 → \(base.hiddenWidths.map(String.init).joined(separator: " → ")) → 2"
                + " (ReLU between layers, softmax cross-entropy)",
            "  training             SGD, step size \(String(format: "%g", Double(base.learningRate))),"
                + " batch \(base.batchSize), \(base.epochs) epochs, seed \(base.seed)",
            "  data                 1,000 points each, 800 train / 200 test",
            "  results go to        \(directory)/")
        t.pause()

        var summary: [String] = []
        for data in datasets {
            var options = base
            options.dataset = data
            var trainer = try MLPTrainer(options: options)
            t.step(
                "Training on \(data.rawValue)",
                """
                Every line is an epoch's end: the mean cross-entropy and the accuracy on the
                800 training points and on the 200 test points, which training never sees.
                The loss starts near ln 2 ≈ 0.69, a coin toss.
                """)
            let every = max(1, options.epochs / 10)
            let epochs = try trainer.run { e in
                guard e.epoch % every == 0 || e.epoch == 1 || e.epoch == options.epochs else { return }
                t.say(
                    "  epoch \(String(e.epoch).leftPadded(to: 4))   train loss \(String(format: "%.3f", e.trainLoss))"
                        + "  accuracy \(percent(e.trainAccuracy).leftPadded(to: 6))"
                        + "   test loss \(String(format: "%.3f", e.testLoss))"
                        + "  accuracy \(percent(e.testAccuracy).leftPadded(to: 6))")
            }
            let files = MLPRunFiles(directory: directory, dataset: data)
            try files.write(epochs, trainer: trainer)
            t.say("", "  written: " + files.all.joined(separator: ", "))
            if let last = epochs.last {
                summary.append(
                    "  \(data.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0))"
                        + " test accuracy \(percent(last.testAccuracy)), train \(percent(last.trainAccuracy))")
            }
            t.pause()
        }

        t.step(
            "What the pictures show",
            """
            In each regions picture the background is the network's probability of class 1
            (blue for class 0, orange for class 1, pale where it is unsure), the dark line is
            where that probability is one half, small squares are the training points and
            large outlined ones the test points. On moons the boundary is an S between the
            two arcs; on circles it closes round the inner circle. A test point on the wrong
            side is an error the accuracy counted.
            """)
        summary.forEach { t.say($0) }
    }

    /// The data sets `name` asks for.
    static func chosen(_ name: String) throws(UsageError) -> [PlanarDataset] {
        if name == "both" { return PlanarDataset.allCases }
        guard let one = PlanarDataset(rawValue: name) else {
            throw UsageError(message: "--dataset must be moons, circles or both, got \(name)")
        }
        return [one]
    }
}
