import Foundation
import LearnEngine
import EngineTesting
import Testing

// MARK: Crafted files

/// The bytes of one CIFAR-10 record: the label, then 3,072 pixel bytes.
func cifarRecord(label: UInt8, pixels: [UInt8]) -> [UInt8] {
    precondition(pixels.count == 3072, "a record has 3072 pixels, not \(pixels.count)")
    return [label] + pixels
}

/// A scratch folder holding a synthetic CIFAR-10 data set of `recordsPerFile` records
/// a file, removed by the caller.
func cifarFolder(recordsPerFile: Int = 4, seed: UInt64 = 1) throws -> URL {
    let folder = try makeScratchDirectory()
    try CIFAR10.writeSynthetic(to: folder, recordsPerFile: recordsPerFile, seed: seed)
    return folder
}

/// The bytes of the file `name` in `folder`.
func fileBytes(_ folder: URL, _ name: String) throws -> [UInt8] {
    Array(try Data(contentsOf: folder.appendingPathComponent(name)))
}

/// Replaces the file `name` in `folder` by `bytes`.
func replaceFile(_ folder: URL, _ name: String, with bytes: [UInt8]) throws {
    try Data(bytes).write(to: folder.appendingPathComponent(name))
}

/// The CIFAR-10 reader on small synthetic files: values where the format puts them,
/// and every way a folder or a file can be wrong an error that names it.
@Suite("CIFAR-10 reader on synthetic files")
struct CIFAR10ReaderTests {
    /// Loads `split` from `folder`, returning the error it must throw.
    func loadError(
        _ folder: URL, split: CIFAR10.Split = .train, recordsPerFile: Int? = 4
    ) -> CIFAR10Error? {
        do {
            _ = try CIFAR10.load(split: split, from: folder, recordsPerFile: recordsPerFile)
            return nil
        } catch {
            return error
        }
    }

    @Test("a record's bytes become C×H×W values in [−1, 1]: red plane, then green, then blue, each row-major")
    func pixelOrderAndScaling() throws {
        let folder = try cifarFolder(recordsPerFile: 2)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Record 0: red 0, green 255, blue 51, but red (row 5, column 7) is 255 and
        // blue (row 31, column 31) is 0. Record 1: pixel byte p is p mod 256.
        var planes = [UInt8](repeating: 0, count: 1024) + [UInt8](repeating: 255, count: 1024)
        planes += [UInt8](repeating: 51, count: 1024)
        planes[5 * 32 + 7] = 255
        planes[2048 + 31 * 32 + 31] = 0
        let ramp = (0..<3072).map { UInt8(truncatingIfNeeded: $0) }
        try replaceFile(
            folder, "data_batch_1.bin",
            with: cifarRecord(label: 3, pixels: planes) + cifarRecord(label: 9, pixels: ramp))

        let data = try CIFAR10.load(split: .train, from: folder, recordsPerFile: 2)
        #expect(data.count == 10)
        #expect(data.labels.prefix(2) == [3, 9])
        #expect(data.images.rows == 10 && data.images.columns == 3072)
        // Kept as the file's bytes, 3072 an image, in the file's order.
        #expect(data.images.bytes.count == 10 * 3072)
        #expect(Array(data.images.bytes[..<3072]) == planes)
        let pixels = data.images.matrix
        #expect(pixels[0, 0] == -1)  // red (0, 0): 0 → −1
        #expect(pixels[0, 5 * 32 + 7] == 1)  // red (5, 7): 255 → 1
        #expect(pixels[0, 5 * 32 + 8] == -1)
        #expect(pixels[0, 1024] == 1)  // green (0, 0)
        #expect(pixels[0, 2048] == Float(51) / 127.5 - 1)  // blue (0, 0)
        #expect(pixels[0, 3071] == -1)  // blue (31, 31)
        #expect(pixels.row(1) == ramp.map { Float($0) / 127.5 - 1 })
        #expect(data.images.selectingRows([1]).row(0) == pixels.row(1))
    }

