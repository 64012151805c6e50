import Foundation

/// A file in the IDX format, the plain container LeCun's MNIST files use.
///
///     bytes 0–1  zero
///     byte  2    the element type (0x08 = unsigned byte; the only one MNIST uses)
///     byte  3    the number of dimensions, d
///     then       d big-endian UInt32 sizes
///     then       the elements, row-major (the last dimension varies fastest)
///
/// so the images file starts `00 00 08 03` (the "magic number" 0x00000803) followed
/// by count, rows, columns, and the labels file starts `00 00 08 01`, count.
///
/// See also: ``MNIST``, ``Gzip``.
public struct IDXFile: Sendable, Equatable {
    /// The sizes of the dimensions, outermost first: `[60000, 28, 28]` for the
    /// training images.
    public let dimensions: [Int]
    /// The elements, row-major: exactly the product of ``dimensions`` bytes.
    public let payload: [UInt8]

    /// Parses an unsigned-byte IDX file with `dimensionCount` dimensions, checking that
    /// the payload is exactly as long as the dimensions say.
    ///
    /// - Parameter bytes: the whole file, already decompressed.
    /// - Parameter dimensionCount: d, the number of dimensions expected: 3 for
    ///   images (count, rows, columns), 1 for labels.
    /// - Parameter file: the file's path, for error messages.
    /// - Throws: ``MNISTError`` for a wrong magic number, a short header, or a
    ///   payload that is truncated or too long.
    public init(parsing bytes: [UInt8], dimensionCount: Int, file: String) throws(MNISTError) {
        let magic = UInt32(0x0000_0800) | UInt32(dimensionCount)
        let headerLength = 4 + 4 * dimensionCount
        guard bytes.count >= 4 else {
            throw MNISTError(file: file, problem: .truncated(expectedBytes: headerLength, foundBytes: bytes.count))
        }
        let found = Self.bigEndianUInt32(bytes, at: 0)
        guard found == magic else {
            throw MNISTError(file: file, problem: .wrongMagic(expected: magic, found: found))
        }
        guard bytes.count >= headerLength else {
            throw MNISTError(file: file, problem: .truncated(expectedBytes: headerLength, foundBytes: bytes.count))
        }
        let dimensions = (0..<dimensionCount).map { Int(Self.bigEndianUInt32(bytes, at: 4 + 4 * $0)) }

        // A corrupt header can claim sizes whose product overflows; say so as a
        // truncation (no file could hold that many bytes) rather than trapping.
        var payloadLength = 1
        var overflow = false
        for size in dimensions {
            let (product, overflowed) = payloadLength.multipliedReportingOverflow(by: size)
            (payloadLength, overflow) = (product, overflow || overflowed)
        }
        if dimensions.contains(0) { (payloadLength, overflow) = (0, false) }
        let expected = overflow || payloadLength > Int.max - headerLength ? Int.max : headerLength + payloadLength
        guard bytes.count >= expected else {
            throw MNISTError(file: file, problem: .truncated(expectedBytes: expected, foundBytes: bytes.count))
        }
        guard bytes.count == expected else {
            throw MNISTError(file: file, problem: .trailingBytes(expectedBytes: expected, foundBytes: bytes.count))
        }
        self.dimensions = dimensions
        self.payload = Array(bytes[headerLength...])
    }

    /// Reads and parses `url`, decompressing it first if its name ends in `.gz`. With
    /// `maximumCount`, a header announcing more items than that is refused before
    /// anything is decompressed, so the memory a file takes follows what the reader
    /// accepts, not what its header claims.
    public init(contentsOf url: URL, dimensionCount: Int, maximumCount: Int? = nil) throws(MNISTError) {
        let bytes = try Self.readBytes(url, maximumCount: maximumCount)
        try self.init(parsing: bytes, dimensionCount: dimensionCount, file: url.path)
    }

    /// Refuses `header` (the first bytes of an IDX file) when it announces more than
    /// `maximum` items; says nothing of any other header (parsing names its problems).
    static func requireAtMost(_ maximum: Int?, in header: [UInt8], file: String) throws(MNISTError) {
        guard let maximum, header.count >= 8, header[0] == 0, header[1] == 0, header[2] == 0x08 else { return }
        let count = Int(bigEndianUInt32(header, at: 4))
        if count > maximum { throw MNISTError(file: file, problem: .tooManyItems(count: count, maximum: maximum)) }
    }

    /// The bytes of `url`, gunzipped when the name ends in `.gz`.
    static func readBytes(_ url: URL, maximumCount: Int? = nil) throws(MNISTError) -> [UInt8] {
        let bytes: [UInt8]
        do {
            bytes = try BinaryFile.read(url)
        } catch {
            switch error {
            case .missing: throw MNISTError(file: url.path, problem: .missingFile)
            case .unreadable(let reason): throw MNISTError(file: url.path, problem: .unreadable(reason))
            }
        }
        guard url.pathExtension == "gz" else {
            try requireAtMost(maximumCount, in: Array(bytes.prefix(8)), file: url.path)
            return bytes
        }
        let header: [UInt8]
        do throws(GzipError) {
            header = try Gzip.prefix(bytes, count: 4 + 4 * 4)
        } catch {
            throw MNISTError(file: url.path, problem: .gzip(error.reason))
        }
        try requireAtMost(maximumCount, in: header, file: url.path)
        do throws(GzipError) {
            // The header first: it says how many bytes the file holds, and nothing is
            // inflated beyond them (a small file of a gigabyte of zeros stops early).
            guard let size = announcedSize(header) else { return header }  // parsing says what is wrong
            do throws(GzipError) {
                return try Gzip.decompress(bytes, limit: size)
            } catch  where error.exceededLimit {
                throw GzipError("it inflates to more than the \(size) bytes its IDX header announces")
            }
        } catch {
            throw MNISTError(file: url.path, problem: .gzip(error.reason))
        }
    }

    /// The size an IDX header of unsigned bytes announces, 4 + 4·d + ∏ dimensions, at
    /// most 2³¹; nil when the bytes are no such header or announce more (parsing the
    /// header alone then names the problem).
    static func announcedSize(_ header: [UInt8]) -> Int? {
        guard header.count >= 4, header[0] == 0, header[1] == 0, header[2] == 0x08 else { return nil }
        let d = Int(header[3])
        guard (1...4).contains(d), header.count >= 4 + 4 * d else { return nil }
        var size = 1
        for k in 0..<d {
            let (product, overflow) = size.multipliedReportingOverflow(by: Int(bigEndianUInt32(header, at: 4 + 4 * k)))
            guard !overflow, product <= 1 << 31 else { return nil }
            size = product
        }
        return 4 + 4 * d + size
    }

    /// The big-endian 32-bit number at `offset`.
    static func bigEndianUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
