/// Max-pooling, PyTorch's `nn.MaxPool2d`: each channel of each image on its own, the
/// largest number under every placement of a K_h×K_w window,
///
///     y_{n,c,i,j} = max_{a < K_h, b < K_w} x_{n, c, i·S − P + a, j·S − P + b}
///
/// where padding counts as −∞, so it is never the maximum. Output size as a
/// convolution's: H₂ = ⌊(H₁ − K_h + 2P)/S⌋ + 1 (`SlidingWindow`). As PyTorch, the
/// stride defaults to the kernel size, and the padding may be at most half the kernel.
///
/// Shapes: `x` N×C×H₁×W₁, `y` N×C×H₂×W₂. No parameters.
///
/// Backward: y is one of the window's inputs, so its gradient goes to that input alone
/// (the arg-max), and 0 to the others. Where several inputs tie for the maximum, the
/// first in row-major window order takes it, as PyTorch's loop does (any one of them is
/// a correct subgradient; the first is the one the reference values hold).
/// See also: ``Conv2d``, which slides its windows the same way.
public struct MaxPool2d<T: Real>: FeatureMapLayer {
    /// The scalar type of the layer's inputs and outputs.
    public typealias Scalar = T

    /// K_h, K_w: the window's rows and columns.
    public let kernelHeight: Int, kernelWidth: Int
    /// S, the step between two windows.
    public let stride: Int
    /// P, the rows and columns of −∞ added on every side.
    public let padding: Int

    /// A K×K window moving `stride` (K unless told) at a time.
    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
        self.init(kernelHeight: kernelSize, kernelWidth: kernelSize, stride: stride, padding: padding)
    }

    /// A K_h×K_w window moving `stride` (K_h, as PyTorch, unless told) at a time.
    public init(kernelHeight: Int, kernelWidth: Int, stride: Int? = nil, padding: Int = 0) {
        let stride = stride ?? kernelHeight
        ensure(
            kernelHeight > 0 && kernelWidth > 0 && stride > 0 && padding >= 0,
            "MaxPool2d needs a positive kernel and stride and a padding of 0 or more, got kernel "
                + "\(kernelHeight)×\(kernelWidth), stride \(stride), padding \(padding)")
        ensure(
            2 * padding <= kernelHeight && 2 * padding <= kernelWidth,
            "MaxPool2d: the padding (\(padding)) may be at most half the kernel (\(kernelHeight)×\(kernelWidth)), "
                + "as in PyTorch: a window of padding alone would have no maximum")
        (self.kernelHeight, self.kernelWidth, self.stride, self.padding) = (kernelHeight, kernelWidth, stride, padding)
    }

    /// None: pooling only selects.
    public var parameters: [(name: String, path: WritableKeyPath<Self, Matrix<T>>)] { [] }

    /// Where the window lands on `x`'s images; stops the program with a message when
    /// the images are too small for it.
    public func window(over x: FeatureMaps<T>) -> SlidingWindow {
        SlidingWindow(
            kernelHeight: kernelHeight, kernelWidth: kernelWidth, stride: stride, padding: padding,
            inputHeight: x.height, inputWidth: x.width, for: "MaxPool2d (input \(x.shapeDescription))")
    }

    /// What the backward pass needs: for every output element, which element of its
    /// window was the maximum, and where the windows were.
    public struct Cache: Sendable {
        /// For output element r (in NCHW order), the position of the maximum in its
        /// window, a·K_w + b (row-major).
        public var argMax: [Int]
        /// The windows' placements on the input.
        public var window: SlidingWindow
    }

    /// y = the maximum of every window, each channel on its own.
    public mutating func forward(_ x: FeatureMaps<T>, mode: Mode) -> (y: FeatureMaps<T>, cache: Cache) {
        let window = window(over: x)
        // BEGIN SOLUTION maxPool2d
        // Row r holds the window of output element r; padding reads as −∞.
        let windows = x.patchesPerChannel(window, padding: -T.infinity)
        var y = FeatureMaps<T>(
            batchSize: x.batchSize, channels: x.channels, height: window.outputHeight, width: window.outputWidth)
        var argMax = [Int](repeating: 0, count: windows.rows)
        for r in 0..<windows.rows {
            var best = 0
            // Strictly greater: of tied maxima the first stays, as in PyTorch.
            for k in 1..<windows.columns where windows[r, k] > windows[r, best] { best = k }
            argMax[r] = best
            y.elements[r] = windows[r, best]
        }
        return (y, Cache(argMax: argMax, window: window))
        // END SOLUTION
    }

    /// Backward: ∂y_r/∂x is 1 at the arg-max of window r and 0 elsewhere, so window r's
    /// gradient is dY_r at its arg-max; an input under several windows (stride < K)
    /// sums what each sends it, which folding the windows back does.
    public func backward(into grads: inout Self, _ dY: FeatureMaps<T>, cache: Cache) -> FeatureMaps<T> {
        ensure(
            dY.count == cache.argMax.count && dY.height == cache.window.outputHeight
                && dY.width == cache.window.outputWidth,
            "MaxPool2d backward: dY must have the forward's output shape (H₂×W₂ = "
                + "\(cache.window.outputHeight)×\(cache.window.outputWidth), \(cache.argMax.count) elements), "
                + "got \(dY.shapeDescription)")
        // BEGIN SOLUTION maxPool2d
        var dWindows = Matrix<T>(rows: dY.count, columns: kernelHeight * kernelWidth)
        for r in 0..<dY.count { dWindows[r, cache.argMax[r]] = dY.elements[r] }
        return FeatureMaps(
            summingPatchesPerChannel: dWindows, cache.window, batchSize: dY.batchSize, channels: dY.channels)
        // END SOLUTION
    }
}