    @Test("the training set is the five batch files in order; the test set is test_batch.bin")
    func filesInOrder() throws {
        let folder = try cifarFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for split in CIFAR10.Split.allCases {
            let data = try CIFAR10.load(split: split, from: folder, recordsPerFile: 4)
            let files = try split.fileNames.map { try fileBytes(folder, $0) }
            #expect(data.count == 4 * files.count)
            let records = files.flatMap { file in
                stride(from: 0, to: file.count, by: 3073).map { file[$0..<($0 + 3073)] }
            }
            #expect(data.labels == records.map { Int($0.first ?? 0) })
            #expect(data.images.bytes == records.flatMap { $0.dropFirst() })
        }
    }

    @Test("limit reads the same first images as the full load, across files", arguments: [0, 1, 4, 6, 20, 100])
    func limit(limit: Int) throws {
        let folder = try cifarFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let all = try CIFAR10.load(split: .train, from: folder, recordsPerFile: 4)
        let first = try CIFAR10.load(split: .train, from: folder, limit: limit, recordsPerFile: 4)
        #expect(first.count == min(limit, 20))
        #expect(first.labels == Array(all.labels.prefix(limit)))
        #expect(first.images == all.images.prefix(limit))
    }

    @Test("limit stops the reading: a bad label past it goes unread, but every file's size is still checked")
    func limitReadsOnlyWhatIsNeeded() throws {
        let folder = try cifarFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var second = try fileBytes(folder, "data_batch_2.bin")
        second[0] = 200
        try replaceFile(folder, "data_batch_2.bin", with: second)
        #expect(try CIFAR10.load(split: .train, from: folder, limit: 4, recordsPerFile: 4).count == 4)
        #expect(loadError(folder)?.problem == .labelOutOfRange(record: 0, value: 200))

        try replaceFile(folder, "data_batch_5.bin", with: [])
        let error = try #require(loadError(folder))
        #expect(error.problem == .wrongSize(bytes: 0, expectedRecords: 4))
        #expect(error.path.hasSuffix("data_batch_5.bin"))
    }

    @Test("the folder that holds cifar-10-batches-bin is accepted as well as that folder")
    func parentFolder() throws {
        let parent = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        let inner = parent.appendingPathComponent("cifar-10-batches-bin")
        try CIFAR10.writeSynthetic(to: inner, recordsPerFile: 3, seed: 5)
        try Data([1, 2, 3]).write(to: parent.appendingPathComponent("cifar-10-binary.tar.gz"))
        let fromParent = try CIFAR10.load(split: .test, from: parent, recordsPerFile: 3)
        let fromInner = try CIFAR10.load(split: .test, from: inner, recordsPerFile: 3)
        #expect(fromParent.labels == fromInner.labels && fromParent.images == fromInner.images)
        #expect(fromParent.count == 3)
        #expect(try CIFAR10.classNames(in: parent) == CIFAR10.classNames)
    }

    @Test("a missing folder says where to get the data and how to pass it")
    func missingFolder() throws {
        let folder = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("nowhere")
        let error = try #require(loadError(missing))
        #expect(error == CIFAR10Error(path: missing.path, problem: .missingFolder))
        let text = error.description
        #expect(text.hasPrefix("CIFAR-10 folder \(missing.path): no such folder"))
        for needed in ["https://www.cs.toronto.edu/~kriz/cifar.html", "\"CIFAR-10 binary version\"", "--data DIR"] {
            #expect(text.contains(needed), "\(text)")
        }
    }

    @Test("the downloaded archive given as the folder is refused, with the advice to unpack it")
    func archiveAsFolder() throws {
        let folder = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let archive = folder.appendingPathComponent("cifar-10-binary.tar.gz")
        try Data([0x1F, 0x8B]).write(to: archive)
        let error = try #require(loadError(archive))
        #expect(error.problem == .notAFolder)
        #expect(error.description.contains("it is a file, not a folder; unpack it"), "\(error)")
    }

