/// Byte-order helpers shared by the binary formats Learn writes (PNG, checkpoints).
extension Array where Element == UInt8 {
    /// Appends an integer most significant byte first (PNG's and zlib's order).
    mutating func appendBigEndian<I: FixedWidthInteger>(_ value: I) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }

    /// Appends an integer least significant byte first (deflate's and Learn's
    /// checkpoints' order).
    mutating func appendLittleEndian<I: FixedWidthInteger>(_ value: I) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
