/// The two checksums of the PNG and zlib formats, also used by Learn's checkpoints and
/// gzip reader (one implementation, one place to check).
///
/// Check values (the usual test vectors): `crc32("123456789") = 0xCBF43926`,
/// `adler32("Wikipedia") = 0x11E60398`.
public enum Checksum {
    /// CRC-32 (ISO 3309, as in PNG, gzip, zip and Ethernet): the remainder of the
    /// message, as a polynomial over GF(2), divided by
    /// x³² + x²⁶ + x²³ + x²² + x¹⁶ + x¹² + x¹¹ + x¹⁰ + x⁸ + x⁷ + x⁵ + x⁴ + x² + x + 1,
    /// processed least-significant bit first (so the polynomial reads reversed,
    /// 0xEDB88320), with the register starting at all ones and inverted at the end.
    ///
    /// - Parameter bytes: the message, or the next piece of it.
    /// - Parameter previous: the CRC of the bytes before these, to checksum a long
    ///   message piece by piece; 0 for a fresh start.
    public static func crc32<Bytes: Sequence<UInt8>>(_ bytes: Bytes, continuing previous: UInt32 = 0) -> UInt32 {
        var c = ~previous
        for byte in bytes {
            // Eight bit-by-bit division steps at once, looked up by the low byte.
            c = crcTable[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8)
        }
        return ~c
    }

    /// Adler-32 (RFC 1950): `a = 1 + Σ bytes`, `b = Σ of the running a`, both mod
    /// 65521 (the largest prime below 2¹⁶), packed as `b·2¹⁶ + a`. Weaker than a CRC but
    /// cheap; zlib uses it for the uncompressed data.
    public static func adler32<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt32 {
        let modulus: UInt32 = 65_521
        var (a, b): (UInt32, UInt32) = (1, 0)
        var pending = 0
        for byte in bytes {
            a += UInt32(byte)
            b += a
            pending += 1
            // Reduce only every 5552 bytes: the largest run for which b cannot
            // overflow 32 bits (zlib's NMAX), which saves two divisions per byte.
            if pending == 5552 {
                (a, b, pending) = (a % modulus, b % modulus, 0)
            }
        }
        return (b % modulus) << 16 | (a % modulus)
    }

    /// The CRC-32 of each single byte, computed once.
    static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 {
            c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1
        }
        return c
    }
}
