import Foundation

/// A gzip (RFC 1952) decompressor with its own inflate (RFC 1951), so Learn reads the
/// MNIST files as published with no tool and no library beyond Foundation.
///
/// A gzip file is one or more *members*, each
///
///     1F 8B · method 8 (deflate) · flags · mtime (4) · extra flags · OS
///     [extra field] [file name, zero-ended] [comment, zero-ended] [header CRC-16]
///     deflate data
///     CRC-32 of the uncompressed data · its length mod 2³² (both little-endian)
///
/// Both trailer fields are checked, so a corrupt or truncated download is an error,
/// never a silently different data set.
///
/// Deflate data is a sequence of blocks, each stored (raw bytes), or Huffman-coded
/// with a fixed code or with codes sent in the block. Huffman codes are decoded one bit
/// at a time by the canonical-code walk of Mark Adler's `puff.c` — slower than zlib's
/// tables (MNIST's 10 MB still take well under a second) but short enough to read.
///
/// See also: ``Checksum/crc32(_:continuing:)``, ``PNG/zlibStored(_:)`` (the writing
/// side, stored blocks only).
public enum Gzip {
    /// The uncompressed contents of a gzip file (all members, concatenated), refusing
    /// to inflate beyond `limit` bytes (a reader that knows the size to expect passes
    /// it, so a 1 MB file of a gigabyte of zeros stops at the first byte too many).
    public static func decompress(_ bytes: [UInt8], limit: Int = .max) throws(GzipError) -> [UInt8] {
        var output: [UInt8] = []
        // The last four bytes give the (last member's) length: a good first guess, but
        // an untrusted one — a flipped bit there must not reserve gigabytes. So at most
        // 16 times the file is reserved (MNIST's images inflate about 5-fold); a file that
        // really inflates further just grows the array as it goes.
        if bytes.count >= 4 {
            let hint = bytes[(bytes.count - 4)...].reversed().reduce(0) { $0 << 8 | Int($1) }
            output.reserveCapacity(min(hint, 16 * bytes.count, limit))
        }
        var position = 0
        repeat {
            // gzip -dc also reads members one after another, and ignores zero bytes after
            // the last (padding to a block size); anything else after the first member is
            // named as such rather than as "not gzip data".
            if position > 0 && !(bytes[position] == 0x1F && bytes.dropFirst(position + 1).first == 0x8B) {
                if bytes[position...].allSatisfy({ $0 == 0 }) { break }
                throw GzipError("\(bytes.count - position) unexpected bytes after the compressed data")
            }
            position = try decompressMember(bytes, at: position, into: &output, limit: limit)
        } while position < bytes.count
        return output
    }

    /// The first `count` uncompressed bytes (fewer if the data hold fewer), inflating
    /// no further: enough to read a file's header before deciding how much to inflate.
    public static func prefix(_ bytes: [UInt8], count: Int) throws(GzipError) -> [UInt8] {
        var output: [UInt8] = []
        do {
            _ = try decompressMember(bytes, at: 0, into: &output, limit: count)
        } catch  where error.exceededLimit {
            // The inflater stopped at the limit; what it wrote so far is the prefix.
        }
        return Array(output.prefix(count))
    }

    /// Decompresses the member starting at `start`, appending to `output`; returns where
    /// the next member starts.
    static func decompressMember(
        _ bytes: [UInt8], at start: Int, into output: inout [UInt8], limit: Int = .max
    ) throws(GzipError) -> Int {
        var p = start
        func need(_ n: Int, _ what: String) throws(GzipError) {
            guard p + n <= bytes.count else { throw GzipError("the file ends inside the \(what)") }
        }
        try need(10, "header")
        guard bytes[p] == 0x1F && bytes[p + 1] == 0x8B else {
            let found = String(format: "%02X %02X", bytes[p], bytes[p + 1])
            throw GzipError("not gzip data: starts with \(found), expected 1F 8B")
        }
        guard bytes[p + 2] == 8 else {
            throw GzipError("unknown compression method \(bytes[p + 2]) (only 8, deflate, exists)")
        }
        let flags = bytes[p + 3]
        p += 10
        if flags & 0x04 != 0 {  // FEXTRA: a length, then that many bytes
            try need(2, "extra field")
            let length = Int(bytes[p]) | Int(bytes[p + 1]) << 8
            p += 2
            try need(length, "extra field")
            p += length
        }
        for (flag, what) in [(UInt8(0x08), "file name"), (0x10, "comment")] where flags & flag != 0 {
            // Zero-terminated strings.
            while true {
                try need(1, what)
                p += 1
                if bytes[p - 1] == 0 { break }
            }
        }
        if flags & 0x02 != 0 {  // FHCRC: a CRC-16 of the header, which we skip
            try need(2, "header checksum")
            p += 2
        }

        let first = output.count
        var inflater = Inflater(input: bytes, position: p, limit: limit)
        try inflater.inflate(into: &output)
        p = inflater.bytePosition

        try need(8, "trailer (CRC-32 and length)")
        let storedCRC = littleEndianUInt32(bytes, at: p)
        let storedLength = littleEndianUInt32(bytes, at: p + 4)
        let computedCRC = Checksum.crc32(output[first...])
        guard storedCRC == computedCRC else {
            throw GzipError(
                "CRC-32 mismatch: the file says \(hex(storedCRC)), the data give \(hex(computedCRC)) (the file is corrupt)"
            )
        }
        let length = UInt32(truncatingIfNeeded: output.count - first)
        guard storedLength == length else {
            throw GzipError("length mismatch: the file says \(storedLength) bytes (mod 2³²), inflated \(length)")
        }
        return p + 8
    }

