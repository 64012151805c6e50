import Foundation
import Learn

/// Where a2-part2-task2's images come from: CIFAR-10 (the reader's folder or synthetic
/// files in its format), or the package's MNIST padded to 32×32.
enum CNNImages {
    case cifar10(CIFARSource)
    case paddedMNIST

    var isSynthetic: Bool {
        if case .cifar10(let source) = self { return source.isSynthetic }
        return false
    }
    var isPaddedMNIST: Bool {
        if case .paddedMNIST = self { return true }
        return false
    }

    /// The files' stem: cnn_cifar10 or cnn_mnist.
    var stem: String { isPaddedMNIST ? "cnn_mnist" : "cnn_cifar10" }
    /// The charts' title.
    var title: String {
        switch self {
        case .paddedMNIST: "CNN on MNIST padded to 32×32"
        case .cifar10(let source): source.isSynthetic ? "CNN on synthetic CIFAR-10 files" : "CNN on CIFAR-10"
        }
    }

    /// Both splits, the training images cut to the first `limit` and the test images to
    /// the first `testLimit` (nil: all of them).
    func load(limit: Int?, testLimit: Int?) throws -> (train: ImageClassificationData, test: ImageClassificationData) {
        switch self {
        case .cifar10(let source):
            let sets = try source.load(limit: limit)
            return (sets.train, testLimit.map { sets.test.prefix($0) } ?? sets.test)
        case .paddedMNIST:
            return (
                ImageClassificationData(padding: try MNIST.load(split: .train, limit: limit)),
                ImageClassificationData(padding: try MNIST.load(split: .test, limit: testLimit))
            )
        }
    }

    /// Removes synthetic files (the reader's own data are never touched).
    func removeIfSynthetic() {
        if case .cifar10(let source) = self { source.removeIfSynthetic() }
    }

    /// The first step: where the images come from, how many, and what the network reads.
    func describe(_ sets: (train: ImageClassificationData, test: ImageClassificationData), terminal t: Terminal) {
        let side = Int(Double(sets.train.width / sets.train.channels).squareRoot().rounded())
        switch self {
        case .paddedMNIST:
            t.step(
                "The images",
                """
                No CIFAR-10 folder was given (--data), so the network reads the package's
                MNIST: handwritten digits of 28×28, each padded with a border of 2 zero
                pixels to the 32×32 the network is built for, one channel instead of
                CIFAR-10's three. After five pools of stride 2 a 32×32 image is one pixel of
                512 channels, which the Linear layer reads.
                """)
        case .cifar10(let source):
            t.step(
                "The images",
                source.isSynthetic
                    ? """
                    --synthetic wrote small files in CIFAR-10's format: each image a square of
                    its class's colour on a gray background, with noise, three colour planes
                    of 32×32. The colour alone gives the class away, so expect nearly every
                    image right; the three-channel path and the files are those of a real run.
                    """
                    : """
                    Read from the folder's batch files: each record a label byte, then the
                    red, green and blue planes of 32×32 bytes, read as numbers in [−1, 1] a
                    batch at a time. The first conv block sees all three planes at once.
                    """)
        }
        let counts = sets.test.classCounts.map(grouped).joined(separator: ", ")
        let origin: String
        switch self {
        case .paddedMNIST: origin = "Fixtures/MNIST (the package's)"
        case .cifar10(let source): origin = (source.isSynthetic ? "(synthetic, temporary) " : "") + source.folder.path
        }
        t.say(
            "  images from          \(origin)",
            "  training images      \(grouped(sets.train.count))",
            "  test images          \(grouped(sets.test.count)) (per class: \(counts))",
            "  classes              " + sets.train.classNames.joined(separator: ", "),
            "  one image            \(sets.train.channels) channel\(sets.train.channels == 1 ? "" : "s") × \(side) × \(side)"
        )
        t.pause()
    }
}
