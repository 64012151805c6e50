import Foundation

/// The MNIST handwritten digits (LeCun, Cortes & Burges): 60,000 training and 10,000
/// test images of 28×28 gray pixels, each with its digit 0–9.
///
/// Pixels are kept as their bytes (``ImageBytes``, 784 bytes an image) and scaled from
/// 0…255 to [−1, 1] as `x / 127.5 − 1` when a batch is taken — the range of the GAN
/// generator's `tanh` output, so real and generated images look alike to the
/// discriminator. Background is −1, full ink is 1.
///
/// The package carries the four canonical files in `Fixtures/MNIST/` (gzip-compressed),
/// so `MNIST.load()` works in a fresh clone with no download; any directory holding the
/// files under their usual names, compressed or not, works too.
///
/// ```swift
/// let train = try MNIST.load(split: .train)         // 60000 × 784
/// var generator = SeededGenerator(seed: 1)
/// for batch in train.batches(size: 64, using: &generator) {
///     // batch.images is 64 × 784, batch.labels has 64 digits
/// }
/// ```
///
/// Shapes: ``images`` N×784 (one image per row, row-major pixels), ``labels`` N.
/// Memory: ``bytesPerImage`` while a set is read, 784 bytes an image after.
/// See also: ``IDXFile`` (the file format), ``ImageGrid`` (to look at images).
public struct MNIST: Sendable {
    /// Which of the two published sets.
    public enum Split: String, Sendable, CaseIterable {
        /// The 60,000 training images (`train-*` files).
        case train
        /// The 10,000 test images (`t10k-*` files).
        case test

        /// The start of the file names: `train` or `t10k`.
        public var filePrefix: String { self == .train ? "train" : "t10k" }
        /// The images file's name, without `.gz`.
        public var imagesFileName: String { "\(filePrefix)-images-idx3-ubyte" }
        /// The labels file's name, without `.gz`.
        public var labelsFileName: String { "\(filePrefix)-labels-idx1-ubyte" }
    }

    /// The side of an image in pixels.
    public static let imageSide = 28
    /// The pixels of one image, 28·28 = 784: the width of ``images``.
    public static let pixelCount = imageSide * imageSide
    /// The number of classes (the digits 0–9).
    public static let classes = 10

    /// The most images (and labels) a file may hold: a million, 16 times MNIST's
    /// training set. A header announcing more is refused before anything is read
    /// beyond it — a small `.gz` file can claim a gigabyte of zeros.
    public static let maximumImages = 1_000_000

    /// The memory one image takes while a set is read: its 784 bytes as decoded from
    /// the file, and once more as the set's own copy. Once loaded, 784 bytes stay:
    /// 60,000 images, about 94 MB while reading and 47 MB after; a million, 1.6 GB and
    /// 0.8 GB. A batch of B images as `Float` takes B × 3,136 bytes more.
    public static let bytesPerImage = 2 * pixelCount

    /// One image per row, N×784, kept as bytes; a batch of them reads as values in [−1, 1].
    public let images: ImageBytes
    /// The digit in each image, 0–9.
    public let labels: [Int]

    /// The number of images, N.
    public var count: Int { labels.count }

    /// A data set over existing images and labels (one label per row of `images`).
    public init(images: ImageBytes, labels: [Int]) {
        ensure(
            images.rows == labels.count,
            "MNIST: \(images.rows) images but \(labels.count) labels")
        (self.images, self.labels) = (images, labels)
    }

    /// Reads one split from `directory`.
    ///
    /// For each file, the uncompressed name is tried first, then the name with `.gz`
    /// (decompressed by ``Gzip``, in Swift). Every file is checked in full — magic
    /// number, 28×28 size, exact payload length, matching counts, labels 0–9 — even when
    /// `limit` asks for fewer images, so a damaged file is reported rather than used.
    ///
    /// - Parameters:
    ///   - directory: where the files are; by default the package's `Fixtures/MNIST`
    ///     (see ``defaultDirectory``).
    ///   - split: the training or the test set.
    ///   - limit: keep at most this many images, the first ones in the file.
    /// - Throws: ``MNISTError`` naming the file and the problem.
    public static func load(directory: URL? = nil, split: Split = .train, limit: Int? = nil) throws(MNISTError) -> MNIST
    {
        ensure(limit.map { $0 >= 0 } ?? true, "MNIST limit must not be negative, got \(limit ?? 0)")
        let directory = directory ?? defaultDirectory
        let imagesURL = try locate(split.imagesFileName, in: directory)
        let labelsURL = try locate(split.labelsFileName, in: directory)

        let imageFile = try IDXFile(contentsOf: imagesURL, dimensionCount: 3, maximumCount: maximumImages)
        let (imageCount, rows, columns) = (imageFile.dimensions[0], imageFile.dimensions[1], imageFile.dimensions[2])
        guard rows == imageSide && columns == imageSide else {
            throw MNISTError(file: imagesURL.path, problem: .wrongImageSize(rows: rows, columns: columns))
        }
        let labelFile = try IDXFile(contentsOf: labelsURL, dimensionCount: 1, maximumCount: maximumImages)
        guard labelFile.dimensions[0] == imageCount else {
            throw MNISTError(
                file: labelsURL.path,
                problem: .countMismatch(labels: labelFile.dimensions[0], images: imageCount, imagesFile: imagesURL.path)
            )
        }
        if let index = labelFile.payload.firstIndex(where: { $0 >= classes }) {
            throw MNISTError(
                file: labelsURL.path, problem: .labelOutOfRange(index: index, value: Int(labelFile.payload[index])))
        }

        let n = min(imageCount, limit ?? imageCount)
        return MNIST(
            images: ImageBytes(bytes: Array(imageFile.payload[..<(n * pixelCount)]), rows: n, columns: pixelCount),
            labels: labelFile.payload[..<n].map(Int.init))
    }

