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

    /// Reads and parses `url`, decompressing it first if its name ends in `.gz`.
    public init(contentsOf url: URL, dimensionCount: Int) throws(MNISTError) {
        let bytes = try Self.readBytes(url)
        try self.init(parsing: bytes, dimensionCount: dimensionCount, file: url.path)
    }

    /// The bytes of `url`, gunzipped when the name ends in `.gz`.
    static func readBytes(_ url: URL) throws(MNISTError) -> [UInt8] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let exists = FileManager.default.fileExists(atPath: url.path)
            throw MNISTError(
                file: url.path, problem: exists ? .unreadable(error.localizedDescription) : .missingFile)
        }
        let bytes = [UInt8](data)
        guard url.pathExtension == "gz" else { return bytes }
        do {
            return try Gzip.decompress(bytes)
        } catch {
            throw MNISTError(file: url.path, problem: .gzip(error.reason))
        }
    }

    /// The big-endian 32-bit number at `offset`.
    static func bigEndianUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
