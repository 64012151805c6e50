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
