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
