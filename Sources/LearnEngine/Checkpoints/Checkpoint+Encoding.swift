import Foundation

/// Reading and writing the checkpoint format described on ``Checkpoint``.
extension Checkpoint {

    /// Writes the checkpoint to `url`, atomically: the bytes go to a temporary file that
    /// is then renamed over `url`, so an interrupted or failed save leaves any earlier
    /// checkpoint there intact.
    public func write(to url: URL) throws(CheckpointError) {
        do {
            try BinaryFile.write(encoded(), to: url)
        } catch {
            throw CheckpointError(file: url.path, problem: .cannotWrite(error.reason))
        }
    }

    /// Reads and checks the checkpoint at `url`.
    public init(contentsOf url: URL) throws(CheckpointError) {
        let bytes: [UInt8]
        do {
            bytes = try BinaryFile.read(url)
        } catch {
            throw CheckpointError(file: url.path, problem: error.checkpointProblem)
        }
        try self.init(decoding: bytes, source: url.path)
    }

    /// The whole file, as described in the type's documentation.
    public func encoded() -> [UInt8] {
        var payload: [UInt8] = []
        payload.reserveCapacity(tensors.reduce(4) { $0 + 13 + $1.name.utf8.count + $1.data.count })
        payload.appendLittleEndian(UInt32(tensors.count))
        for tensor in tensors {
            let name = Array(tensor.name.utf8)
            payload.appendLittleEndian(UInt32(name.count))
            payload += name
            payload.append(tensor.scalarType.rawValue)
            payload.appendLittleEndian(UInt32(tensor.rows))
            payload.appendLittleEndian(UInt32(tensor.columns))
        }
        for tensor in tensors { payload += tensor.data }

        var file = Self.magic
        file.appendLittleEndian(Self.formatVersion)
        file.appendLittleEndian(UInt64(payload.count))
        file += payload
        file.appendLittleEndian(Checksum.crc32(payload))
        return file
    }

    /// Parses and checks a whole file's bytes.
    ///
    /// The checks run outside in: magic, version, length, checksum, and only then the
    /// table of contents, so a damaged file is named as damaged rather than as a
    /// puzzling table.
    ///
    /// - Parameter bytes: the whole file, as read.
    /// - Parameter source: the file's path, for error messages.
    public init(decoding bytes: [UInt8], source: String) throws(CheckpointError) {
        self.source = source
        func fail(_ problem: CheckpointError.Problem) -> CheckpointError {
            CheckpointError(file: source, problem: problem)
        }
        let minimumSize = Self.preludeSize + 4 + 4  // an empty checkpoint
        let magicLength = min(bytes.count, Self.magic.count)
        guard bytes[..<magicLength].elementsEqual(Self.magic[..<magicLength]) else {
            throw fail(.wrongMagic(found: Array(bytes.prefix(Self.magic.count))))
        }
        guard bytes.count >= Self.magic.count + 4 else {
            throw fail(.truncated(expectedBytes: minimumSize, foundBytes: bytes.count))
        }
        var reader = ByteReader(bytes: bytes, position: Self.magic.count)
        let version = reader.uint32()
        guard version == Self.formatVersion else {
            throw fail(.unsupportedVersion(found: version, supported: Self.formatVersion))
        }
        guard bytes.count >= minimumSize else {
            throw fail(.truncated(expectedBytes: minimumSize, foundBytes: bytes.count))
        }
        // A corrupt length can exceed any real file; cap it so the sum cannot overflow.
        let payloadLength = Int(clamping: min(reader.uint64(), UInt64(Int.max / 2)))
        let expectedSize = Self.preludeSize + payloadLength + 4
        guard bytes.count >= expectedSize else {
            throw fail(.truncated(expectedBytes: expectedSize, foundBytes: bytes.count))
        }
        guard bytes.count == expectedSize else {
            throw fail(.trailingBytes(expectedBytes: expectedSize, foundBytes: bytes.count))
        }
        let payload = bytes[Self.preludeSize..<(Self.preludeSize + payloadLength)]
        var trailer = ByteReader(bytes: bytes, position: expectedSize - 4)
        let stored = trailer.uint32()
        let computed = Checksum.crc32(payload)
        guard stored == computed else {
            throw fail(.checksumMismatch(stored: stored, computed: computed))
        }

        // The table of contents. The checksum matched, so a problem here means the file
        // was written by something other than this code: report it, never trap.
        var table = ByteReader(bytes: bytes, position: Self.preludeSize, end: Self.preludeSize + payloadLength)
        var entries: [(name: String, type: ScalarType, rows: Int, columns: Int)] = []
        var names = Set<String>()
        guard let count = table.uint32IfAvailable() else { throw fail(.malformed("no tensor count")) }
        for k in 0..<Int(count) {
            guard let nameLength = table.uint32IfAvailable(), let nameBytes = table.bytesIfAvailable(Int(nameLength)),
                let typeCode = table.bytesIfAvailable(1)?.first,
                let rows = table.uint32IfAvailable(), let columns = table.uint32IfAvailable()
            else {
                throw fail(.malformed("the table of contents ends inside entry \(k) of \(count)"))
            }
            guard let name = String(validating: nameBytes, as: UTF8.self), !name.isEmpty else {
                throw fail(.malformed("entry \(k) has an empty or non-UTF-8 name"))
            }
            guard let type = ScalarType(rawValue: typeCode) else {
                throw fail(.malformed("tensor \(name) has unknown scalar type \(typeCode)"))
            }
            guard names.insert(name).inserted else { throw fail(.malformed("tensor \(name) appears twice")) }
            entries.append((name, type, Int(rows), Int(columns)))
        }
        var tensors: [Tensor] = []
        for entry in entries {
            // rows·columns·size of two corrupt 32-bit sizes can overflow even 64 bits.
            let (elements, overflow) = entry.rows.multipliedReportingOverflow(by: entry.columns)
            let size = overflow || elements > Int.max / 8 ? Int.max : elements * entry.type.size
            guard let data = table.bytesIfAvailable(size) else {
                throw fail(.malformed("the data of tensor \(entry.name) (\(size) bytes) run past the payload"))
            }
            tensors.append(
                Tensor(name: entry.name, scalarType: entry.type, rows: entry.rows, columns: entry.columns, data: data))
        }
        guard table.position == table.end else {
            throw fail(.malformed("\(table.end - table.position) bytes after the last tensor"))
        }
        self.tensors = tensors
    }

