/// Where a K_h×K_w window (a convolution's kernel, a pooling window) lands on an
/// H₁×W₁ image padded by P on every side, moving S at a time:
///
///     H₂ = ⌊(H₁ − K_h + 2P) / S⌋ + 1,    W₂ = ⌊(W₁ − K_w + 2P) / S⌋ + 1
///
/// the course's W₂ = (W₁ − F + 2P)/S + 1, rounded down as PyTorch does when S does not
/// divide evenly (the last rows or columns of the padded image that a whole step cannot
/// reach are left out). Window (i, j) covers padded rows i·S ..< i·S + K_h and columns
/// j·S ..< j·S + K_w, that is input rows i·S − P + a for a in 0..<K_h (likewise columns);
/// those outside 0..<H₁ are padding.
///
/// The sizes are checked when the window is made: a window larger than the padded
/// image has no place to go, and the message says which sizes do not fit.
/// See also: ``FeatureMaps/patches(_:)``, ``FeatureMaps/patchesPerChannel(_:padding:)``.
public struct SlidingWindow: Sendable, Equatable, CustomStringConvertible {
    /// K_h, K_w: the window's rows and columns.
    public let kernelHeight: Int, kernelWidth: Int
    /// S, the step between two windows, in rows and in columns.
    public let stride: Int
    /// P, the rows and columns of padding added on each side.
    public let padding: Int
    /// H₁, W₁: the size of the images the window slides over.
    public let inputHeight: Int, inputWidth: Int
    /// H₂, W₂: how many windows fit down and across.
    public let outputHeight: Int, outputWidth: Int

    /// The windows of `layer` (a name for messages, e.g. `"Conv2d"`) over H₁×W₁ images;
    /// throws a ``WindowSizeError`` saying which sizes do not fit.
    public static func validated(
        kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int, inputHeight: Int, inputWidth: Int,
        for layer: String
    ) throws(WindowSizeError) -> SlidingWindow {
        func failure(_ problem: String) -> WindowSizeError { WindowSizeError(layer: layer, problem: problem) }
        guard kernelHeight >= 1, kernelWidth >= 1 else {
            throw failure("the kernel must be at least 1×1, got \(kernelHeight)×\(kernelWidth)")
        }
        guard stride >= 1 else { throw failure("the stride must be at least 1, got \(stride)") }
        guard padding >= 0 else { throw failure("the padding must be 0 or more, got \(padding)") }
        guard inputHeight >= 1, inputWidth >= 1 else {
            throw failure("the input images are \(inputHeight)×\(inputWidth): they must be at least 1×1")
        }
        for (side, input, kernel, letter) in [
            ("height", inputHeight, kernelHeight, "H"), ("width", inputWidth, kernelWidth, "W"),
        ] where input + 2 * padding < kernel {
            throw failure(
                "a \(kernelHeight)×\(kernelWidth) kernel does not fit the input's \(side) \(input) with padding "
                    + "\(padding): \(letter)₂ = (\(letter)₁ − K + 2P)/S + 1 = (\(input) − \(kernel) + "
                    + "\(2 * padding))/\(stride) + 1 is below 1. The input is smaller than the kernel: look at "
                    + "the layers before this one (each pooling halves the image), or pad more")
        }
        return SlidingWindow(
            kernelHeight: kernelHeight, kernelWidth: kernelWidth, stride: stride, padding: padding,
            inputHeight: inputHeight, inputWidth: inputWidth,
            outputHeight: (inputHeight - kernelHeight + 2 * padding) / stride + 1,
            outputWidth: (inputWidth - kernelWidth + 2 * padding) / stride + 1)
    }

    /// The windows of `layer` over H₁×W₁ images; stops the program with
    /// ``validated(kernelHeight:kernelWidth:stride:padding:inputHeight:inputWidth:for:)``'s
    /// message when the sizes do not fit.
    public init(
        kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int, inputHeight: Int, inputWidth: Int,
        for layer: String
    ) {
        do {
            self = try .validated(
                kernelHeight: kernelHeight, kernelWidth: kernelWidth, stride: stride, padding: padding,
                inputHeight: inputHeight, inputWidth: inputWidth, for: layer)
        } catch {
            fatalError("\(error)")
        }
    }

    init(
        kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int, inputHeight: Int, inputWidth: Int,
        outputHeight: Int, outputWidth: Int
    ) {
        (self.kernelHeight, self.kernelWidth, self.stride, self.padding) = (kernelHeight, kernelWidth, stride, padding)
        (self.inputHeight, self.inputWidth) = (inputHeight, inputWidth)
        (self.outputHeight, self.outputWidth) = (outputHeight, outputWidth)
    }

    /// "3×3 window, stride 2, padding 1: 32×32 → 16×16".
    public var description: String {
        "\(kernelHeight)×\(kernelWidth) window, stride \(stride), padding \(padding): "
            + "\(inputHeight)×\(inputWidth) → \(outputHeight)×\(outputWidth)"
    }
}

/// A window that does not fit its images, or sizes that make no window at all.
public struct WindowSizeError: Error, Equatable, CustomStringConvertible {
    /// The layer whose window it is, e.g. `"Conv2d"`.
    public let layer: String
    /// What does not fit, in words, with the sizes.
    public let problem: String

    /// "Conv2d: a 3×3 kernel does not fit …".
    public var description: String { "\(layer): \(problem)" }
}
