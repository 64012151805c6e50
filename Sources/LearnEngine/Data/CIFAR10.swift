import Foundation

/// CIFAR-10 (Krizhevsky, 2009): 50,000 training and 10,000 test colour images of 32×32
/// pixels, each of one of ten classes (``classNames-swift.type.property``), read from the data set's
/// *binary version*.
///
/// The binary version is a folder, `cifar-10-batches-bin`, of six files of 10,000
/// records each — `data_batch_1.bin` … `data_batch_5.bin` (training) and
/// `test_batch.bin` — and `batches.meta.txt`, the class names. A record is 3,073 bytes:
///
///     byte 0          the label, 0–9
///     bytes 1…1024    the red plane, 32 rows of 32 pixels, row-major
///     bytes 1025…2048 the green plane
///     bytes 2049…3072 the blue plane
///
/// Each image stays in that channel-planar order, C×H×W (as PyTorch's `ToTensor`
/// gives it): pixel (row r, column c) of channel k is column `k·1024 + r·32 + c`.
/// Pixels are kept as their bytes (``ImageBytes``) and scaled from 0…255 to [−1, 1] as
/// `x / 127.5 − 1` when a batch is taken, the convention ``MNIST`` follows.
///
/// The data are not in the package (163 MB); download them from
/// https://www.cs.toronto.edu/~kriz/cifar.html ("CIFAR-10 binary version") and unpack
/// them. For tests and quick runs, ``writeSynthetic(to:recordsPerFile:seed:)`` writes
/// small files in the same format.
///
/// ```swift
/// let train = try CIFAR10.load(split: .train, from: URL(fileURLWithPath: "data"))
/// // train.images is 50000 × 3072, train.labels has 50000 classes 0–9
/// ```
///
/// Shapes: ``images`` N×3072 (one image per row, C×H×W), ``labels`` N.
/// Memory: 3,072 bytes an image, and while a set is read 3 MB more (one chunk of a file).
/// See also: ``CIFAR10Error``, ``ImageRows``.
public struct CIFAR10: Sendable {
    /// Which of the two published sets.
    public enum Split: String, Sendable, CaseIterable {
        /// The 50,000 training images, `data_batch_1.bin` … `data_batch_5.bin`.
        case train
        /// The 10,000 test images, `test_batch.bin`.
        case test

        /// The split's files, in the order their images are read.
        public var fileNames: [String] {
            switch self {
            case .train: (1...5).map { "data_batch_\($0).bin" }
            case .test: ["test_batch.bin"]
            }
        }
    }

    /// The side of an image in pixels.
    public static let imageSide = 32
    /// The colour channels: red, green, blue.
    public static let channels = 3
    /// The values of one image, 3·32·32 = 3,072: the width of ``images``.
    public static let pixelCount = channels * imageSide * imageSide
    /// The bytes of one record: the label byte, then the pixels.
    public static let recordSize = 1 + pixelCount
    /// The number of classes.
    public static let classes = 10
    /// The records in each file of the published data set.
    public static let publishedRecordsPerFile = 10_000
    /// The most records a file may hold when ``load(split:from:limit:recordsPerFile:)``
    /// is not told how many to expect: ten times the published files, about 300 MB a
    /// file. A larger file is refused from its size, before anything is read.
    public static let maximumRecordsPerFile = 100_000
    /// The name of the folder the download unpacks to; ``load(split:from:limit:recordsPerFile:)``
    /// looks into it when given the folder that holds it.
    public static let folderName = "cifar-10-batches-bin"

    /// One image per row, N×3072 in C×H×W order, kept as bytes; a batch of them reads
    /// as values in [−1, 1].
    public let images: ImageBytes
    /// The class of each image, 0–9: an index into ``classNames-swift.property``.
    public let labels: [Int]
    /// The ten class names, from the folder's `batches.meta.txt` when it has one.
    public let classNames: [String]

    /// The number of images, N.
    public var count: Int { labels.count }

    /// A data set over existing images and labels (one label per row of `images`).
    public init(images: ImageBytes, labels: [Int], classNames: [String] = CIFAR10.classNames) {
        ensure(
            images.rows == labels.count && images.columns == Self.pixelCount,
            "CIFAR10: \(images.rows) images of \(images.columns) values and \(labels.count) labels")
        ensure(classNames.count == Self.classes, "CIFAR10: \(classNames.count) class names, expected 10")
        (self.images, self.labels, self.classNames) = (images, labels, classNames)
    }

    /// Reads one split from `directory`.
    ///
    /// `directory` is the folder holding the `.bin` files, or the folder holding
    /// `cifar-10-batches-bin` (where the download unpacks). Every file of the split is
    /// found and its size checked before any is read, so a missing or cut-short batch is
    /// reported even when `limit` would stop before it. Then the files are read in
    /// order, a chunk at a time, and no further than `limit` records: their label bytes
    /// are checked (0–9) as they are read, so a bad label beyond the limit goes
    /// unnoticed.
    ///
    /// - Parameters:
    ///   - split: the training or the test set.
    ///   - directory: the folder holding the files, or its parent.
    ///   - limit: keep at most this many images, the first ones in file order.
    ///   - recordsPerFile: how many records each file must hold: the published 10,000
    ///     by default, so a truncated download is refused. Small synthetic files
    ///     (``writeSynthetic(to:recordsPerFile:seed:)``) pass their own count, and `nil`
    ///     accepts any whole number of records; either way at most ``maximumRecordsPerFile``.
    /// - Throws: ``CIFAR10Error`` naming the file or folder and the problem.
    public static func load(
        split: Split = .train, from directory: URL, limit: Int? = nil,
        recordsPerFile: Int? = publishedRecordsPerFile
    ) throws(CIFAR10Error) -> CIFAR10 {
        ensure(limit.map { $0 >= 0 } ?? true, "CIFAR10 limit must not be negative, got \(limit ?? 0)")
        ensure(
            recordsPerFile.map { (1...maximumRecordsPerFile).contains($0) } ?? true,
            "CIFAR10 recordsPerFile must be in 1...\(maximumRecordsPerFile), got \(recordsPerFile ?? 0)")
        let folder = try locateFolder(directory)
        let names = try classNames(in: folder)

        var files: [(url: URL, records: Int)] = []
        for name in split.fileNames {
            let url = folder.appendingPathComponent(name)
            files.append((url, try recordCount(of: url, in: folder, expected: recordsPerFile)))
        }
        let total = files.reduce(0) { $0 + $1.records }
        let wanted = min(total, limit ?? total)

        var labels: [Int] = []
        labels.reserveCapacity(wanted)
        var pixels: [UInt8] = []
        pixels.reserveCapacity(wanted * pixelCount)
        for file in files where labels.count < wanted {
            try readRecords(file.url, count: min(file.records, wanted - labels.count), labels: &labels, pixels: &pixels)
        }
        return CIFAR10(
            images: ImageBytes(bytes: pixels, rows: labels.count, columns: pixelCount), labels: labels,
            classNames: names)
    }
}