    // MARK: Helpers

    /// `"prefix/name"`, or `name` alone.
    static func qualified(_ name: String, _ prefix: String?) -> String {
        prefix.map { "\($0)/\(name)" } ?? name
    }

    /// The elements' bytes, each number little-endian.
    static func littleEndianBytes<T: Real>(_ elements: [T]) -> [UInt8] {
        // Every platform Swift runs on today is little-endian, where this is one copy.
        var bytes = elements.withUnsafeBytes { Array($0) }
        #if _endian(big)
            let size = MemoryLayout<T>.size
            for start in stride(from: 0, to: bytes.count, by: size) { bytes[start..<(start + size)].reverse() }
        #endif
        return bytes
    }

    /// The numbers in little-endian `bytes` (whose length is a multiple of T's size).
    static func elements<T: Real>(_ bytes: [UInt8], as _: T.Type) -> [T] {
        var bytes = bytes
        let size = MemoryLayout<T>.size
        #if _endian(big)
            for start in stride(from: 0, to: bytes.count, by: size) { bytes[start..<(start + size)].reverse() }
        #endif
        return [T](unsafeUninitializedCapacity: bytes.count / size) { buffer, initialized in
            bytes.withUnsafeBytes { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: $0) }
            initialized = bytes.count / size
        }
    }
}

/// Reads little-endian numbers from a byte array, front to back.
struct ByteReader {
    let bytes: [UInt8]
    var position: Int
    let end: Int

    init(bytes: [UInt8], position: Int, end: Int? = nil) {
        (self.bytes, self.position, self.end) = (bytes, position, end ?? bytes.count)
    }

    /// The next `count` bytes, or nil if fewer remain.
    mutating func bytesIfAvailable(_ count: Int) -> [UInt8]? {
        guard count >= 0 && count <= end - position else { return nil }
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    /// The next 4 bytes as a number, or nil if fewer remain.
    mutating func uint32IfAvailable() -> UInt32? {
        bytesIfAvailable(4).map { $0.reversed().reduce(0) { $0 << 8 | UInt32($1) } }
    }

    /// The next 4 bytes as a number; the caller has checked that they exist.
    mutating func uint32() -> UInt32 { uint32IfAvailable()! }

    /// The next 8 bytes as a number; the caller has checked that they exist.
    mutating func uint64() -> UInt64 {
        bytesIfAvailable(8)!.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }
}

extension BinaryFile.ReadFailure {
    /// The same failure as a checkpoint's problem.
    var checkpointProblem: CheckpointError.Problem {
        switch self {
        case .missing: .missingFile
        case .unreadable(let reason): .unreadable(reason)
        }
    }
}
