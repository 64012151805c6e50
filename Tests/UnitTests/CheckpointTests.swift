import Foundation
import Learn
import LearnTesting
import Testing

/// Checkpoints: exact round trips, the documented byte layout, and a clear error for
/// every way a file can be damaged or not fit the model.
@Suite("Checkpoints")
struct CheckpointTests {
    /// The raw bytes of a matrix's elements: equal bytes mean bit-identical numbers,
    /// which `==` cannot say for NaN or tell apart for 0 and −0.
    func bits<T: Real>(_ m: Matrix<T>) -> [UInt8] {
        m.elements.withUnsafeBytes { Array($0) }
    }

    func lstm<T: Real>(_: T.Type, hidden: Int = 4, seed: UInt64) -> LSTM<T> {
        var generator = SeededGenerator(seed: seed)
        return LSTM<T>(inputSize: 3, hiddenSize: hidden, classes: 10, using: &generator)
    }

    /// Runs `body` with a scratch directory and a checkpoint of a seeded LSTM<Float> in it.
    func withSavedLSTM(_ body: (_ url: URL, _ bytes: [UInt8]) throws -> Void) throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("model.ckpt")
        try Checkpoint.save(lstm(Float.self, seed: 1), to: url)
        try body(url, [UInt8](Data(contentsOf: url)))
    }

    /// The error loading `bytes` into an LSTM<Float> gives, and a check that the model
    /// was left as it was.
    func loadError(_ bytes: [UInt8], into model: LSTM<Float>? = nil) throws -> CheckpointError? {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("damaged.ckpt")
        try Data(bytes).write(to: url)
        let original = model ?? lstm(Float.self, seed: 2)
        var target = original
        do {
            try Checkpoint.load(into: &target, from: url)
            return nil
        } catch {
            for p in original.parameters {
                #expect(
                    bits(target[keyPath: p.path]) == bits(original[keyPath: p.path]),
                    "\(p.name) was changed by a failed load")
            }
            #expect(error.file == url.path)
            return error
        }
    }

    // MARK: Round trips

    @Test("an LSTM round-trips bit for bit, even −0, NaN, ∞ and subnormals", arguments: precisions)
    func roundTrip(_ type: any Real.Type) throws {
        func check<T: Real>(_: T.Type) throws {
            let directory = try makeScratchDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let url = directory.appendingPathComponent("lstm.ckpt")
            var saved = lstm(T.self, seed: 1)
            saved.f.bf.elements[0] = -0.0
            saved.f.bf.elements[1] = .nan
            saved.p.bp.elements[0] = .infinity
            saved.p.bp.elements[1] = .leastNonzeroMagnitude
            try Checkpoint.save(saved, to: url)

            var loaded = lstm(T.self, seed: 2)
            try Checkpoint.load(into: &loaded, from: url)
            for p in saved.parameters {
                #expect(bits(loaded[keyPath: p.path]) == bits(saved[keyPath: p.path]), "parameter \(p.name)")
            }
            // No temporary file is left behind.
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["lstm.ckpt"])
        }
        try check(type)
    }

    @Test("several models and a loose matrix share one file under prefixes", .requires(.rnn))
    func severalModels() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("all.ckpt")
        var generator = SeededGenerator(seed: 5)
        let lstm = lstm(Float.self, seed: 1)
        let rnn = RNN<Double>(inputSize: 1, hiddenSize: 3, classes: 10, using: &generator)
        var checkpoint = Checkpoint()
        checkpoint.store(lstm, as: "lstm")
        checkpoint.store(rnn, as: "rnn")
        checkpoint.store(Matrix<Double>([[42]]), as: "step")
        try checkpoint.write(to: url)

        let read = try Checkpoint(contentsOf: url)
        #expect(read.tensors == checkpoint.tensors)
        #expect(read.tensors.map(\.name).prefix(2) == ["lstm/wgx", "lstm/wgh"])
        var lstmBack = self.lstm(Float.self, seed: 9)
        var rnnBack = RNN<Double>(inputSize: 1, hiddenSize: 3, classes: 10, using: &generator)
        try read.restore(&lstmBack, from: "lstm")
        try read.restore(&rnnBack, from: "rnn")
        for p in lstm.parameters { #expect(bits(lstmBack[keyPath: p.path]) == bits(lstm[keyPath: p.path])) }
        for p in rnn.parameters { #expect(bits(rnnBack[keyPath: p.path]) == bits(rnn[keyPath: p.path])) }
        #expect(try read.matrix("step", as: Double.self) == Matrix([[42]]))
        // Without a prefix, the whole file must be one model: here it is not.
        #expect(throws: CheckpointError(file: url.path, problem: .missingTensor("wgx"))) {
            try read.restore(&lstmBack)
        }
    }

    @Test(
        "a GAN network round-trips through its layer-indexed names, batch normalisation's statistics included",
        .requires(.linear, .leakyReLU, .batchNorm))
    func layerIndexedNames() throws {
        func network(seed: UInt64) -> Generator<Float> {
            var generator = SeededGenerator(seed: seed)
            var a = GANArchitecture.template
            (a.noiseSize, a.generatorWidths, a.imageSize) = (5, [4, 8], 3)
            return a.generator(using: &generator)
        }
        var saved = network(seed: 1)
        saved.hidden[0].norm.gamma.elements[3] = 2.5
        saved.hidden[0].norm.runningMean.elements[1] = -0.75
        var checkpoint = Checkpoint()
        checkpoint.store(saved, as: "generator")
        let read = try Checkpoint(decoding: checkpoint.encoded(), source: "memory")
        // Parameters first, then buffers (batch normalisation's running statistics).
        #expect(
            read.tensors.map(\.name) == [
                "generator/0.w", "generator/0.b", "generator/2.w", "generator/2.b", "generator/3.gamma",
                "generator/3.beta", "generator/5.w", "generator/5.b",
                "generator/3.runningMean", "generator/3.runningVariance",
            ])
        var loaded = network(seed: 2)
        try read.restore(&loaded, from: "generator")
        for p in saved.state {
            #expect(bits(loaded[keyPath: p.path]) == bits(saved[keyPath: p.path]), "parameter \(p.name)")
        }
    }

    // MARK: The format, byte by byte

    @Test("an empty checkpoint is the 28 bytes the documentation describes")
    func emptyLayout() {
        let expected: [UInt8] =
            [0x89, 0x4C, 0x45, 0x41, 0x52, 0x4E, 0x0D, 0x0A]  // magic
            + [1, 0, 0, 0]  // version 1
            + [4, 0, 0, 0, 0, 0, 0, 0]  // payload length 4
            + [0, 0, 0, 0]  // no tensors
            + [0x1C, 0xDF, 0x44, 0x21]  // CRC-32 of four zero bytes, 0x2144DF1C
        #expect(Checkpoint().encoded() == expected)
    }

    @Test("one Float tensor is laid out as documented")
    func tensorLayout() throws {
        var checkpoint = Checkpoint()
        checkpoint.store(Matrix<Float>([[1, -2]]), as: "w")
        let payload: [UInt8] =
            [1, 0, 0, 0]  // one tensor
            + [1, 0, 0, 0] + [0x77]  // name "w"
            + [1]  // Float
            + [1, 0, 0, 0] + [2, 0, 0, 0]  // 1×2
            + [0x00, 0x00, 0x80, 0x3F] + [0x00, 0x00, 0x00, 0xC0]  // 1.0, −2.0
        let crc = Checksum.crc32(payload)
        let expected: [UInt8] =
            Checkpoint.magic + [1, 0, 0, 0] + [UInt8(payload.count), 0, 0, 0, 0, 0, 0, 0] + payload
            + [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: crc >> $0) }
        #expect(checkpoint.encoded() == expected)
        #expect(try Checkpoint(decoding: expected, source: "memory").tensors == checkpoint.tensors)
    }

    // MARK: Damaged files

    @Test(
        "a flipped byte anywhere in the payload or checksum is a checksum mismatch",
        arguments: [0, 1, 4, 30, 200, -5, -1])
    func flippedByte(offset: Int) throws {
        try withSavedLSTM { _, bytes in
            var damaged = bytes
            // Offsets count from the payload's start (20), or back from the file's end.
            let index = offset >= 0 ? 20 + offset : bytes.count + offset
            damaged[index] ^= 0x10
            let error = try loadError(damaged)
            guard case .checksumMismatch(let stored, let computed) = error?.problem else {
                Issue.record("expected a checksum mismatch, got \(String(describing: error))")
                return
            }
            #expect(stored != computed)
            #expect(error?.description.contains("checksum mismatch") == true)
        }
    }

    @Test("a truncated file is rejected with expected and found sizes", arguments: [0, 5, 8, 12, 20, 27, 100, -1])
    func truncated(length: Int) throws {
        try withSavedLSTM { _, bytes in
            let kept = length >= 0 ? length : bytes.count + length
            let error = try loadError(Array(bytes.prefix(kept)))
            let expected = kept < 28 ? 28 : bytes.count
            #expect(error?.problem == .truncated(expectedBytes: expected, foundBytes: kept))
        }
    }

    @Test("extra bytes after the checksum are rejected")
    func trailing() throws {
        try withSavedLSTM { _, bytes in
            let error = try loadError(bytes + [0])
            #expect(error?.problem == .trailingBytes(expectedBytes: bytes.count, foundBytes: bytes.count + 1))
        }
    }

    @Test("a corrupt payload length cannot overflow")
    func hugeLength() throws {
        try withSavedLSTM { _, bytes in
            var damaged = bytes
            for k in 12..<20 { damaged[k] = 0xFF }
            let error = try loadError(damaged)
            guard case .truncated(_, let found) = error?.problem else {
                Issue.record("expected truncated, got \(String(describing: error))")
                return
            }
            #expect(found == bytes.count)
        }
    }

    @Test("a file that is not a checkpoint has the wrong magic")
    func wrongMagic() throws {
        try withSavedLSTM { _, bytes in
            var damaged = bytes
            damaged[1] = 0x6C  // "\x89lEARN"
            #expect(try loadError(damaged)?.problem == .wrongMagic(found: [0x89, 0x6C] + Array(bytes[2..<8])))
            let png = PNG.encode(width: 1, height: 1, pixels: [0])
            let error = try loadError(png)
            #expect(error?.problem == .wrongMagic(found: Array(png.prefix(8))))
            #expect(
                error?.description.contains(
                    "not a Learn checkpoint: it starts with 89 50 4E 47 0D 0A 1A 0A, expected 89 4C 45 41 52 4E 0D 0A")
                    == true)
        }
    }

    @Test("another format version is refused by number")
    func wrongVersion() throws {
        try withSavedLSTM { _, bytes in
            var damaged = bytes
            damaged[8] = 2
            let error = try loadError(damaged)
            #expect(error?.problem == .unsupportedVersion(found: 2, supported: 1))
            #expect(error?.description.contains("format version 2, but this code reads version 1") == true)
        }
    }

    @Test("a table of contents that makes no sense is malformed, even with a valid checksum")
    func malformed() throws {
        try withSavedLSTM { _, bytes in
            // The first tensor's scalar type sits after the count (4), name length (4)
            // and name "wgx" (3): payload offset 11.
            var damaged = bytes
            #expect(damaged[20 + 11] == 1)
            damaged[20 + 11] = 3
            let crc = Checksum.crc32(damaged[20..<(damaged.count - 4)])
            for k in 0..<4 { damaged[damaged.count - 4 + k] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(k))) }
            let error = try loadError(damaged)
            #expect(error?.problem == .malformed("tensor wgx has unknown scalar type 3"))
        }
    }

    // MARK: Files that do not fit the model

    @Test("a tensor of another shape is named, with both shapes")
    func wrongShape() throws {
        try withSavedLSTM { _, bytes in
            let error = try loadError(bytes, into: lstm(Float.self, hidden: 5, seed: 3))
            #expect(error?.problem == .shapeMismatch(tensor: "wgx", expected: [5, 3], found: [4, 3]))
            #expect(error?.description.contains("tensor wgx is 4×3, but the model's is 5×3") == true)
        }
    }

    @Test("a tensor the model needs but the file lacks is named", .requires(.rnn))
    func missingTensor() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("rnn.ckpt")
        var generator = SeededGenerator(seed: 1)
        try Checkpoint.save(RNN<Float>(inputSize: 3, hiddenSize: 4, classes: 10, using: &generator), to: url)
        let error = try loadError([UInt8](Data(contentsOf: url)))
        #expect(error?.problem == .missingTensor("wgx"))
    }

    @Test("a tensor the model does not have is named (another architecture)")
    func unexpectedTensor() throws {
        var checkpoint = Checkpoint()
        checkpoint.store(lstm(Float.self, seed: 1))
        checkpoint.store(Matrix<Float>([[1]]), as: "extra")
        #expect(try loadError(checkpoint.encoded())?.problem == .unexpectedTensor("extra"))
    }

    @Test("Float parameters do not load into a Double model")
    func wrongScalarType() throws {
        var checkpoint = Checkpoint()
        checkpoint.store(lstm(Float.self, seed: 1))
        var model = lstm(Double.self, seed: 1)
        #expect(
            throws: CheckpointError(
                file: "checkpoint", problem: .scalarTypeMismatch(tensor: "wgx", expected: .float64, found: .float32))
        ) {
            try checkpoint.restore(&model)
        }
    }

    @Test("a missing file is named")
    func missingFile() throws {
        let url = URL(fileURLWithPath: "/nonexistent/model.ckpt")
        var model = lstm(Float.self, seed: 1)
        #expect(throws: CheckpointError(file: url.path, problem: .missingFile)) {
            try Checkpoint.load(into: &model, from: url)
        }
    }

    // MARK: Failed saves

    @Test("a save that fails before it starts leaves the previous checkpoint intact")
    func failedSaveBeforeWriting() throws {
        try withSavedLSTM { url, bytes in
            // A directory where the temporary file must go: open() fails.
            let temporary = BinaryFile.temporaryPath(for: url.path)
            try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: false)
            defer { try? FileManager.default.removeItem(atPath: temporary) }
            #expect(throws: CheckpointError.self) { try Checkpoint.save(lstm(Float.self, seed: 7), to: url) }
            #expect(try [UInt8](Data(contentsOf: url)) == bytes)
        }
        let nowhere = URL(fileURLWithPath: "/nonexistent/dir/model.ckpt")
        #expect(throws: CheckpointError.self) { try Checkpoint.save(lstm(Float.self, seed: 7), to: nowhere) }
    }

    #if os(Linux)
        @Test(
            "a symlink planted at the save's temporary name (here to /dev/full) is not followed: the save fails, the checkpoint stays"
        )
        func plantedTemporary() throws {
            try withSavedLSTM { url, bytes in
                let temporary = BinaryFile.temporaryPath(for: url.path)
                try FileManager.default.createSymbolicLink(atPath: temporary, withDestinationPath: "/dev/full")
                defer { try? FileManager.default.removeItem(atPath: temporary) }
                do {
                    try Checkpoint.save(lstm(Float.self, seed: 7), to: url)
                    Issue.record("saving through a planted symlink succeeded")
                } catch let error as CheckpointError {
                    #expect(error.problem == .cannotWrite("File exists"))
                    #expect(error.description.contains("any previous checkpoint there is unchanged"))
                }
                #expect(try [UInt8](Data(contentsOf: url)) == bytes)
                var model = lstm(Float.self, seed: 9)
                try Checkpoint.load(into: &model, from: url)
            }
        }
    #endif
}

@Suite("Checkpoints keep buffers")
struct CheckpointBufferTests {
    @Test("a generator's batch-normalisation running statistics survive a checkpoint", .requires(Piece.networkLayers))
    func runningStatisticsSurvive() throws {
        var random = SeededGenerator(seed: 5)
        var generator: Generator<Float> = GANArchitecture.template.generator(using: &random)
        let z = Matrix<Float>.normal(rows: 16, columns: 100, using: &random)
        // Training-mode passes move the running statistics away from (0, 1).
        for _ in 0..<3 { _ = generator.forward(z, mode: .training) }
        #expect(
            generator.buffers.map(\.name) == [
                "3.runningMean", "3.runningVariance", "6.runningMean", "6.runningVariance",
                "9.runningMean", "9.runningVariance",
            ])
        var checkpoint = Checkpoint()
        checkpoint.store(generator, as: "generator")
        var fresh: Generator<Float> = GANArchitecture.template.generator(using: &random)
        try Checkpoint(decoding: checkpoint.encoded(), source: "memory").restore(&fresh, from: "generator")
        var (a, b) = (generator, fresh)
        #expect(a.forward(z, mode: .evaluation).y == b.forward(z, mode: .evaluation).y)
    }
}
