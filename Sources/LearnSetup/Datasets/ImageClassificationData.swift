/// Images with a class each: what `MLPImageTrainer` trains and measures on —
/// CIFAR-10's training or test set (``init(_:)``), or a small set made up for a test.
///
/// The images stay as their bytes (`ImageBytes`) and a batch reads as `Float` in
/// [−1, 1], `x / 127.5 − 1`, so CIFAR-10's 50,000 training images take 154 MB instead
/// of 614 MB. A network sees each image as one row of D numbers in the order the bytes
/// have them: for CIFAR-10, D = 3,072 in C×H×W order (the red plane, the green, the
/// blue, each row-major), as PyTorch's `ToTensor` and `Normalize(0.5, 0.5)` give them.
///
/// Shapes: ``images`` N×D, one image per row; ``labels`` N classes in 0..<K;
/// ``classNames`` K.
public struct ImageClassificationData: Sendable {
    /// The images, one per row, N×D bytes.
    public let images: ImageBytes
    /// The class of each image, in 0..<K.
    public let labels: [Int]
    /// The name of each class, class 0 first; K of them.
    public let classNames: [String]
    /// C, the channels of each image: 3 for CIFAR-10 (red, green, blue planes, as the
    /// file stores them), 1 for MNIST (and by default). Each row holds C planes of H×W pixels.
    public let channels: Int

    /// Images and their classes: one label per row of `images`, each a class of
    /// `classNames` (at least two).
    public init(images: ImageBytes, labels: [Int], classNames: [String], channels: Int = 1) {
        ensure(
            images.rows == labels.count,
            "ImageClassificationData: \(images.rows) images but \(labels.count) labels")
        ensure(
            classNames.count >= 2, "ImageClassificationData: a classifier needs at least 2 classes, got \(classNames)")
        let bad = labels.firstIndex { !classNames.indices.contains($0) }
        ensure(
            bad == nil,
            "ImageClassificationData: label \(labels[bad ?? 0]) of image \(bad ?? 0) is outside 0..<\(classNames.count)"
        )
        ensure(
            channels >= 1 && images.columns % channels == 0,
            "ImageClassificationData: rows of \(images.columns) pixels cannot hold \(channels) channels")
        (self.images, self.labels, self.classNames, self.channels) = (images, labels, classNames, channels)
    }

    /// A CIFAR-10 set as it was read: its 3,072-byte images, its labels and its folder's
    /// class names.
    public init(_ set: CIFAR10) {
        self.init(images: set.images, labels: set.labels, classNames: set.classNames, channels: 3)
    }

    /// N, the number of images.
    public var count: Int { labels.count }
    /// K, the number of classes.
    public var classes: Int { classNames.count }
    /// D, the values per image: the width of the network's input.
    public var width: Int { images.columns }

    /// The images at `rows`, in that order, as `Float` in [−1, 1] (N×D), and their labels.
    public func batch(_ rows: [Int]) -> (inputs: Matrix<Float>, labels: [Int]) {
        (images.selectingRows(rows), rows.map { labels[$0] })
    }

    /// The first `count` images (all of them when there are fewer).
    public func prefix(_ count: Int) -> ImageClassificationData {
        let kept = images.prefix(count)
        return ImageClassificationData(
            images: kept, labels: Array(labels[..<kept.rows]), classNames: classNames, channels: channels)
    }

    /// The number of images of each class, class 0 first.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classes)
        for label in labels { counts[label] += 1 }
        return counts
    }
}
