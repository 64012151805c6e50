import Foundation
import CommandLineOptions
import Learn
import LearnCourse

/// `Course judge [--record]`: trains the reference digit classifier with its defaults and
/// compares it with the stored judge of generated digits (``ReferenceJudge``); with
/// `--record`, stores the fresh one after an intended change to the classifier.
enum JudgeCommand {
    static let name = "judge"
    static let summary = "compares a freshly trained digit classifier with the stored judge (--record to re-store)"

    static let record = Option<Bool>.flag("--record", summary: "store the fresh classifier as the judge")

    static var helpText: String {
        """
        usage: Course judge [--record]

        The GAN's samples are judged by a stored classifier, Fixtures/judge/digit-classifier.checkpoint,
        not by the student's. This command trains the reference DigitClassifier with its
        defaults (784 → 256 → 10, 5 epochs of Adam on the 60,000 training images, seed 0),
        prints its accuracy on the 10,000 test images beside the stored judge's, and how
        often the two predict the same digit. A judge must reach \(NumberFormat.percent(ReferenceJudge.requiredAccuracy, decimals: 0)).

        With --record, the fresh classifier replaces the stored judge (the old one is
        overwritten atomically, only after the new one has passed). Run it in the reference
        solution, never in a kit.

        options:
        \(Option<Bool>.help.help.line)
        \(record.help.line)

        exit status: 0 the stored judge is fit to judge (or was recorded), 1 it is not, or
        training failed; 2 the command line was wrong.
        """
    }

    /// Runs the command on the words after `judge`; returns the exit status.
    static func main(_ words: [String]) -> Int32 {
        if words.contains("--help") || words.contains("-h") {
            print(helpText)
            return 0
        }
        let recording: Bool
        do {
            let arguments = try Arguments(words, accepting: [Option<Bool>.help.help, record.help])
            recording = arguments.isSet(record)
        } catch {
            printError("Course judge: \(error) (see Course judge --help)")
            return 2
        }
        do {
            let train = try MNIST.load(split: .train)
            let test = try MNIST.load(split: .test)
            print("training the reference classifier: 5 epochs on \(train.labels.count) images …")
            let trained = DigitClassifier(images: train.images, labels: train.labels) { epoch, loss in
                print("  epoch \(epoch): mean loss \(NumberFormat.fixed(loss, decimals: 4))")
            }.checkpoint()
            let fresh = try ReferenceJudge(trained)
            let freshAccuracy = fresh.accuracy(test.images, labels: test.labels)
            print("fresh classifier: \(NumberFormat.percent(freshAccuracy, decimals: 2)) on the test images")
            if let stored = try? ReferenceJudge() {
                let storedAccuracy = stored.accuracy(test.images, labels: test.labels)
                let agree = zip(stored.predict(test.images), fresh.predict(test.images)).filter { $0 == $1 }.count
                print("stored judge:     \(NumberFormat.percent(storedAccuracy, decimals: 2)) on the test images")
                print("the two predict the same digit for \(agree) of \(test.labels.count) test images")
                if !recording { return storedAccuracy >= ReferenceJudge.requiredAccuracy ? 0 : 1 }
            } else {
                print("no readable judge at \(ReferenceJudge.file.path)")
                if !recording { return 1 }
            }
            guard freshAccuracy >= ReferenceJudge.requiredAccuracy else {
                printError("Course judge: the fresh classifier is below the required accuracy; nothing was stored")
                return 1
            }
            try FileManager.default.createDirectory(
                at: ReferenceJudge.file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try trained.write(to: ReferenceJudge.file)
            print("stored \(ReferenceJudge.file.path)")
            return 0
        } catch {
            printError("Course judge: \(error)")
            return 1
        }
    }
}