    @Test("a missing batch file is named, with what the folder holds instead")
    func missingBatch() throws {
        let folder = try cifarFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("data_batch_3.bin"))
        let error = try #require(loadError(folder))
        let found = [
            "batches.meta.txt", "data_batch_1.bin", "data_batch_2.bin", "data_batch_4.bin", "data_batch_5.bin",
        ]
        #expect(error.path == folder.appendingPathComponent("data_batch_3.bin").path)
        #expect(error.problem == .missingFile(found: found + ["test_batch.bin"]))
        #expect(error.description.contains("no such file; the folder holds \(found.joined(separator: ", "))"))
        #expect(error.description.contains("https://www.cs.toronto.edu/~kriz/cifar.html"))
        // The test split needs only its own file.
        #expect(loadError(folder, split: .test) == nil)
    }

    @Test("a folder of something else says what it holds and what it seems to be")
    func otherFolders() throws {
        let folder = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let empty = try #require(loadError(folder))
        #expect(empty.problem == .missingFile(found: []))
        #expect(empty.description.contains("the folder holds nothing"))
        try Data().write(to: folder.appendingPathComponent("data_batch_1"))
        #expect(loadError(folder)?.description.contains("That is the Python version") == true)
    }

    @Test("a cut-short file gives its size and the size expected", arguments: [1, 3072, 3073, 4 * 3073 - 1])
    func truncated(missing: Int) throws {
        let folder = try cifarFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try replaceFile(
            folder, "data_batch_2.bin", with: Array(try fileBytes(folder, "data_batch_2.bin").dropLast(missing)))
        let error = try #require(loadError(folder))
        #expect(error.path == folder.appendingPathComponent("data_batch_2.bin").path)
        #expect(error.problem == .wrongSize(bytes: 4 * 3073 - missing, expectedRecords: 4))
        #expect(error.description.contains("\(4 * 3073 - missing) bytes"), "\(error)")
        #expect(error.description.contains("expected 4 records, 12292 bytes"), "\(error)")
    }

    @Test("by default a file must hold the published 10000 records")
    func publishedCount() throws {
        let folder = try cifarFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let error = try #require(loadError(folder, recordsPerFile: CIFAR10.publishedRecordsPerFile))
        #expect(error.problem == .wrongSize(bytes: 4 * 3073, expectedRecords: 10_000))
        #expect(error.path.hasSuffix("data_batch_1.bin"))
        #expect(
            error.description.hasSuffix(
                "data_batch_1.bin: 4 records (12292 bytes), expected 10000 records, 30730000 bytes; "
                    + "the download may be cut short or damaged: download and unpack it again"), "\(error)")
    }

    @Test("with recordsPerFile nil any whole number of records loads, and only that")
    func anyRecordCount() throws {
        let folder = try cifarFolder(recordsPerFile: 3)
        defer { try? FileManager.default.removeItem(at: folder) }
        var generator = SeededGenerator(seed: 8)
        try replaceFile(folder, "data_batch_4.bin", with: CIFAR10.syntheticBatch(records: 7, using: &generator))
        #expect(try CIFAR10.load(split: .train, from: folder, recordsPerFile: nil).count == 4 * 3 + 7)
        #expect(try CIFAR10.load(split: .train, from: folder, limit: 10, recordsPerFile: nil).count == 10)
        try replaceFile(folder, "data_batch_4.bin", with: [0] + [UInt8](repeating: 7, count: 3072 + 5))
        #expect(loadError(folder, recordsPerFile: nil)?.problem == .wrongSize(bytes: 3078, expectedRecords: nil))
        #expect(
            loadError(folder, recordsPerFile: nil)?.description.contains(
                "3078 bytes are not a whole number of 3073-byte records (5 bytes past the last whole one)") == true)
        try replaceFile(folder, "data_batch_4.bin", with: [])
        #expect(loadError(folder, recordsPerFile: nil)?.description.contains("the file is empty") == true)
    }

    @Test("a file of more records than the reader takes is refused from its size, before it is read")
    func tooManyRecords() throws {
        let folder = try cifarFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A sparse file: 300 MB by its size, nothing on disk.
        let url = folder.appendingPathComponent("test_batch.bin")
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64((CIFAR10.maximumRecordsPerFile + 1) * 3073))
        try handle.close()
        let error = try #require(loadError(folder, split: .test, recordsPerFile: nil))
        #expect(error.problem == .tooManyRecords(count: CIFAR10.maximumRecordsPerFile + 1, maximum: 100_000))
        #expect(error.path == url.path)
    }

    @Test("a label byte above 9 names the file, the record and the value", arguments: [10, 255])
    func labelOutOfRange(value: UInt8) throws {
        let folder = try cifarFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var bytes = try fileBytes(folder, "data_batch_2.bin")
        bytes[2 * 3073] = value
        try replaceFile(folder, "data_batch_2.bin", with: bytes)
        let error = try #require(loadError(folder))
        #expect(error.path == folder.appendingPathComponent("data_batch_2.bin").path)
        #expect(error.problem == .labelOutOfRange(record: 2, value: Int(value)))
        #expect(
            error.description.contains("record 2 (at byte 6146) has label \(value), expected a class 0–9"), "\(error)")
    }

    @Test("a directory or a pipe in a batch file's place is unreadable, and says why, without waiting on the pipe")
    func unreadable() throws {
        let folder = try cifarFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let test = folder.appendingPathComponent("test_batch.bin")
        try FileManager.default.removeItem(at: test)
        try FileManager.default.createDirectory(at: test, withIntermediateDirectories: false)
        #expect(
            loadError(folder, split: .test)
                == CIFAR10Error(path: test.path, problem: .unreadable("it is a directory, not a file")))

        let meta = folder.appendingPathComponent("batches.meta.txt")
        try FileManager.default.removeItem(at: meta)
        #expect(mkfifo(meta.path, 0o644) == 0)
        #expect(
            loadError(folder)
                == CIFAR10Error(
                    path: meta.path, problem: .unreadable("it is not a regular file (a device, a pipe or a socket)")))
    }

    // MARK: Class names

    @Test("batches.meta.txt gives the class names, spaces and Windows line ends aside; without it, the published ones")
    func classNames() throws {
        let folder = try cifarFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try CIFAR10.load(split: .test, from: folder, recordsPerFile: 4).classNames == CIFAR10.classNames)
        let names = (0..<10).map { "class \($0)" }
        try replaceFile(folder, "batches.meta.txt", with: Array((names.joined(separator: " \r\n") + "\r\n\r\n").utf8))
        #expect(try CIFAR10.classNames(in: folder) == names)
        #expect(try CIFAR10.load(split: .test, from: folder, recordsPerFile: 4).classNames == names)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("batches.meta.txt"))
        #expect(try CIFAR10.classNames(in: folder) == CIFAR10.classNames)
    }

    @Test(
        "a malformed batches.meta.txt is refused, saying what is wrong",
        arguments: [
            ("nine names", "it has 9 lines of names"),
            ("eleven names", "it has 11 lines of names"),
            ("a blank line", "line 3 is blank"),
            ("a repeated name", "line 10 repeats the name \"cat\""),
            ("a control character", "line 1 holds a control character"),
            ("not UTF-8", "it is not UTF-8 text"),
            ("too long", "it is over 4096 bytes"),
        ])
    func malformedClassNames(damage: String, reason: String) throws {
        let folder = try cifarFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var names = CIFAR10.classNames
        switch damage {
        case "nine names": names.removeLast()
        case "eleven names": names.append("unicorn")
        case "a blank line": names[2] = " "
        case "a repeated name": names[9] = "cat"
        case "a control character": names[0] = "air\u{1B}[31mplane"
        default: break
        }
        var bytes = Array(names.joined(separator: "\n").utf8)
        if damage == "not UTF-8" { bytes[3] = 0xFF }
        if damage == "too long" { bytes += [UInt8](repeating: 0x20, count: 5_000) }
        try replaceFile(folder, "batches.meta.txt", with: bytes)

        let meta = folder.appendingPathComponent("batches.meta.txt").path
        let expected = CIFAR10Error(path: meta, problem: .malformedClassNames(reason))
        #expect(throws: expected) { try CIFAR10.classNames(in: folder) }
        #expect(loadError(folder) == expected)
        #expect(expected.description.hasPrefix("CIFAR-10 file \(meta): \(reason); expected the ten class names"))
    }

    // MARK: Fuzzing

    @Test("mutated batch and class-name files load or throw CIFAR10Error, never crash or hang")
    func fuzz() async {
        await #expect(processExitsWith: .success) {
            limitFuzzingChild()
            guard let folder = try? cifarFolder(recordsPerFile: 6, seed: 3),
                let batch = try? fileBytes(folder, "test_batch.bin"),
                let meta = try? fileBytes(folder, "batches.meta.txt")
            else { fatalError("cannot write the synthetic files") }
            defer { try? FileManager.default.removeItem(at: folder) }
            var mutator = Mutator(seed: 4)
            var loaded = 0
            for round in 0..<3_000 {
                let mutated = mutator.mutate(batch)
                try? replaceFile(folder, "test_batch.bin", with: mutated)
                try? replaceFile(
                    folder, "batches.meta.txt", with: round.isMultiple(of: 3) ? mutator.mutate(meta) : meta)
                for recordsPerFile in [nil, 6] {
                    // A typed throw can only be a CIFAR10Error; what loads must be consistent.
                    guard let data = try? CIFAR10.load(split: .test, from: folder, recordsPerFile: recordsPerFile)
                    else { continue }
                    precondition(mutated.count.isMultiple(of: 3073) && data.count == mutated.count / 3073)
                    precondition(data.images.rows == data.count && data.labels.allSatisfy { (0..<10).contains($0) })
                    precondition(data.classNames.count == 10)
                    loaded += 1
                }
            }
            // Some mutations keep a file whole (a changed label or pixel): those must load.
            precondition(loaded > 100, "only \(loaded) mutated files loaded: the fuzzing tested little but the errors")
        }
    }
}

