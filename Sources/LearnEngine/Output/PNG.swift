import Foundation

/// A minimal PNG writer: 8-bit grayscale or colour, no compression — enough to look at a grid of
/// generated digits in any image viewer, in about a hundred lines a reader can check
/// against the specification (W3C PNG, 2nd edition; RFC 1950 zlib; RFC 1951 deflate).
///
/// A PNG file is an 8-byte signature followed by *chunks*. Each chunk is
///
///     length (4 bytes, big-endian) · type (4 ASCII letters) · data · CRC-32 of type + data
///
/// and this writer emits exactly three:
///
/// - `IHDR` — width, height (4 bytes each), bit depth 8, colour type 0 (grayscale) or 2 (RGB),
///   compression 0, filter 0, interlace 0;
/// - `IDAT` — the image as a zlib stream. Each scanline is one filter byte (0, "none")
///   followed by its `width` pixels (one byte each, or three for RGB). The zlib stream is a 2-byte header, the scanlines
///   in *stored* deflate blocks (a 5-byte header `BFINAL/BTYPE, LEN, NLEN` and then
///   `LEN ≤ 65535` raw bytes), and the Adler-32 of the uncompressed scanlines;
/// - `IEND` — empty, marks the end.
///
/// Stored blocks make the file about as large as the raw pixels (a 5×5 grid of MNIST
/// digits is ~20 KB), which is a fair price for a writer with no compressor to get wrong.
///
/// ```swift
/// let bytes = PNG.encode(width: 2, height: 1, pixels: [0, 255])
/// try PNG.write(width: 2, height: 1, pixels: [0, 255], to: URL(filePath: "out/pair.png"))
/// ```
///
/// See also: ``ImageGrid`` (turns a batch of images into pixels), ``Checksum``.
public enum PNG {
    /// The 8 bytes every PNG file starts with. The high-bit first byte catches 7-bit
    /// transports, and `\r\n`, `^Z`, `\n` catch line-ending conversions that would corrupt
    /// the binary data.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The most bytes a stored deflate block can hold: its length field is 16 bits.
    public static let maxStoredBlockSize = 65_535

    /// The complete PNG file for a `width × height` grayscale image.
    ///
    /// - Parameter width: the image's width in pixels, at least 1.
    /// - Parameter height: the image's height in pixels, at least 1.
    /// - Parameter pixels: `width·height` brightness values, row after row from the
    ///   top-left corner; 0 is black, 255 is white.
    /// - Returns: the bytes of the file, ready to write.
    public static func encode(width: Int, height: Int, pixels: [UInt8]) -> [UInt8] {
        encode(width: width, height: height, samples: pixels, colour: .grayscale)
    }

    /// The complete PNG file for a `width × height` colour image: `rgb` holds three
    /// values per pixel (red, green, blue, each 0–255), pixel after pixel, row after row
    /// from the top-left corner. Colour type 2 ("truecolour") instead of 0; otherwise as
    /// ``encode(width:height:pixels:)``.
    public static func encode(width: Int, height: Int, rgb: [UInt8]) -> [UInt8] {
        encode(width: width, height: height, samples: rgb, colour: .rgb)
    }

    /// The two colour types this writer emits, by their number in `IHDR`.
    enum Colour: UInt8 {
        case grayscale = 0, rgb = 2
        /// The values per pixel.
        var channels: Int { self == .rgb ? 3 : 1 }
    }

    static func encode(width: Int, height: Int, samples: [UInt8], colour: Colour) -> [UInt8] {
        // PNG stores the sizes as 31-bit numbers and forbids zero.
        ensure(
            width > 0 && height > 0 && width <= Int(Int32.max) && height <= Int(Int32.max),
            "PNG size must be between 1 and 2³¹−1 in each direction, got \(width)×\(height)")
        let rowBytes = width * colour.channels
        ensure(
            samples.count == rowBytes * height,
            "PNG of \(width)×\(height) needs \(rowBytes * height) values (\(colour.channels) a pixel), "
                + "got \(samples.count)")

        var header: [UInt8] = []
        header.appendBigEndian(UInt32(width))
        header.appendBigEndian(UInt32(height))
        // Bit depth 8, the colour type, compression 0 (zlib), filter method 0, no interlace.
        header += [8, colour.rawValue, 0, 0, 0]

        // Each scanline starts with its filter type; 0 means the bytes are the pixels.
        var scanlines: [UInt8] = []
        scanlines.reserveCapacity(height * (rowBytes + 1))
        for y in 0..<height {
            scanlines.append(0)
            scanlines += samples[(y * rowBytes)..<((y + 1) * rowBytes)]
        }

        var file = signature
        appendChunk("IHDR", header, to: &file)
        appendChunk("IDAT", zlibStored(scanlines), to: &file)
        appendChunk("IEND", [], to: &file)
        return file
    }

    /// Encodes the image (see ``encode(width:height:pixels:)``) and writes it to `url`
    /// atomically: a reader, or a crash halfway, never leaves a half-written picture.
    public static func write(width: Int, height: Int, pixels: [UInt8], to url: URL) throws(OutputFileError) {
        try BinaryFile.write(encode(width: width, height: height, pixels: pixels), to: url)
    }

    /// Encodes the colour image (see ``encode(width:height:rgb:)``) and writes it to
    /// `url` atomically.
    public static func write(width: Int, height: Int, rgb: [UInt8], to url: URL) throws(OutputFileError) {
        try BinaryFile.write(encode(width: width, height: height, rgb: rgb), to: url)
    }

    /// `data` as a zlib stream (RFC 1950) whose deflate data are stored blocks only.
    ///
    ///     0x78 0x01 · blocks · Adler-32 (big-endian)
    ///
    /// 0x78 says "deflate, 32 KB window"; 0x01 makes the 16-bit header a multiple of 31,
    /// the check zlib requires, and declares the fastest compression level (honestly:
    /// none). Each block is `BFINAL·BTYPE` (1 on the last block, 0 otherwise; BTYPE 00 =
    /// stored), then LEN and NLEN = ~LEN, both little-endian, then LEN bytes.
    public static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var stream: [UInt8] = [0x78, 0x01]
        stream.reserveCapacity(data.count + 5 * (data.count / maxStoredBlockSize + 1) + 6)
        var start = 0
        repeat {
            // An empty input still needs one (empty, final) block.
            let end = min(start + maxStoredBlockSize, data.count)
            let length = UInt16(end - start)
            stream.append(end == data.count ? 1 : 0)
            stream.appendLittleEndian(length)
            stream.appendLittleEndian(~length)
            stream += data[start..<end]
            start = end
        } while start < data.count
        stream.appendBigEndian(Checksum.adler32(data))
        return stream
    }

    /// Appends one chunk: length, type, data, and the CRC-32 of type and data.
    static func appendChunk(_ type: String, _ data: [UInt8], to file: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        ensure(typeBytes.count == 4, "a PNG chunk type has 4 letters, got \(type)")
        file.appendBigEndian(UInt32(data.count))
        file += typeBytes
        file += data
        file.appendBigEndian(Checksum.crc32(typeBytes + data))
    }
}
