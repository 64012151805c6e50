import CommandLineOptions
import Foundation
import Learn

/// The library's ``DigitClassifier`` as the judge of generated digits, trained and
/// described the same way in part2-task2 and part2-task3.
///
/// A full judge trains 784 → 256 → 10 for 5 epochs on the 60,000 training images (about
/// 97% on the test set). A quick one (--quick) trains 784 → 64 → 10 for one epoch:
/// good enough to tell a clear digit from a smudge, not to split hairs, and the
/// chapters say so.
struct DigitJudge {
    let classifier: DigitClassifier
    /// The test accuracy, when the test set could be read.
    let testAccuracy: Double?
    /// The mean confidence on real test digits: the mark generated digits aim for.
    let realConfidence: Double?
    let quick: Bool

    /// Trains the judge on `train`, measures it on the test split found in `directory`
    /// (skipped, with a note, if that split cannot be read), and reports both.
    static func train(
        on train: MNIST, testDirectory directory: URL?, quick: Bool, seed: UInt64, terminal t: Terminal
    ) -> DigitJudge {
        let (hidden, epochs) = quick ? (64, 1) : (256, 5)
        let progress = t.progress("  classifier 784 → \(hidden) → 10")
        let classifier = DigitClassifier(
            images: train.images, labels: train.labels, hiddenSize: hidden, epochs: epochs, seed: seed
        ) { epoch, loss in
            progress.update("epoch \(epoch)/\(epochs)  training loss \(String(format: "%.3f", loss))", milestone: true)
        }
        var accuracy: Double?
        var confidence: Double?
        do {
            let test = try MNIST.load(directory: directory, split: .test, limit: quick ? 2_000 : nil)
            accuracy = classifier.accuracy(test.images, labels: test.labels)
            confidence = classifier.assess(test.images).meanConfidence
        } catch {
            t.say("  note: no test set to measure the classifier on (\(error))")
        }
        let measured = accuracy.map { "test accuracy \(percent($0))" } ?? "not measured"
        progress.finish("\(epochs) epoch\(epochs == 1 ? "" : "s") on \(grouped(train.count)) images, \(measured)")
        if quick {
            t.say("  (--quick: a small classifier after one epoch, a rougher judge than the full run's)")
        }
        return DigitJudge(classifier: classifier, testAccuracy: accuracy, realConfidence: confidence, quick: quick)
    }

    /// The class histogram of `images` as bars, with the mean confidence beside the
    /// confidence on real digits and on uniform noise.
    func report(_ images: Matrix<Float>, seed: UInt64) -> String {
        let assessment = classifier.assess(images)
        let largest = assessment.histogram.max() ?? 1
        var lines = ["  digit  count"]
        for (digit, count) in assessment.histogram.enumerated() {
            let bar = String(repeating: "█", count: Int((40 * Double(count) / Double(max(largest, 1))).rounded()))
            lines.append("      \(digit)" + String(count).leftPadded(to: 7) + (bar.isEmpty ? "" : "  " + bar))
        }
        var noiseRandom = SeededGenerator(seed: seed)
        let noise = Matrix<Float>.uniform(rows: 200, columns: MNIST.pixelCount, bound: 1, using: &noiseRandom)
        let noiseConfidence = classifier.assess(noise).meanConfidence
        lines += [
            "",
            "  \(assessment.classesPresent) of 10 digits appear. Mean confidence in the predicted digit: "
                + percent(assessment.meanConfidence),
            "  (for comparison: real test digits " + (realConfidence.map(percent) ?? "–")
                + ", uniform noise \(percent(noiseConfidence)))",
        ]
        return lines.joined(separator: "\n")
    }

    /// The most probable digit of each image and its probability.
    func classify(_ images: Matrix<Float>) -> [(digit: Int, confidence: Double)] {
        let p = classifier.probabilities(images)
        return (0..<p.rows).map { n in
            let row = p.row(n)
            let best = row.indices.max { row[$0] < row[$1] } ?? 0
            return (best, Double(row[best]))
        }
    }
}
