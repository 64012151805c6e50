import Foundation
import EngineTesting
import LearnEngine
import Testing

/// The PNG writer, checked by a decoder written here from the specification, with its
/// own bit-by-bit CRC-32 and Adler-32, so a mistake shared by writer and checksum
/// table cannot hide.
@Suite("PNG writer and checksums")
struct PNGTests {
    // MARK: An independent decoder

    /// CRC-32 one bit at a time, straight from the definition (reflected 0x04C11DB7).
    static func slowCRC32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            c ^= UInt32(byte)
            for _ in 0..<8 { c = (c >> 1) ^ (c & 1 == 1 ? 0xEDB8_8320 : 0) }
        }
        return ~c
    }

    /// Adler-32 reducing at every byte, straight from RFC 1950.
    static func slowAdler32(_ bytes: [UInt8]) -> UInt32 {
        var (a, b): (UInt32, UInt32) = (1, 0)
        for byte in bytes {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return b << 16 | a
    }

    static func bigEndian(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }

    struct Decoded {
        var width = 0, height = 0
        var bitDepth: UInt8 = 0, colourType: UInt8 = 0
        var compression: UInt8 = 0, filter: UInt8 = 0, interlace: UInt8 = 0
        var chunkTypes: [String] = []
        var storedBlockSizes: [Int] = []
        var pixels: [UInt8] = []
    }

    /// Decodes a PNG this writer could have made, recording an issue at the first
    /// thing that breaks the specification.
    static func decode(_ file: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws -> Decoded {
        var d = Decoded()
        #expect(
            Array(file[0..<8]) == [137, 80, 78, 71, 13, 10, 26, 10], "PNG signature", sourceLocation: sourceLocation)
        var p = 8
        var idat: [UInt8] = []
        while p < file.count {
            try #require(p + 12 <= file.count, "chunk header at \(p) runs past the end", sourceLocation: sourceLocation)
            let length = Int(bigEndian(file[p..<(p + 4)]))
            let type = String(decoding: file[(p + 4)..<(p + 8)], as: UTF8.self)
            try #require(
                p + 12 + length <= file.count, "chunk \(type) runs past the end", sourceLocation: sourceLocation)
            let data = Array(file[(p + 8)..<(p + 8 + length)])
            let crc = bigEndian(file[(p + 8 + length)..<(p + 12 + length)])
            #expect(
                crc == slowCRC32(Array(file[(p + 4)..<(p + 8)]) + data), "CRC of chunk \(type)",
                sourceLocation: sourceLocation)
            d.chunkTypes.append(type)
            switch type {
            case "IHDR":
                try #require(length == 13, "IHDR is 13 bytes", sourceLocation: sourceLocation)
                d.width = Int(bigEndian(data[0..<4]))
                d.height = Int(bigEndian(data[4..<8]))
                (d.bitDepth, d.colourType, d.compression, d.filter, d.interlace) = (
                    data[8], data[9], data[10], data[11], data[12]
                )
            case "IDAT": idat += data
            default: break
            }
            p += 12 + length
        }

        // zlib: CMF = 0x78 (deflate, 32 KB window); the header is a multiple of 31.
        try #require(idat.count >= 6, "zlib stream too short", sourceLocation: sourceLocation)
        #expect(idat[0] & 0x0F == 8, "zlib method deflate", sourceLocation: sourceLocation)
        #expect((Int(idat[0]) * 256 + Int(idat[1])) % 31 == 0, "zlib header check", sourceLocation: sourceLocation)
        #expect(idat[1] & 0x20 == 0, "no preset dictionary", sourceLocation: sourceLocation)
        var q = 2
        var raw: [UInt8] = []
        var final = false
        while !final {
            try #require(
                q + 5 <= idat.count - 4, "stored block header at \(q) runs past the end", sourceLocation: sourceLocation
            )
            final = idat[q] & 1 == 1
            #expect(idat[q] >> 1 == 0, "block type 00 (stored), padding zero", sourceLocation: sourceLocation)
            let len = Int(idat[q + 1]) | Int(idat[q + 2]) << 8
            let nlen = Int(idat[q + 3]) | Int(idat[q + 4]) << 8
            #expect(len ^ nlen == 0xFFFF, "NLEN is the complement of LEN", sourceLocation: sourceLocation)
            try #require(
                q + 5 + len <= idat.count - 4, "stored block runs past the end", sourceLocation: sourceLocation)
            raw += idat[(q + 5)..<(q + 5 + len)]
            d.storedBlockSizes.append(len)
            q += 5 + len
        }
        #expect(q == idat.count - 4, "the Adler-32 follows the last block", sourceLocation: sourceLocation)
        #expect(bigEndian(idat[q...]) == slowAdler32(raw), "Adler-32 of the scanlines", sourceLocation: sourceLocation)

        let rowBytes = d.width * (d.colourType == 2 ? 3 : 1)
        try #require(raw.count == d.height * (rowBytes + 1), "scanline bytes", sourceLocation: sourceLocation)
        for y in 0..<d.height {
            let line = y * (rowBytes + 1)
            #expect(raw[line] == 0, "filter type of scanline \(y)", sourceLocation: sourceLocation)
            d.pixels += raw[(line + 1)..<(line + 1 + rowBytes)]
        }
        return d
    }

    // MARK: Checksums

    @Test("CRC-32 check value: crc32(\"123456789\") = 0xCBF43926")
    func crcCheckValue() {
        #expect(Checksum.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(Checksum.crc32([UInt8]()) == 0)
        // The CRC of "IEND" is in every PNG file ever written.
        #expect(Checksum.crc32(Array("IEND".utf8)) == 0xAE42_6082)
    }

    @Test("Adler-32 check value: adler32(\"Wikipedia\") = 0x11E60398")
    func adlerCheckValue() {
        #expect(Checksum.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
        #expect(Checksum.adler32([UInt8]()) == 1)
    }

    @Test("checksums agree with the bit-by-bit definitions", arguments: [1, 5551, 5552, 5553, 100_000])
    func checksumsAgree(count: Int) {
        // All 255s is the worst case for Adler-32's deferred reduction.
        let ones = [UInt8](repeating: 255, count: count)
        let ramp = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        for bytes in [ones, ramp] {
            #expect(Checksum.crc32(bytes) == Self.slowCRC32(bytes))
            #expect(Checksum.adler32(bytes) == Self.slowAdler32(bytes))
        }
    }

    @Test("a CRC can be computed piece by piece")
    func crcContinues() {
        let message = Array("The quick brown fox jumps over the lazy dog".utf8)
        let head = Checksum.crc32(message[..<10])
        #expect(Checksum.crc32(message[10...], continuing: head) == Checksum.crc32(message))
        #expect(Checksum.crc32(message) == 0x414F_A339)
    }

    // MARK: Encoding

    @Test(
        "encodes a W×H grayscale image that decodes back to its pixels",
        arguments: [(1, 1), (3, 2), (28, 28), (152, 152), (65_534, 1), (65_535, 1), (300, 300)])
    func roundTrip(width: Int, height: Int) throws {
        let pixels = (0..<(width * height)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 / 7) }
        let file = PNG.encode(width: width, height: height, pixels: pixels)
        let d = try Self.decode(file)
        #expect(d.chunkTypes == ["IHDR", "IDAT", "IEND"])
        #expect((d.width, d.height) == (width, height))
        #expect([d.bitDepth, d.colourType, d.compression, d.filter, d.interlace] == [8, 0, 0, 0, 0])
        #expect(d.pixels == pixels)
        // Blocks are full except the last, and never over 65535 bytes.
        let total = height * (width + 1)
        #expect(d.storedBlockSizes.dropLast().allSatisfy { $0 == 65_535 })
        #expect(d.storedBlockSizes.reduce(0, +) == total)
        #expect(d.storedBlockSizes.count == (total + 65_534) / 65_535)
    }

    @Test("a colour image is colour type 2 with three values a pixel, in the order given")
    func colour() throws {
        let rgb: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90]
        let d = try Self.decode(PNG.encode(width: 3, height: 2, rgb: rgb))
        #expect((d.width, d.height, d.bitDepth, d.colourType) == (3, 2, 8, 2))
        #expect(d.pixels == rgb)
        #expect(try Self.decode(PNG.encode(width: 3, height: 2, pixels: Array(rgb[0..<6]))).colourType == 0)
    }

    @Test("a 1×1 black pixel is exactly the expected 70 bytes")
    func smallestFile() {
        let file = PNG.encode(width: 1, height: 1, pixels: [0])
        // signature 8 + IHDR 25 + IDAT (12 + 2 + 5 + 2 + 4) + IEND 12
        #expect(file.count == 8 + 25 + 25 + 12)
        #expect(Array(file.suffix(12)) == [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])
    }

    // MARK: Writing

    @Test("write puts the encoded bytes in the file, and leaves no temporary file")
    func writes() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("image.png")
        try PNG.write(width: 2, height: 2, pixels: [0, 85, 170, 255], to: url)
        let written = try [UInt8](Data(contentsOf: url))
        #expect(written == PNG.encode(width: 2, height: 2, pixels: [0, 85, 170, 255]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["image.png"])
    }

    @Test("a write that cannot happen throws an error naming the path, and keeps the old file")
    func failedWrite() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("no/such/dir/image.png")
        #expect(throws: OutputFileError.self) { try PNG.write(width: 1, height: 1, pixels: [0], to: missing) }
        do {
            try PNG.write(width: 1, height: 1, pixels: [0], to: missing)
        } catch {
            #expect(error.path == missing.path)
            #expect(error.description.contains("No such file or directory"))
        }

        // Block the temporary file's place with a directory: the write fails before
        // the rename, and the picture already there survives.
        let url = directory.appendingPathComponent("keep.png")
        let old = PNG.encode(width: 1, height: 1, pixels: [7])
        try Data(old).write(to: url)
        try FileManager.default.createDirectory(
            atPath: BinaryFile.temporaryPath(for: url.path), withIntermediateDirectories: false)
        #expect(throws: OutputFileError.self) { try PNG.write(width: 1, height: 1, pixels: [9], to: url) }
        #expect(try [UInt8](Data(contentsOf: url)) == old)
    }
}

