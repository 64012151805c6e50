import Foundation
import LearnEngine
import EngineTesting
import Testing

extension Tag {
    /// Reads the real MNIST files in Fixtures/MNIST (a second or two each).
    @Tag static var mnistFiles: Self
}

// MARK: Crafted files

/// The bytes of an IDX file: the magic number, the sizes, then the payload.
func idxBytes(magic: UInt32, dimensions: [Int], payload: [UInt8]) -> [UInt8] {
    var bytes: [UInt8] = []
    for word in [magic] + dimensions.map(UInt32.init) {
        bytes += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: word >> $0) }
    }
    return bytes + payload
}

/// An images file of `count` images of `rows × columns`, pixel k of the whole payload
/// being k mod 256.
func imagesFile(count: Int, rows: Int = 28, columns: Int = 28) -> [UInt8] {
    idxBytes(
        magic: 0x803, dimensions: [count, rows, columns],
        payload: (0..<(count * rows * columns)).map { UInt8(truncatingIfNeeded: $0) })
}

/// A labels file.
func labelsFile(_ labels: [UInt8]) -> [UInt8] {
    idxBytes(magic: 0x801, dimensions: [labels.count], payload: labels)
}

/// `data` as a gzip file whose deflate data are stored blocks: the stored-block zlib
/// stream of the PNG writer without its 2-byte header and Adler-32.
func gzipStored(_ data: [UInt8]) -> [UInt8] {
    let deflate = PNG.zlibStored(data).dropFirst(2).dropLast(4)
    var trailer: [UInt8] = []
    for word in [Checksum.crc32(data), UInt32(data.count)] {
        trailer += [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: word >> $0) }
    }
    return [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF] + deflate + trailer
}

/// A labels file of the 30 labels 1 2 3 1 2 3 …, compressed by `gzip -9 -n`: one
/// fixed-Huffman block with literals and a back-reference.
let fixedHuffmanLabels: [UInt8] = [
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x63, 0x60,
    0xe0, 0x60, 0x64, 0x60, 0x60, 0x90, 0x63, 0x64, 0x62, 0xc6, 0x83, 0x00,
    0x71, 0x8c, 0xa0, 0x3f, 0x26, 0x00, 0x00, 0x00,
]

/// A directory holding the given files (name → bytes), removed by the caller.
func mnistDirectory(_ files: [String: [UInt8]]) throws -> URL {
    let directory = try makeScratchDirectory()
    for (name, bytes) in files {
        try Data(bytes).write(to: directory.appendingPathComponent(name))
    }
    return directory
}

let trainImages = "train-images-idx3-ubyte"
let trainLabels = "train-labels-idx1-ubyte"

