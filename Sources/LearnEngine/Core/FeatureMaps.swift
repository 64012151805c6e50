import Foundation

/// A batch of images, N×C×H×W: N examples, each C channels (feature maps) of H rows
/// and W columns, stored in one array in PyTorch's order, NCHW — image after image,
/// in each image channel after channel, in each channel row after row.
///
/// Element (n, c, i, j) is `elements[((n·C + c)·H + i)·W + j]`. So image n's numbers
/// are one contiguous run of C·H·W, in the order PyTorch's `x.reshape(N, -1)` lists
/// them: ``flattened()`` is the same storage seen as an N × C·H·W ``Matrix``, which is
/// the flatten between a network's last pooling layer and its first linear layer.
///
/// Legend of the convolutional pieces: N batch, C channels (C_in, C_out either side of
/// a convolution), H×W an image's height and width, K_h×K_w a kernel or window.
/// See also: ``SlidingWindow``, which places a kernel on these images, and
/// ``patches(_:)``, which unfolds them for a convolution.
///
/// Value semantics: copies are cheap until one of them is written (copy-on-write).
public struct FeatureMaps<T: Real>: Equatable, Sendable {
    /// N, the number of images.
    public let batchSize: Int
    /// C, the number of channels of each image.
    public let channels: Int
    /// H, the number of rows of each channel.
    public let height: Int
    /// W, the number of columns of each channel.
    public let width: Int
    /// The N·C·H·W elements in NCHW order (see the type's documentation).
    public var elements: [T]

    /// A batch filled with one value (zeros by default).
    @inlinable
    public init(batchSize: Int, channels: Int, height: Int, width: Int, repeating value: T = 0) {
        Self.checkShape(batchSize, channels, height, width)
        (self.batchSize, self.channels, self.height, self.width) = (batchSize, channels, height, width)
        elements = Array(repeating: value, count: batchSize * channels * height * width)
    }

    /// A batch over existing NCHW elements.
    @inlinable
    public init(batchSize: Int, channels: Int, height: Int, width: Int, elements: [T]) {
        Self.checkShape(batchSize, channels, height, width)
        ensure(
            elements.count == batchSize * channels * height * width,
            "FeatureMaps \(batchSize)×\(channels)×\(height)×\(width) needs \(batchSize * channels * height * width) "
                + "elements, got \(elements.count)")
        (self.batchSize, self.channels, self.height, self.width) = (batchSize, channels, height, width)
        self.elements = elements
    }

    /// A batch whose elements are all written by `initialize` (given the storage)
    /// before anyone reads them: no time spent zeroing memory about to be overwritten.
    @inlinable
    init(
        batchSize: Int, channels: Int, height: Int, width: Int,
        initializingWith initialize: (UnsafeMutableBufferPointer<T>) -> Void
    ) {
        Self.checkShape(batchSize, channels, height, width)
        (self.batchSize, self.channels, self.height, self.width) = (batchSize, channels, height, width)
        let count = batchSize * channels * height * width
        elements = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialize(buffer)
            initialized = count
        }
    }

    /// The images of `matrix`, one per row, each row C·H·W numbers in CHW order: the
    /// inverse of ``flattened()`` (the gradient of a flatten on its way back).
    @inlinable
    public init(unflattening matrix: Matrix<T>, channels: Int, height: Int, width: Int) {
        ensure(
            matrix.columns == channels * height * width,
            "cannot unflatten a \(matrix.shapeDescription) matrix into images of \(channels)×\(height)×\(width): "
                + "each row must hold C·H·W = \(channels * height * width) numbers")
        self.init(
            batchSize: matrix.rows, channels: channels, height: height, width: width, elements: matrix.elements)
    }

    @inlinable
    static func checkShape(_ n: Int, _ c: Int, _ h: Int, _ w: Int) {
        ensure(n >= 0 && c >= 0 && h >= 0 && w >= 0, "FeatureMaps shape \(n)×\(c)×\(h)×\(w) is negative")
    }

    /// Element (n, c, i, j): image n, channel c, row i, column j.
    @inlinable
    public subscript(n: Int, c: Int, i: Int, j: Int) -> T {
        get { elements[((n * channels + c) * height + i) * width + j] }
        set { elements[((n * channels + c) * height + i) * width + j] = newValue }
    }

    /// The number of elements, N·C·H·W.
    @inlinable public var count: Int { elements.count }

    /// The shape as messages write it, N×C×H×W: `"32×3×32×32"`.
    public var shapeDescription: String { "\(batchSize)×\(channels)×\(height)×\(width)" }

    /// The same numbers as an N × C·H·W matrix, one image per row (PyTorch's
    /// `x.flatten(1)`): what a linear layer after the last pooling layer reads.
    @inlinable
    public func flattened() -> Matrix<T> {
        Matrix(rows: batchSize, columns: channels * height * width, elements: elements)
    }

    /// Checks that two batches have the same shape, naming both in the failure.
    @inlinable
    public func requireSameShape(as other: FeatureMaps, _ operation: @autoclosure () -> String) {
        ensure(
            batchSize == other.batchSize && channels == other.channels && height == other.height
                && width == other.width,
            "\(operation()): shapes \(shapeDescription) and \(other.shapeDescription) differ")
    }
}

extension FeatureMaps: CustomStringConvertible {
    /// Each channel of each image as rows of numbers, four decimals.
    public var description: String {
        var lines: [String] = []
        for n in 0..<batchSize {
            for c in 0..<channels {
                lines.append("image \(n), channel \(c):")
                for i in 0..<height {
                    let row = (0..<width).map { NumberFormat.fixed(Double(self[n, c, i, $0]), decimals: 4) }
                    lines.append("[" + row.joined(separator: ", ") + "]")
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