    /// The little-endian 32-bit number at `offset`.
    static func littleEndianUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<(offset + 4)].reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    static func hex(_ x: UInt32) -> String { String(format: "0x%08X", x) }
}

/// Why gzip data could not be decompressed, in one sentence.
public struct GzipError: Error, Equatable, CustomStringConvertible {
    /// What is wrong, e.g. "CRC-32 mismatch: …".
    public let reason: String
    /// True when the data would inflate beyond the limit the reader set.
    public let exceededLimit: Bool
    /// An error with the given reason.
    public init(_ reason: String, exceededLimit: Bool = false) {
        (self.reason, self.exceededLimit) = (reason, exceededLimit)
    }
    /// The reason.
    public var description: String { reason }
}

/// The deflate decoder: reads bits least significant first, as RFC 1951 packs them.
struct Inflater {
    let input: [UInt8]
    /// The next byte to load into `bitBuffer`.
    var position: Int
    /// Bits read but not yet used, the next one in the lowest place.
    var bitBuffer: UInt64 = 0
    var bitCount = 0

    /// The most bytes `output` may hold.
    let limit: Int

    init(input: [UInt8], position: Int, limit: Int = .max) {
        (self.input, self.position, self.limit) = (input, position, limit)
    }

    /// How many of `more` bytes fit under ``limit``.
    @inline(__always)
    func room(for more: Int, in output: [UInt8]) -> Int { min(more, limit - output.count) }

    /// The error for output that would grow past ``limit`` (what fitted is written).
    var beyondLimit: GzipError { GzipError("the data inflate to more than \(limit) bytes", exceededLimit: true) }

    /// The byte after the last one the decoder used (its leftover bits are padding).
    var bytePosition: Int { position - bitCount / 8 }

    /// The next `n` bits (n ≤ 32) as a number, the first bit read the least significant.
    @inline(__always)
    mutating func bits(_ n: Int) throws(GzipError) -> Int {
        while bitCount < n {
            guard position < input.count else { throw GzipError("the deflate data end early") }
            bitBuffer |= UInt64(input[position]) << UInt64(bitCount)
            position += 1
            bitCount += 8
        }
        let value = Int(bitBuffer & ((1 << UInt64(n)) - 1))
        bitBuffer >>= UInt64(n)
        bitCount -= n
        return value
    }

    /// Decodes blocks until the one marked final.
    mutating func inflate(into output: inout [UInt8]) throws(GzipError) {
        var isFinal = false
        while !isFinal {
            isFinal = try bits(1) == 1
            switch try bits(2) {
            case 0: try storedBlock(into: &output)
            case 1: try codedBlock(Self.fixedCodes.literalLength, Self.fixedCodes.distance, into: &output)
            case 2:
                let (literalLength, distance) = try dynamicCodes()
                try codedBlock(literalLength, distance, into: &output)
            default: throw GzipError("invalid deflate block type 3")
            }
        }
    }

    /// A stored block: skip to a byte boundary, LEN, NLEN = ~LEN, then LEN raw bytes.
    mutating func storedBlock(into output: inout [UInt8]) throws(GzipError) {
        _ = try bits(bitCount % 8)
        let length = try bits(16)
        let complement = try bits(16)
        guard length == ~complement & 0xFFFF else {
            throw GzipError("stored block length \(length) does not match its complement")
        }
        // `bits` never leaves a whole byte in the buffer, so after the skip above the
        // block's bytes start exactly at `position` and can be copied in one go.
        guard position + length <= input.count else {
            throw GzipError("a stored block of \(length) bytes runs past the end of the data")
        }
        let fits = room(for: length, in: output)
        output += input[position..<(position + fits)]
        guard fits == length else { throw beyondLimit }
        position += length
    }

    /// A Huffman code in canonical form: how many codes have each length 1…15, and
    /// the symbols sorted by (length, symbol value).
    struct Huffman {
        var counts = [Int](repeating: 0, count: 16)
        var symbols: [Int] = []

        /// The canonical code for the given code lengths (0 = symbol unused).
        init(lengths: [Int]) throws(GzipError) {
            for length in lengths { counts[length] += 1 }
            counts[0] = 0
            // Each length doubles the codes available; more codes than that cannot be
            // told apart. (Fewer is allowed: an incomplete code, e.g. one distance.)
            var left = 1
            for length in 1...15 {
                left = 2 * left - counts[length]
                guard left >= 0 else { throw GzipError("an over-subscribed Huffman code") }
            }
            symbols.reserveCapacity(lengths.count)
            for length in 1...15 {
                for (symbol, l) in lengths.enumerated() where l == length { symbols.append(symbol) }
            }
        }
    }