/// The MNIST reader on small crafted files: every way a file can be wrong is an
/// error that names the file and the numbers, never a crash or a short data set.
@Suite("MNIST reader on crafted files")
struct MNISTCraftedTests {
    /// Loads the training split from `files`, returning the error it must throw.
    func loadError(_ files: [String: [UInt8]]) throws -> MNISTError? {
        let directory = try mnistDirectory(files)
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            _ = try MNIST.load(directory: directory, split: .train)
            return nil
        } catch {
            return error
        }
    }

    @Test("reads images scaled to [−1, 1] and their labels")
    func readsSmallFiles() throws {
        let directory = try mnistDirectory([trainImages: imagesFile(count: 3), trainLabels: labelsFile([7, 0, 9])])
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = try MNIST.load(directory: directory, split: .train)
        #expect(data.count == 3)
        #expect(data.labels == [7, 0, 9])
        #expect(data.images.rows == 3 && data.images.columns == 784)
        // Kept as the file's bytes: 784 an image, not four times that as Float.
        #expect(data.images.bytes.count == 3 * 784)
        // Pixel k of the payload is k mod 256; x/127.5 − 1 maps 0 → −1, 255 → 1.
        let pixels = data.images.matrix
        #expect(pixels[0, 0] == -1)
        #expect(pixels[0, 255] == 1)
        #expect(pixels[0, 51] == Float(51) / 127.5 - 1)
        #expect(pixels[2, 783] == Float((2 * 784 + 783) % 256) / 127.5 - 1)
        #expect(data.images.selectingRows([2, 0]).row(1) == pixels.row(0))
    }

    /// A file of 24 bytes whose header claims 1,300,000 images: raw, and gzipped (the
    /// fuzz corpus's bomb: a valid header, a tiny file, a gigabyte once inflated). Both
    /// are refused from the header, before anything is read or inflated beyond it.
    @Test("a header announcing more images than the maximum is refused before anything is decompressed")
    func tooManyImages() throws {
        let header = idxBytes(magic: 0x803, dimensions: [1_300_000, 28, 28], payload: [])
        for (name, bytes) in [(trainImages, header), (trainImages + ".gz", gzipStored(header))] {
            let error = try loadError([name: bytes, trainLabels: labelsFile([1])])
            #expect(error?.problem == .tooManyItems(count: 1_300_000, maximum: MNIST.maximumImages), "\(name)")
            #expect(error.map { "\($0)" }?.contains("more than the 1000000 this reader takes") == true)
        }
        let labels = idxBytes(magic: 0x801, dimensions: [MNIST.maximumImages + 1], payload: [])
        let error = try loadError([trainImages: imagesFile(count: 1), trainLabels: labels])
        #expect(error?.problem == .tooManyItems(count: MNIST.maximumImages + 1, maximum: MNIST.maximumImages))
    }

    @Test("limit keeps the first images")
    func limit() throws {
        let directory = try mnistDirectory([trainImages: imagesFile(count: 3), trainLabels: labelsFile([7, 0, 9])])
        defer { try? FileManager.default.removeItem(at: directory) }
        let two = try MNIST.load(directory: directory, split: .train, limit: 2)
        #expect(two.labels == [7, 0])
        #expect(two.images.rows == 2 && two.images.columns == 784)
        let all = try MNIST.load(directory: directory, split: .train)
        #expect(two.images.bytes == Array(all.images.bytes[..<(2 * 784)]))
        #expect(try MNIST.load(directory: directory, split: .train, limit: 10).count == 3)
    }

    @Test("reads .gz files: stored blocks, and a fixed-Huffman block from gzip itself")
    func readsGzip() throws {
        let directory = try mnistDirectory([
            trainImages + ".gz": gzipStored(imagesFile(count: 30)),
            trainLabels + ".gz": fixedHuffmanLabels,
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = try MNIST.load(directory: directory, split: .train)
        #expect(data.labels == (0..<30).map { $0 % 3 + 1 })
        #expect(data.images.matrix.elements == imagesFile(count: 30).dropFirst(16).map { Float($0) / 127.5 - 1 })
    }

    @Test("gzip of more than 65535 bytes (several stored blocks) round-trips")
    func gzipSeveralBlocks() throws {
        let data = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        #expect(try Gzip.decompress(gzipStored(data)) == data)
        // Two members one after the other decompress to both, as `gzip -dc` does.
        #expect(try Gzip.decompress(gzipStored([1, 2]) + gzipStored([3])) == [1, 2, 3])
        // Zero padding after the last member is ignored, as gzip -dc does; other bytes are not.
        #expect(try Gzip.decompress(gzipStored([1, 2]) + [0, 0, 0]) == [1, 2])
        #expect(throws: GzipError("3 unexpected bytes after the compressed data")) {
            try Gzip.decompress(gzipStored([1, 2]) + [0, 7, 0])
        }
    }

    @Test("a missing file names the path it looked for")
    func missingFile() throws {
        let directory = try mnistDirectory([trainLabels: labelsFile([1])])
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: MNISTError(file: directory.appendingPathComponent(trainImages).path, problem: .missingFile)) {
            try MNIST.load(directory: directory, split: .train)
        }
        #expect(throws: MNISTError.self) { try MNIST.load(directory: directory, split: .test) }
    }

    @Test("a wrong magic number says expected and found")
    func wrongMagic() throws {
        let error = try loadError([trainImages: labelsFile([1]), trainLabels: labelsFile([1])])
        #expect(error?.problem == .wrongMagic(expected: 0x803, found: 0x801))
        #expect(
            error?.description.contains("\(trainImages): wrong magic number: expected 0x00000803, found 0x00000801")
                == true)
    }

    @Test("a truncated payload says expected and found bytes", arguments: [1, 784, 2 * 784 - 1])
    func truncated(missing: Int) throws {
        let images = Array(imagesFile(count: 2).dropLast(missing))
        let error = try loadError([trainImages: images, trainLabels: labelsFile([1, 2])])
        #expect(error?.problem == .truncated(expectedBytes: 16 + 2 * 784, foundBytes: 16 + 2 * 784 - missing))
        #expect(error?.file.hasSuffix(trainImages) == true)
    }

    @Test("a truncated header is reported as truncated", arguments: [0, 3, 4, 15])
    func truncatedHeader(length: Int) throws {
        let images = Array(imagesFile(count: 1).prefix(length))
        let error = try loadError([trainImages: images, trainLabels: labelsFile([1])])
        #expect(error?.problem == .truncated(expectedBytes: 16, foundBytes: length))
    }

    @Test("extra bytes after the payload are an error too")
    func trailingBytes() throws {
        let error = try loadError([trainImages: imagesFile(count: 1), trainLabels: labelsFile([1]) + [0]])
        #expect(error?.problem == .trailingBytes(expectedBytes: 9, foundBytes: 10))
    }

    @Test("a header claiming absurd sizes is an error, not an overflow")
    func absurdSizes() throws {
        let images = idxBytes(magic: 0x803, dimensions: [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF], payload: [])
        let error = try loadError([trainImages: images, trainLabels: labelsFile([1])])
        // The reader refuses the count first; the parser alone names the size.
        #expect(error?.problem == .tooManyItems(count: 0xFFFF_FFFF, maximum: MNIST.maximumImages))
        #expect(throws: MNISTError(file: "f", problem: .truncated(expectedBytes: Int.max, foundBytes: 16))) {
            try IDXFile(parsing: images, dimensionCount: 3, file: "f")
        }
    }

    @Test("images that are not 28×28 are rejected", arguments: [(28, 27), (27, 28), (32, 32)])
    func wrongSize(rows: Int, columns: Int) throws {
        let error = try loadError([
            trainImages: imagesFile(count: 1, rows: rows, columns: columns), trainLabels: labelsFile([1]),
        ])
        #expect(error?.problem == .wrongImageSize(rows: rows, columns: columns))
        #expect(error?.description.contains("images are \(rows)×\(columns), expected 28×28") == true)
    }

    @Test("different image and label counts are rejected")
    func countMismatch() throws {
        let error = try loadError([trainImages: imagesFile(count: 2), trainLabels: labelsFile([1, 2, 3])])
        #expect(error?.file.hasSuffix(trainLabels) == true)
        if case .countMismatch(labels: 3, images: 2, let imagesFile) = error?.problem {
            #expect(imagesFile.hasSuffix(trainImages))
        } else {
            Issue.record("expected a count mismatch, got \(String(describing: error))")
        }
    }

    @Test("a label outside 0…9 is rejected with its index and value")
    func labelOutOfRange() throws {
        let error = try loadError([trainImages: imagesFile(count: 3), trainLabels: labelsFile([1, 10, 2])])
        #expect(error?.problem == .labelOutOfRange(index: 1, value: 10))
    }

    @Test(
        "damaged gzip data are rejected with a reason",
        arguments: [
            ("corrupt CRC", "CRC-32 mismatch"),
            ("wrong length", "length mismatch"),
            ("cut short", "end"),
            ("not gzip", "not gzip data: starts with 00 00, expected 1F 8B"),
            ("bad block type", "invalid deflate block type 3"),
        ])
    func damagedGzip(damage: String, reason: String) throws {
        var gz = gzipStored(labelsFile([1, 2, 3]))
        switch damage {
        case "corrupt CRC": gz[gz.count - 8] ^= 1
        case "wrong length": gz[gz.count - 4] ^= 1
        case "cut short": gz = Array(gz.dropLast(6))
        case "not gzip": gz = labelsFile([1, 2, 3])
        default: gz[10] = 0b111  // BFINAL = 1, BTYPE = 11
        }
        let error = try loadError([trainImages: imagesFile(count: 3), trainLabels + ".gz": gz])
        guard case .gzip(let message) = error?.problem else {
            Issue.record("expected a gzip error, got \(String(describing: error))")
            return
        }
        #expect(message.contains(reason), "\(message)")
        #expect(error?.file.hasSuffix(trainLabels + ".gz") == true)
    }

    @Test("fixed-Huffman data cut anywhere are an error, never a crash")
    func fixedHuffmanCut() {
        for length in 0..<fixedHuffmanLabels.count {
            #expect(throws: GzipError.self) { try Gzip.decompress(Array(fixedHuffmanLabels.prefix(length))) }
        }
    }

    // MARK: Minibatches

    func smallSet(_ n: Int) -> MNIST {
        MNIST(
            images: ImageBytes(bytes: (0..<(n * 784)).map { UInt8($0 / 784) }, rows: n, columns: 784),
            labels: (0..<n).map { $0 % 10 })
    }

    @Test("batches cover every image once, in a seeded order", arguments: [1, 7, 10, 64])
    func batchesCoverAll(size: Int) {
        let data = smallSet(50)
        var generator = SeededGenerator(seed: 3)
        let batches = Array(data.batches(size: size, using: &generator))
        #expect(batches.count == (50 + size - 1) / size)
        #expect(batches.dropLast().allSatisfy { $0.labels.count == size })
        // Each image's pixels all equal its index, so a row names the image it came from.
        func image(_ pixel: Float) -> Int { Int(((pixel + 1) * 127.5).rounded()) }
        let indices = batches.flatMap { batch in (0..<batch.images.rows).map { image(batch.images[$0, 0]) } }
        #expect(indices.sorted() == Array(0..<50))
        for batch in batches {
            for r in 0..<batch.images.rows {
                let i = image(batch.images[r, 0])
                #expect(batch.labels[r] == i % 10)
                #expect(batch.images.row(r) == data.images.selectingRows([i]).row(0))
            }
        }
    }

    @Test("the same seed gives the same order; another seed, another")
    func seededOrder() {
        let data = smallSet(100)
        var a = SeededGenerator(seed: 9), b = SeededGenerator(seed: 9), c = SeededGenerator(seed: 10)
        let first = data.batchIndices(size: 10, using: &a)
        #expect(first == data.batchIndices(size: 10, using: &b))
        #expect(first != data.batchIndices(size: 10, using: &c))
        // The generator moves on, so the next epoch is in another order.
        #expect(first != data.batchIndices(size: 10, using: &a))
    }

    @Test("dropLast leaves out the short last batch")
    func dropLast() {
        let data = smallSet(50)
        var generator = SeededGenerator(seed: 1)
        let batches = data.batchIndices(size: 16, dropLast: true, using: &generator)
        #expect(batches.map(\.count) == [16, 16, 16])
        #expect(Set(batches.joined()).count == 48)
    }
}

