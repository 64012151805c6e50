/// A 2-D convolution, PyTorch's `nn.Conv2d` — a cross-correlation (the kernel is not
/// flipped): for output channel o at window position (i, j),
///
///     y_{n,o,i,j} = b_o + Σ_{c,a,b} W_{o,c,a,b} · x_{n, c, i·S − P + a, j·S − P + b}
///
/// summed over input channels c < C_in and kernel offsets a < K_h, b < K_w, with x read
/// as 0 outside the image (P rows and columns of zero padding on every side). The output
/// size is the course's W₂ = (W₁ − F + 2P)/S + 1, rounded down as PyTorch does:
/// H₂ = ⌊(H₁ − K_h + 2P)/S⌋ + 1, W₂ = ⌊(W₁ − K_w + 2P)/S⌋ + 1 (`SlidingWindow`, which
/// stops with a message naming the sizes when the kernel does not fit).
///
/// Shapes: `x` N×C_in×H₁×W₁, `y` N×C_out×H₂×W₂; `w` C_out × (C_in·K_h·K_w), PyTorch's
/// weight C_out×C_in×K_h×K_w with each filter flattened in (c, a, b) order
/// (`weight.reshape(C_out, -1)`); `b` 1×C_out.
///
/// How it is computed: the sum above is the dot product of row o of W with the patch of
/// x under window (i, j). Unfolding every patch into a row (`FeatureMaps/patches(_:)`,
/// "im2col") makes the whole batch one linear map, an ``Affine`` on the patches:
///
///     Y_rows = patches · Wᵀ + b        patches (N·H₂·W₂)×(C_in·K_h·K_w), Y_rows (N·H₂·W₂)×C_out
///
/// — one matrix product for the batch, in the engine's fast kernel — and Y_rows, one row
/// per pixel (n, i, j), is the output in `FeatureMaps/pixelRows()` layout.
///
/// Initialised as PyTorch's default: W and b uniform in ±1/√(C_in·K_h·K_w) (its
/// Kaiming-uniform with a = √5 gives exactly this bound for W, and the bias uses it too).
/// See also: ``Linear`` (the same map on rows), ``MaxPool2d``, ``BatchNorm2d``.
public struct Conv2d<T: Real>: FeatureMapLayer {
    /// W, C_out × (C_in·K_h·K_w): one filter per row.
    public var w: Matrix<T>
    /// b, 1×C_out: one bias per output channel.
    public var b: Matrix<T>
    /// C_in, the channels of the input images.
    public let inputChannels: Int
    /// K_h, K_w: the kernel's rows and columns.
    public let kernelHeight: Int, kernelWidth: Int
    /// S, the step between two placements of the kernel.
    public let stride: Int
    /// P, the zeros added on every side of each image.
    public let padding: Int

    /// C_out, the channels of the output: one per filter.
    public var outputChannels: Int { w.rows }

    /// A layer with the given weights (`w` C_out × (C_in·K_h·K_w), `b` 1×C_out).
    public init(
        w: Matrix<T>, b: Matrix<T>, inputChannels: Int, kernelHeight: Int, kernelWidth: Int, stride: Int = 1,
        padding: Int = 0
    ) {
        ensure(
            inputChannels > 0 && kernelHeight > 0 && kernelWidth > 0 && stride > 0 && padding >= 0,
            "Conv2d needs positive channels, kernel sizes and stride and a padding of 0 or more, got C_in = "
                + "\(inputChannels), kernel \(kernelHeight)×\(kernelWidth), stride \(stride), padding \(padding)")
        ensure(
            w.columns == inputChannels * kernelHeight * kernelWidth,
            "Conv2d: w must be C_out × (C_in·K_h·K_w) = \(w.rows)×\(inputChannels * kernelHeight * kernelWidth) "
                + "for C_in = \(inputChannels) and a \(kernelHeight)×\(kernelWidth) kernel, got \(w.shapeDescription)")
        ensure(b.rows == 1 && b.columns == w.rows, "Conv2d: b must be 1×\(w.rows), got \(b.shapeDescription)")
        (self.w, self.b, self.inputChannels) = (w, b, inputChannels)
        (self.kernelHeight, self.kernelWidth, self.stride, self.padding) = (kernelHeight, kernelWidth, stride, padding)
    }

    /// A freshly initialised `inputChannels → outputChannels` layer with a square
    /// `kernelSize`×`kernelSize` kernel (PyTorch's `nn.Conv2d(C_in, C_out, K, stride, padding)`).
    public init(
        inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
        using generator: inout SeededGenerator
    ) {
        self.init(
            inputChannels: inputChannels, outputChannels: outputChannels, kernelHeight: kernelSize,
            kernelWidth: kernelSize, stride: stride, padding: padding, using: &generator)
    }