/// The image grid: layout, brightness mapping and the errors for images that do not fit.
@Suite("Image grid")
struct ImageGridTests {
    @Test("the picture's size counts images, scale and padding")
    func size() {
        let grid = ImageGrid(rows: 5, columns: 5, padding: 2)
        #expect((grid.width, grid.height) == (5 * 28 + 6 * 2, 5 * 28 + 6 * 2))
        let strip = ImageGrid(rows: 1, columns: 9, padding: 3, scale: 2)
        #expect((strip.width, strip.height) == (9 * 56 + 10 * 3, 56 + 2 * 3))
    }

    @Test("a known pixel lands at the right place, scaled into a block")
    func layout() throws {
        // 2×3 grid of 4×3 images (height 4, width 3), padding 1, scale 2.
        let grid = ImageGrid(rows: 2, columns: 3, imageHeight: 4, imageWidth: 3, padding: 1, scale: 2, paddingValue: 9)
        var images = Matrix<Float>(rows: 5, columns: 12, repeating: -1)
        // Image 4 (grid row 1, column 1), pixel row 2, column 1: white.
        images[4, 2 * 3 + 1] = 1
        let picture = try grid.render(images)
        #expect((picture.width, picture.height) == (3 * 6 + 4, 2 * 8 + 3))
        let (left, top) = grid.origin(ofImage: 4)
        #expect((left, top) == (1 + 1 * (6 + 1), 1 + 1 * (8 + 1)))
        let (x, y) = (left + 1 * 2, top + 2 * 2)
        var white: [(Int, Int)] = []
        for py in 0..<picture.height {
            for px in 0..<picture.width where picture[x: px, y: py] == 255 { white.append((px, py)) }
        }
        #expect(
            white.map { "\($0.0),\($0.1)" } == ["\(x),\(y)", "\(x + 1),\(y)", "\(x),\(y + 1)", "\(x + 1),\(y + 1)"])
        // Borders and the empty sixth cell keep the padding colour; image pixels at −1 are black.
        #expect(picture[x: 0, y: 0] == 9)
        #expect(picture[x: left - 1, y: top] == 9)
        #expect(picture[x: left, y: top] == 0)
        let (emptyLeft, emptyTop) = grid.origin(ofImage: 5)
        #expect(picture[x: emptyLeft, y: emptyTop] == 9)
    }

    @Test(
        "values map to brightness round((v + 1)·127.5), clamped; NaN is black",
        arguments: [
            (-1.0, 0), (1.0, 255), (0.0, 128), (-0.5, 64), (-3.0, 0), (7.0, 255),
            (.infinity, 255), (-.infinity, 0), (.nan, 0),
        ] as [(Double, UInt8)])
    func brightness(value: Double, expected: UInt8) {
        #expect(ImageGrid.brightness(value) == expected)
        #expect(ImageGrid.brightness(Float(value)) == expected)
    }

    @Test("a matrix of the wrong width is an error naming both sizes")
    func wrongWidth() {
        let grid = ImageGrid(rows: 1, columns: 2)
        #expect(throws: ImageGridError.wrongImageSize(columns: 783, expected: 784, imageHeight: 28, imageWidth: 28)) {
            try grid.render(Matrix<Float>(rows: 2, columns: 783))
        }
        #expect(
            ImageGridError.wrongImageSize(columns: 783, expected: 784, imageHeight: 28, imageWidth: 28).description
                == "image grid expects rows of 28×28 = 784 pixels, but the matrix has 783 columns")
    }

    @Test("more images than cells is an error")
    func tooMany() {
        let grid = ImageGrid(rows: 1, columns: 9)
        #expect(throws: ImageGridError.tooManyImages(10, cells: 9, rows: 1, columns: 9)) {
            try grid.render(Matrix<Double>(rows: 10, columns: 784))
        }
    }

    @Test("a rendered grid is a valid PNG")
    func gridToPNG() throws {
        let grid = ImageGrid(rows: 2, columns: 2, scale: 3)
        var generator = SeededGenerator(seed: 4)
        let images = Matrix<Float>.uniform(rows: 3, columns: 784, bound: 1.5, using: &generator)
        let picture = try grid.render(images)
        let decoded = try PNGTests.decode(picture.pngData)
        #expect((decoded.width, decoded.height) == (picture.width, picture.height))
        #expect(decoded.pixels == picture.pixels)
    }
}