/// The canonical MNIST files in Fixtures/MNIST, against the facts in their README.
@Suite("MNIST reader on the real files", .tags(.mnistFiles))
struct MNISTFixtureTests {
    /// Each split is read once for the whole suite.
    static let train = Result { () throws(MNISTError) in try MNIST.load(split: .train) }
    static let test = Result { () throws(MNISTError) in try MNIST.load(split: .test) }

    @Test("the training set: 60000 images, first labels 5 0 4 1 9 2 1 3 1 4, README class counts")
    func trainingSet() throws {
        let train = try Self.train.get()
        #expect(train.count == 60_000)
        #expect(train.images.rows == 60_000 && train.images.columns == 784)
        #expect(train.labels.prefix(10) == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4])
        var counts = [Int](repeating: 0, count: 10)
        for label in train.labels { counts[label] += 1 }
        #expect(counts == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
    }

    @Test("the test set: 10000 images, first labels 7 2 1 0 4 1 4 9 5 9")
    func testSet() throws {
        let test = try Self.test.get()
        #expect(test.count == 10_000)
        #expect(test.images.rows == 10_000 && test.images.columns == 784)
        #expect(test.labels.prefix(10) == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9])
    }

    @Test("pixels span exactly [−1, 1], mostly background", arguments: [MNIST.Split.train, .test])
    func pixelRange(split: MNIST.Split) throws {
        let data = try (split == .train ? Self.train : Self.test).get()
        let pixels = data.images.bytes.map(ImageBytes.scaled)
        #expect(pixels.min() == -1)
        #expect(pixels.max() == 1)
        // About 19% of MNIST pixels carry ink; the rest are exactly background.
        let background = Double(pixels.lazy.filter { $0 == -1 }.count) / Double(pixels.count)
        #expect(background > 0.75 && background < 0.85, "background fraction \(background)")
    }

