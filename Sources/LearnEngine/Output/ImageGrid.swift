import Foundation

/// A grayscale picture: `width × height` brightness values, row after row from the
/// top-left corner, 0 black and 255 white.
///
/// See also: ``ImageGrid`` (makes one from a batch of images), ``PNG``.
public struct GrayscaleImage: Equatable, Sendable {
    /// The number of pixels across.
    public let width: Int
    /// The number of pixels down.
    public let height: Int
    /// The pixels, row-major: pixel (x, y) is `pixels[y * width + x]`.
    public var pixels: [UInt8]

    /// A picture over existing pixels.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        ensure(width >= 0 && height >= 0, "image size \(width)×\(height) is negative")
        ensure(
            pixels.count == width * height,
            "a \(width)×\(height) image needs \(width * height) pixels, got \(pixels.count)")
        (self.width, self.height, self.pixels) = (width, height, pixels)
    }

    /// A picture filled with one brightness.
    public init(width: Int, height: Int, repeating value: UInt8) {
        self.init(width: width, height: height, pixels: Array(repeating: value, count: width * height))
    }

    /// The pixel in column `x`, row `y` (both from 0 at the top-left corner).
    public subscript(x x: Int, y y: Int) -> UInt8 {
        get { pixels[y * width + x] }
        set { pixels[y * width + x] = newValue }
    }

    /// The picture as a PNG file's bytes.
    public var pngData: [UInt8] { PNG.encode(width: width, height: height, pixels: pixels) }

    /// Writes the picture as a PNG file, atomically (see ``BinaryFile``).
    public func writePNG(to url: URL) throws(OutputFileError) {
        try PNG.write(width: width, height: height, pixels: pixels, to: url)
    }
}

/// Lays a batch of images out as one picture: a `rows × columns` grid, with a border of
/// `padding` pixels around and between the images — the picture of 25 generated digits
/// (a 5×5 grid) or of an interpolation in latent space (a 1×9 strip).
///
/// Each row of the input matrix is one image, `imageHeight × imageWidth` pixels row
/// after row, with values in [−1, 1] (a `tanh` output, or MNIST as ``MNIST`` scales
/// it). Brightness is `round((v + 1) · 127.5)`, so −1 is black and 1 is white; values
/// outside [−1, 1] are clamped, and NaN is drawn black, so a diverging generator still
/// gives a picture rather than a crash. Images fill the grid row by row; unused cells
/// stay the padding colour.
///
/// Shapes: `images` N×(imageHeight·imageWidth) with N ≤ rows·columns.
///
/// ```swift
/// let grid = ImageGrid(rows: 5, columns: 5, scale: 2)
/// try grid.render(samples).writePNG(to: URL(filePath: "out/samples.png"))
/// ```
///
/// See also: ``PNG``, ``GrayscaleImage``.
public struct ImageGrid: Sendable, Equatable {
    /// Grid rows.
    public var rows: Int
    /// Grid columns.
    public var columns: Int
    /// The height of one input image in pixels (28 for MNIST).
    public var imageHeight: Int
    /// The width of one input image in pixels (28 for MNIST).
    public var imageWidth: Int
    /// Pixels of border around and between the images, in output pixels (not scaled).
    public var padding: Int
    /// Each input pixel becomes a `scale × scale` block (nearest neighbour), so a small
    /// digit is easy to see.
    public var scale: Int
    /// The brightness of the border and of empty cells. Mid-grey by default: MNIST
    /// digits are white on black, so a black border would merge the cells into one.
    public var paddingValue: UInt8

    /// A grid layout; sizes must be positive, padding non-negative.
    public init(
        rows: Int, columns: Int, imageHeight: Int = 28, imageWidth: Int = 28,
        padding: Int = 2, scale: Int = 1, paddingValue: UInt8 = 128
    ) {
        ensure(rows > 0 && columns > 0, "an image grid needs at least 1×1 cells, got \(rows)×\(columns)")
        ensure(
            imageHeight > 0 && imageWidth > 0, "image size must be positive, got \(imageHeight)×\(imageWidth)")
        ensure(padding >= 0, "padding must not be negative, got \(padding)")
        ensure(scale >= 1, "scale must be at least 1, got \(scale)")
        (self.rows, self.columns, self.imageHeight, self.imageWidth) = (rows, columns, imageHeight, imageWidth)
        (self.padding, self.scale, self.paddingValue) = (padding, scale, paddingValue)
    }

    /// The width of the whole picture: the scaled images plus `columns + 1` borders.
    public var width: Int { columns * imageWidth * scale + (columns + 1) * padding }
    /// The height of the whole picture: the scaled images plus `rows + 1` borders.
    public var height: Int { rows * imageHeight * scale + (rows + 1) * padding }

    /// Where image `index` (row-major over the grid) has its top-left output pixel.
    public func origin(ofImage index: Int) -> (x: Int, y: Int) {
        let (gridRow, gridColumn) = index.quotientAndRemainder(dividingBy: columns)
        return (
            padding + gridColumn * (imageWidth * scale + padding),
            padding + gridRow * (imageHeight * scale + padding)
        )
    }

    /// The picture of `images`, one image per row of the matrix.
    ///
    /// - Throws: ``ImageGridError`` when a row is not `imageHeight·imageWidth` long,
    ///   or when there are more images than cells.
    public func render<T: Real>(_ images: Matrix<T>) throws(ImageGridError) -> GrayscaleImage {
        guard images.columns == imageHeight * imageWidth else {
            throw .wrongImageSize(
                columns: images.columns, expected: imageHeight * imageWidth,
                imageHeight: imageHeight, imageWidth: imageWidth)
        }
        guard images.rows <= rows * columns else {
            throw .tooManyImages(images.rows, cells: rows * columns, rows: rows, columns: columns)
        }
        var picture = GrayscaleImage(width: width, height: height, repeating: paddingValue)
        for n in 0..<images.rows {
            let (left, top) = origin(ofImage: n)
            for y in 0..<imageHeight {
                for x in 0..<imageWidth {
                    let value = Self.brightness(images[n, y * imageWidth + x])
                    for dy in 0..<scale {
                        let start = (top + y * scale + dy) * picture.width + left + x * scale
                        for dx in 0..<scale { picture.pixels[start + dx] = value }
                    }
                }
            }
        }
        return picture
    }

    /// A value in [−1, 1] as a brightness in 0…255: `round((v + 1) · 127.5)`, clamped.
    public static func brightness<T: Real>(_ v: T) -> UInt8 {
        // Converting NaN or an out-of-range number to UInt8 traps, so clamp first;
        // `!(v > −1)` is true for NaN too, which makes NaN black.
        guard v > -1 else { return 0 }
        guard v < 1 else { return 255 }
        return UInt8(((Double(v) + 1) * 127.5).rounded())
    }
}

/// Images that do not fit an ``ImageGrid``: what was given and what the grid expects.
public enum ImageGridError: Error, Equatable, CustomStringConvertible {
    /// A row of the matrix is not one image long.
    case wrongImageSize(columns: Int, expected: Int, imageHeight: Int, imageWidth: Int)
    /// More images than the grid has cells.
    case tooManyImages(Int, cells: Int, rows: Int, columns: Int)

    /// One sentence naming both sizes.
    public var description: String {
        switch self {
        case let .wrongImageSize(columns, expected, h, w):
            "image grid expects rows of \(h)×\(w) = \(expected) pixels, but the matrix has \(columns) columns"
        case let .tooManyImages(count, cells, rows, columns):
            "image grid of \(rows)×\(columns) has \(cells) cells, but \(count) images were given"
        }
    }
}
