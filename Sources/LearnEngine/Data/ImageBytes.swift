/// Images kept as their bytes, one per pixel (0…255), and scaled to `Float` in [−1, 1]
/// (x/127.5 − 1, the range of the generator's tanh) only for the rows a batch asks
/// for: a quarter of the memory of the same images as `Float`, so that what a data set
/// takes follows what was decoded — 784 bytes per MNIST image.
public struct ImageBytes: ImageRows, Equatable {
    /// The number of images.
    public let rows: Int
    /// The pixels per image.
    public let columns: Int
    /// Every pixel, image after image.
    public let bytes: [UInt8]

    /// `rows` images of `columns` pixels each, from their bytes.
    public init(bytes: [UInt8], rows: Int, columns: Int) {
        ensure(
            rows >= 0 && columns > 0 && bytes.count == rows * columns,
            "ImageBytes: \(bytes.count) bytes are not \(rows) images of \(columns) pixels")
        (self.bytes, self.rows, self.columns) = (bytes, rows, columns)
    }

    /// A pixel's value as training sees it.
    @inlinable
    public static func scaled(_ byte: UInt8) -> Float { Float(byte) / 127.5 - 1 }

    /// The images at `indices`, in that order, one per row, scaled to [−1, 1].
    public func selectingRows(_ indices: [Int]) -> Matrix<Float> {
        for i in indices { ensure(i >= 0 && i < rows, "image \(i) is outside 0..<\(rows)") }
        let width = columns
        // Through raw buffers, so the inner loop has no bounds or uniqueness checks and
        // vectorises: element by element, taking the batches was 12% of an MLP's epoch
        // on CIFAR-10 (now 5%). Each value is still `scaled(byte)`.
        return bytes.withUnsafeBufferPointer { source in
            Matrix(rows: indices.count, columns: width) { out in
                for (row, i) in indices.enumerated() {
                    let (from, to) = (i * width, row * width)
                    for k in 0..<width { out[to + k] = Self.scaled(source[from + k]) }
                }
            }
        }
    }

    /// The first `count` images.
    public func prefix(_ count: Int) -> ImageBytes {
        let n = max(0, min(count, rows))
        return ImageBytes(bytes: Array(bytes[..<(n * columns)]), rows: n, columns: columns)
    }

    /// Every image as `Float`, one per row: four times the memory (for a test set, or a
    /// look at the pixels).
    public var matrix: Matrix<Float> { selectingRows(Array(0..<rows)) }
}