    @Test("limit reads the same first images as the full load")
    func limitMatches() throws {
        let first = try MNIST.load(split: .test, limit: 5)
        let all = try Self.test.get()
        #expect(first.labels == Array(all.labels.prefix(5)))
        #expect(first.images.bytes == Array(all.images.bytes.prefix(5 * 784)))
    }
}

@Suite("gzip within bounds")
struct GzipBoundsTests {
    @Test("inflating stops at a limit, and a prefix inflates no further than asked")
    func limits() throws {
        let raw = try Gzip.decompress(dynamicHuffmanImages)
        #expect(raw.count == 316)
        #expect(try Gzip.decompress(dynamicHuffmanImages, limit: 316) == raw)
        #expect(throws: GzipError("the data inflate to more than 315 bytes", exceededLimit: true)) {
            try Gzip.decompress(dynamicHuffmanImages, limit: 315)
        }
        #expect(try Gzip.prefix(dynamicHuffmanImages, count: 16) == Array(raw.prefix(16)))
        #expect(try Gzip.prefix(gzipStored([1, 2, 3]), count: 16) == [1, 2, 3])
    }

    /// Writes `bytes` to a fresh `.gz` file and reads it as a 3-dimensional IDX file.
    static func read(_ bytes: [UInt8]) throws(MNISTError) -> IDXFile {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bomb-\(UUID().uuidString).gz")
        try? Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try IDXFile(contentsOf: url, dimensionCount: 3)
    }

    @Test(
        "an IDX file is inflated no further than its header announces: a megabyte of zeros after one 2×2 image stops at byte 21"
    )
    func bombStopsAtTheHeader() {
        let header: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2]
        let bomb = gzipStored(header + [UInt8](repeating: 0, count: 1 << 20))
        do {
            _ = try Self.read(bomb)
        } catch {
            #expect("\(error)".contains("it inflates to more than the 20 bytes its IDX header announces"), "\(error)")
        }
    }

    @Test("a header announcing more than 2³¹ bytes is refused without inflating the rest")
    func absurdHeader() {
        // 4 294 967 295 images of 28×28: a truncation, named from the header alone.
        let header: [UInt8] = [0, 0, 8, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 28, 0, 0, 0, 28]
        do {
            _ = try Self.read(gzipStored(header + [UInt8](repeating: 0, count: 1 << 16)))
            Issue.record("an absurd header was accepted")
        } catch {
            #expect(error.problem == .truncated(expectedBytes: 16 + 4_294_967_295 * 784, foundBytes: 20), "\(error)")
        }
    }
}