    /// The package's `Fixtures/MNIST` (see ``PackageDirectory``).
    public static var defaultDirectory: URL { PackageDirectory.appending("Fixtures/MNIST") }

    /// `name` in `directory`, or `name.gz`; otherwise a missing-file error naming both.
    static func locate(_ name: String, in directory: URL) throws(MNISTError) -> URL {
        let plain = directory.appendingPathComponent(name)
        let compressed = directory.appendingPathComponent(name + ".gz")
        for url in [plain, compressed] where FileManager.default.fileExists(atPath: url.path) {
            return url
        }
        throw MNISTError(file: plain.path, problem: .missingFile)
    }

    // MARK: Minibatches

    /// A minibatch: some images (B×784) and their labels.
    public struct Batch: Sendable {
        /// B×784, values in [−1, 1].
        public var images: Matrix<Float>
        /// B digits.
        public var labels: [Int]
    }

    /// The images at `indices`, in that order.
    public func batch(_ indices: [Int]) -> Batch {
        for i in indices { ensure(i >= 0 && i < count, "MNIST batch index \(i) is outside 0..<\(count)") }
        return Batch(images: images.selectingRows(indices), labels: indices.map { labels[$0] })
    }

    /// One epoch in a random order: the indices 0..<N shuffled by `generator`, cut into
    /// runs of `size`. The last run is shorter when `size` does not divide N, unless
    /// `dropLast` leaves it out (as PyTorch's `drop_last`; a batch of 1 breaks batch
    /// normalisation's variance).
    public func batchIndices(size: Int, dropLast: Bool = false, using generator: inout SeededGenerator) -> [[Int]] {
        ensure(size > 0, "MNIST batch size must be positive, got \(size)")
        var order = Array(0..<count)
        generator.shuffle(&order)
        let end = dropLast ? count - count % size : count
        return stride(from: 0, to: end, by: size).map { Array(order[$0..<min($0 + size, end)]) }
    }

    /// One epoch of shuffled minibatches (see ``batchIndices(size:dropLast:using:)``).
    ///
    /// The order is drawn now, from `generator`; each batch's pixels are gathered only
    /// when it is reached, so an epoch never holds a second copy of the data set.
    public func batches(
        size: Int, dropLast: Bool = false, using generator: inout SeededGenerator
    ) -> LazyMapSequence<[[Int]], Batch> {
        batchIndices(size: size, dropLast: dropLast, using: &generator).lazy.map { batch($0) }
    }
}

/// An MNIST file that cannot be used: which file, and what is wrong with it.
public struct MNISTError: Error, Equatable, CustomStringConvertible {
    /// The file the problem is in.
    public let file: String
    /// What is wrong.
    public let problem: Problem

    /// The ways an MNIST file can be wrong.
    public enum Problem: Equatable, Sendable {
        /// The file (and its `.gz` twin) does not exist.
        case missingFile
        /// The file exists but cannot be read (permissions, a directory, …).
        case unreadable(String)
        /// The first four bytes are not the expected IDX magic number.
        case wrongMagic(expected: UInt32, found: UInt32)
        /// The file is shorter than its header says.
        case truncated(expectedBytes: Int, foundBytes: Int)
        /// The file is longer than its header says.
        case trailingBytes(expectedBytes: Int, foundBytes: Int)
        /// The images are not 28×28.
        case wrongImageSize(rows: Int, columns: Int)
        /// The labels file counts a different number of items than the images file.
        case countMismatch(labels: Int, images: Int, imagesFile: String)
        /// A label is not a digit 0–9.
        case labelOutOfRange(index: Int, value: Int)
        /// The `.gz` file cannot be decompressed.
        case gzip(String)
        /// The header announces more items than the reader takes (``MNIST/maximumImages``).
        case tooManyItems(count: Int, maximum: Int)
    }

    /// An error about `file`.
    public init(file: String, problem: Problem) {
        (self.file, self.problem) = (file, problem)
    }

    /// One sentence: the file, then the problem with the numbers involved.
    public var description: String {
        let hex = { (x: UInt32) in String(format: "0x%08X", x) }
        let what: String
        switch problem {
        case .missingFile:
            what = "no such file (nor with .gz); is this an MNIST directory?"
        case .unreadable(let reason):
            what = "cannot read it: \(reason)"
        case let .wrongMagic(expected, found):
            what = "wrong magic number: expected \(hex(expected)), found \(hex(found)); not an IDX file of this kind"
        case let .truncated(expected, found):
            what = "truncated: the header calls for \(expected) bytes, the file has \(found)"
        case let .trailingBytes(expected, found):
            what = "too long: the header calls for \(expected) bytes, the file has \(found)"
        case let .wrongImageSize(rows, columns):
            what = "images are \(rows)×\(columns), expected 28×28"
        case let .countMismatch(labels, images, imagesFile):
            what = "\(labels) labels, but \(imagesFile) has \(images) images"
        case let .labelOutOfRange(index, value):
            what = "label \(index) is \(value), expected a digit 0–9"
        case .gzip(let reason):
            what = "cannot decompress: \(reason)"
        case let .tooManyItems(count, maximum):
            what =
                "its header announces \(count) items, more than the \(maximum) this reader takes "
                + "(each image takes \(MNIST.bytesPerImage) bytes while a set is read); nothing was decompressed"
        }
        return "MNIST file \(file): \(what)"
    }
}