    /// A freshly initialised layer with a K_h×K_w kernel: W and b uniform in ±1/√(C_in·K_h·K_w).
    public init(
        inputChannels: Int, outputChannels: Int, kernelHeight: Int, kernelWidth: Int, stride: Int = 1,
        padding: Int = 0, using generator: inout SeededGenerator
    ) {
        ensure(
            inputChannels > 0 && outputChannels > 0 && kernelHeight > 0 && kernelWidth > 0,
            "Conv2d sizes must be positive: \(inputChannels) → \(outputChannels) channels, "
                + "kernel \(kernelHeight)×\(kernelWidth)")
        let fanIn = inputChannels * kernelHeight * kernelWidth
        let bound = 1 / T.sqrt(T(fanIn))
        self.init(
            w: .uniform(rows: outputChannels, columns: fanIn, bound: bound, using: &generator),
            b: .uniform(rows: 1, columns: outputChannels, bound: bound, using: &generator),
            inputChannels: inputChannels, kernelHeight: kernelHeight, kernelWidth: kernelWidth, stride: stride,
            padding: padding)
    }

    /// The trainable matrices, w and b, by the names a checkpoint gives them.
    public var parameters: [(name: String, path: WritableKeyPath<Self, Matrix<T>>)] {
        [("w", \.w), ("b", \.b)]
    }

    /// Where the kernel lands on `x`'s images; stops the program with a message when
    /// `x` has the wrong channels or images too small for the kernel.
    public func window(over x: FeatureMaps<T>) -> SlidingWindow {
        ensure(
            x.channels == inputChannels,
            "Conv2d expects N×\(inputChannels)×H×W input (C_in = \(inputChannels)), got \(x.shapeDescription)")
        return SlidingWindow(
            kernelHeight: kernelHeight, kernelWidth: kernelWidth, stride: stride, padding: padding,
            inputHeight: x.height, inputWidth: x.width, for: "Conv2d (input \(x.shapeDescription))")
    }

    /// What the backward pass needs: the unfolded patches (the input of the linear map,
    /// which the weight gradient needs) and where the windows were.
    public struct Cache: Sendable {
        /// The patches of x, (N·H₂·W₂) × (C_in·K_h·K_w).
        public var patches: Matrix<T>
        /// The kernel's placements on the input.
        public var window: SlidingWindow
    }

    /// y = conv(x): unfold the patches, one linear map for all of them, back to images.
    public mutating func forward(_ x: FeatureMaps<T>, mode: Mode) -> (y: FeatureMaps<T>, cache: Cache) {
        let window = window(over: x)
        // BEGIN SOLUTION conv2d
        let patches = x.patches(window)
        // One row per output pixel (n, i, j), one column per output channel o.
        let outputRows = Affine.forward(patches, w, b)
        let y = FeatureMaps(
            pixelRows: outputRows, batchSize: x.batchSize, height: window.outputHeight, width: window.outputWidth)
        return (y, Cache(patches: patches, window: window))
        // END SOLUTION
    }

    /// Backward, the forward's three steps in reverse. With dY_rows the upstream gradient
    /// in pixel rows (the layout Y_rows had), the linear map's backward (``Affine``) gives
    ///
    ///     dW += dY_rowsᵀ · patches,    db += Σ_rows dY_rows,    dPatches = dY_rows · W
    ///
    /// and each element of x appeared in every patch whose window covered it, so
    /// ∂L/∂x is the sum of those patches' gradients at its place: the patches folded
    /// back with overlaps added (`FeatureMaps/init(summingPatches:_:batchSize:channels:)`,
    /// "col2im"); padding, which is not x, gets nothing.
    public func backward(into grads: inout Self, _ dY: FeatureMaps<T>, cache: Cache) -> FeatureMaps<T> {
        ensure(
            dY.channels == outputChannels && dY.height == cache.window.outputHeight
                && dY.width == cache.window.outputWidth,
            "Conv2d backward: dY must be N×\(outputChannels)×\(cache.window.outputHeight)×"
                + "\(cache.window.outputWidth) like the forward's y, got \(dY.shapeDescription)")
        // BEGIN SOLUTION conv2d
        let dOutputRows = dY.pixelRows()
        let dPatches = Affine.backward(dW: &grads.w, dB: &grads.b, dOutputRows, x: cache.patches, w: w)
        return FeatureMaps(summingPatches: dPatches, cache.window, batchSize: dY.batchSize, channels: inputChannels)
        // END SOLUTION
    }
}