/// The synthetic data set: the same files from the same seed, and something to learn.
@Suite("CIFAR-10 synthetic data")
struct CIFAR10SyntheticTests {
    @Test("synthetic files follow from the seed, with balanced labels")
    func seeded() throws {
        var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7), c = SeededGenerator(seed: 8)
        let batch = CIFAR10.syntheticBatch(records: 25, using: &a)
        #expect(batch.count == 25 * 3073)
        #expect(batch == CIFAR10.syntheticBatch(records: 25, using: &b))
        #expect(batch != CIFAR10.syntheticBatch(records: 25, using: &c))
        var counts = [Int](repeating: 0, count: 10)
        for record in stride(from: 0, to: batch.count, by: 3073) { counts[Int(batch[record])] += 1 }
        #expect(counts == [3, 3, 3, 3, 3, 2, 2, 2, 2, 2])

        let first = try cifarFolder(recordsPerFile: 5, seed: 2)
        let second = try cifarFolder(recordsPerFile: 5, seed: 2)
        defer { for folder in [first, second] { try? FileManager.default.removeItem(at: folder) } }
        for name in CIFAR10.Split.allCases.flatMap(\.fileNames) + ["batches.meta.txt"] {
            #expect(try fileBytes(first, name) == fileBytes(second, name), "\(name)")
        }
        #expect(try fileBytes(first, "data_batch_1.bin") != fileBytes(first, "data_batch_2.bin"))
    }

    @Test("a nearest-mean-colour classifier fitted on the synthetic training set beats chance on its test set")
    func learnable() throws {
        let folder = try cifarFolder(recordsPerFile: 50, seed: 11)
        defer { try? FileManager.default.removeItem(at: folder) }
        let train = try CIFAR10.load(split: .train, from: folder, recordsPerFile: 50)
        let test = try CIFAR10.load(split: .test, from: folder, recordsPerFile: 50)
        /// An image's mean red, green and blue, in [−1, 1].
        func meanColour(_ images: Matrix<Float>, _ row: Int) -> [Float] {
            (0..<3).map { channel in (0..<1024).reduce(0) { $0 + images[row, channel * 1024 + $1] } / 1024 }
        }
        let trainPixels = train.images.matrix
        var centres = [[Float]](repeating: [0, 0, 0], count: 10)
        for (row, label) in train.labels.enumerated() {
            centres[label] = zip(centres[label], meanColour(trainPixels, row)).map { $0 + $1 / 25 }
        }
        let testPixels = test.images.matrix
        let correct = test.labels.indices.filter { row in
            let colour = meanColour(testPixels, row)
            let distances = centres.map { zip($0, colour).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
            return distances.firstIndex(of: distances.min() ?? 0) == test.labels[row]
        }
        let accuracy = Double(correct.count) / Double(test.count)
        #expect(accuracy > 0.5, "accuracy \(accuracy), chance 0.1")
    }
}