    /// Reads one symbol: extend the code a bit at a time until it falls among the
    /// codes of the current length (canonical codes of one length are consecutive).
    @inline(__always)
    mutating func decode(_ code: Huffman) throws(GzipError) -> Int {
        var value = 0, first = 0, index = 0
        for length in 1...15 {
            value |= try bits(1)
            let count = code.counts[length]
            if value - first < count { return code.symbols[index + value - first] }
            index += count
            first = (first + count) << 1
            value <<= 1
        }
        throw GzipError("an invalid Huffman code in the deflate data")
    }

    static let lengthBase = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227,
        258,
    ]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
        4097, 6145, 8193, 12289, 16385, 24577,
    ]
    static let distanceExtra = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]

    /// Literals and lengths 0…255 are bytes, 256 ends the block, 257…285 start a copy
    /// of an earlier stretch of the output (length, then distance back).
    mutating func codedBlock(
        _ literalLength: Huffman, _ distance: Huffman, into output: inout [UInt8]
    ) throws(GzipError) {
        while true {
            let symbol = try decode(literalLength)
            if symbol < 256 {
                guard output.count < limit else { throw beyondLimit }
                output.append(UInt8(symbol))
                continue
            }
            if symbol == 256 { return }
            let l = symbol - 257
            guard l < 29 else { throw GzipError("invalid length symbol \(symbol)") }
            let length = Self.lengthBase[l] + (try bits(Self.lengthExtra[l]))
            let d = try decode(distance)
            guard d < 30 else { throw GzipError("invalid distance symbol \(d)") }
            let back = Self.distanceBase[d] + (try bits(Self.distanceExtra[d]))
            guard back <= output.count else {
                throw GzipError("a copy reaches \(back) bytes back, but only \(output.count) have been written")
            }
            // Byte by byte on purpose: the source may overlap what is being written
            // (distance 1, length 100 repeats one byte 100 times).
            let fits = room(for: length, in: output)
            var from = output.count - back
            for _ in 0..<fits {
                output.append(output[from])
                from += 1
            }
            guard fits == length else { throw beyondLimit }
        }
    }

    /// The codes of block type 1, fixed by the standard.
    static let fixedCodes: (literalLength: Huffman, distance: Huffman) = {
        var lengths = [Int](repeating: 8, count: 288)
        for s in 144..<256 { lengths[s] = 9 }
        for s in 256..<280 { lengths[s] = 7 }
        // These codes are valid by construction, so building them cannot fail.
        let literalLength = try! Huffman(lengths: lengths)
        let distance = try! Huffman(lengths: [Int](repeating: 5, count: 30))
        return (literalLength, distance)
    }()

    /// The order in which a dynamic block lists the code-length code's lengths (the
    /// often-used lengths first, so trailing zeros can be left out).
    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// Block type 2 sends its own codes, themselves Huffman-coded: HLIT, HDIST, HCLEN,
    /// the code-length code, then the literal/length and distance code lengths (with
    /// 16 = repeat the previous length, 17 and 18 = runs of zeros).
    mutating func dynamicCodes() throws(GzipError) -> (Huffman, Huffman) {
        let literalCount = try bits(5) + 257
        let distanceCount = try bits(5) + 1
        let codeLengthCount = try bits(4) + 4
        guard literalCount <= 286 && distanceCount <= 30 else {
            throw GzipError(
                "a dynamic block declares \(literalCount) literal/length and \(distanceCount) distance codes")
        }
        var codeLengthLengths = [Int](repeating: 0, count: 19)
        for k in 0..<codeLengthCount { codeLengthLengths[Self.codeLengthOrder[k]] = try bits(3) }
        let codeLengthCode = try Huffman(lengths: codeLengthLengths)

        var lengths: [Int] = []
        lengths.reserveCapacity(literalCount + distanceCount)
        while lengths.count < literalCount + distanceCount {
            let symbol = try decode(codeLengthCode)
            let (value, repeats): (Int, Int)
            switch symbol {
            case 0...15: (value, repeats) = (symbol, 1)
            case 16:
                guard let previous = lengths.last else { throw GzipError("a repeat code with nothing to repeat") }
                (value, repeats) = (previous, 3 + (try bits(2)))
            case 17: (value, repeats) = (0, 3 + (try bits(3)))
            default: (value, repeats) = (0, 11 + (try bits(7)))
            }
            guard lengths.count + repeats <= literalCount + distanceCount else {
                throw GzipError("code lengths run past the end of the table")
            }
            lengths += repeatElement(value, count: repeats)
        }
        guard lengths[256] > 0 else { throw GzipError("a dynamic block without an end-of-block code") }
        return (
            try Huffman(lengths: Array(lengths[..<literalCount])),
            try Huffman(lengths: Array(lengths[literalCount...]))
        )
    }
}
