/// Unfolding images into the patches a window covers (im2col), folding patches back
/// (col2im, its adjoint), and the pixel-row layout: the engine work beneath the
/// convolutional pieces, so that a convolution is one matrix product.
///
/// A convolution's output at (n, o, i, j) is `b_o + Σ_{c,a,b} W_{o,c,a,b} · x_{n,c,i·S−P+a,j·S−P+b}`:
/// the dot product of one row of W (C_in·K_h·K_w numbers) with the patch under window
/// (i, j). Writing every patch as a row of a matrix turns the whole batch into
///
///     Y_rows = patches · Wᵀ + b         (N·H₂·W₂) × C_out
///
/// — a linear layer applied to every patch, and the matrix kernel (``GEMM``) does the
/// work. Images are unfolded one per task on both cores when the batch is large.
extension FeatureMaps {
    /// The patches under every placement of `window`, one row per (n, i, j) in that
    /// order, each row C·K_h·K_w numbers in (c, a, b) order — the order of a PyTorch
    /// weight `W[o].reshape(-1)`, so `patches · Wᵀ` is the convolution. Padding reads as 0.
    ///
    /// Shape: (N·H₂·W₂) × (C·K_h·K_w). See also ``init(summingPatches:_:batchSize:channels:)``.
    // Not inlined into a caller: a generic caller (a piece in Learn, compiled without
    // cross-module optimisation) would get these loops unspecialised. Called, they run
    // their Float or Double version.
    @inline(never) @_specialize(where T == Float) @_specialize(where T == Double)
    public func patches(_ window: SlidingWindow) -> Matrix<T> {
        requireFits(window, "patches")
        let kernel = window.kernelHeight * window.kernelWidth
        let pixels = window.outputHeight * window.outputWidth
        let columns = channels * kernel
        let layout = PatchLayout(pixelStride: columns, channelStride: kernel)
        return Matrix(rows: batchSize * pixels, columns: columns) { out in
            unfold(window, layout, padding: 0, perImage: pixels * columns, into: out)
        }
    }

    /// The patches of each channel on its own, for pooling: one row per (n, c, i, j) in
    /// that order — so row r's result is element r of an N×C×H₂×W₂ output — each row the
    /// K_h·K_w numbers under the window in row-major order; padding reads as `padding`
    /// (−∞ for max-pooling, so it is never the maximum).
    ///
    /// Shape: (N·C·H₂·W₂) × (K_h·K_w). See also ``init(summingPatchesPerChannel:_:batchSize:channels:)``.
    // Not inlined into a caller: a generic caller (a piece in Learn, compiled without
    // cross-module optimisation) would get these loops unspecialised. Called, they run
    // their Float or Double version.
    @inline(never) @_specialize(where T == Float) @_specialize(where T == Double)
    public func patchesPerChannel(_ window: SlidingWindow, padding: T) -> Matrix<T> {
        requireFits(window, "patchesPerChannel")
        let kernel = window.kernelHeight * window.kernelWidth
        let pixels = window.outputHeight * window.outputWidth
        let layout = PatchLayout(pixelStride: kernel, channelStride: pixels * kernel)
        return Matrix(rows: batchSize * channels * pixels, columns: kernel) { out in
            unfold(window, layout, padding: padding, perImage: channels * pixels * kernel, into: out)
        }
    }

    /// The adjoint of ``patches(_:)`` (col2im): every element of every patch added back
    /// to the input position it was read from, so a position under several windows
    /// receives the sum of their contributions; padding positions are dropped. This is
    /// ∂L/∂x from ∂L/∂patches.
    // Not inlined into a caller: a generic caller (a piece in Learn, compiled without
    // cross-module optimisation) would get these loops unspecialised. Called, they run
    // their Float or Double version.
    @inline(never) @_specialize(where T == Float) @_specialize(where T == Double)
    public init(summingPatches patches: Matrix<T>, _ window: SlidingWindow, batchSize: Int, channels: Int) {
        let kernel = window.kernelHeight * window.kernelWidth
        let pixels = window.outputHeight * window.outputWidth
        ensure(
            patches.rows == batchSize * pixels && patches.columns == channels * kernel,
            "summing patches: expected (N·H₂·W₂)×(C·K_h·K_w) = \(batchSize * pixels)×\(channels * kernel) "
                + "for N = \(batchSize), C = \(channels) and a \(window), got \(patches.shapeDescription)")
        self.init(
            folding: patches, window, PatchLayout(pixelStride: channels * kernel, channelStride: kernel),
            batchSize: batchSize, channels: channels, perImage: pixels * channels * kernel)
    }

    /// The adjoint of ``patchesPerChannel(_:padding:)``: ∂L/∂x from the gradient of
    /// each channel's patches, overlapping windows summed, padding dropped.
    // Not inlined into a caller: a generic caller (a piece in Learn, compiled without
    // cross-module optimisation) would get these loops unspecialised. Called, they run
    // their Float or Double version.
    @inline(never) @_specialize(where T == Float) @_specialize(where T == Double)
    public init(
        summingPatchesPerChannel patches: Matrix<T>, _ window: SlidingWindow, batchSize: Int, channels: Int
    ) {
        let kernel = window.kernelHeight * window.kernelWidth
        let pixels = window.outputHeight * window.outputWidth
        ensure(
            patches.rows == batchSize * channels * pixels && patches.columns == kernel,
            "summing patches per channel: expected (N·C·H₂·W₂)×(K_h·K_w) = \(batchSize * channels * pixels)×\(kernel) "
                + "for N = \(batchSize), C = \(channels) and a \(window), got \(patches.shapeDescription)")
        self.init(
            folding: patches, window, PatchLayout(pixelStride: kernel, channelStride: pixels * kernel),
            batchSize: batchSize, channels: channels, perImage: channels * pixels * kernel)
    }

    /// One row per pixel, one column per channel: (N·H·W) × C, row (n, i, j) holding
    /// x_{n,·,i,j} (PyTorch's `x.permute(0, 2, 3, 1).reshape(-1, C)`). A convolution's
    /// output comes out of its matrix product in this layout, and a channel's statistics
    /// (batch normalisation) are a column's.
    // Not inlined into a caller: a generic caller (a piece in Learn, compiled without
    // cross-module optimisation) would get these loops unspecialised. Called, they run
    // their Float or Double version.
    @inline(never) @_specialize(where T == Float) @_specialize(where T == Double)
    public func pixelRows() -> Matrix<T> {
        let pixels = height * width
        return Matrix(rows: batchSize * pixels, columns: channels) { out in
            elements.withUnsafeBufferPointer { x in
                guard let x = x.baseAddress, let o = out.baseAddress else { return }
                Self.forEachImage(batchSize, work: pixels * channels) { n in
                    let (image, rows) = (x + n * channels * pixels, o + n * pixels * channels)
                    for k in 0..<pixels {
                        for c in 0..<channels { rows[k * channels + c] = image[c * pixels + k] }
                    }
                }
            }
        }
    }

    /// The images whose ``pixelRows()`` are `rows`: (N·H·W) × C back to N×C×H×W.
    // Not inlined into a caller: a generic caller (a piece in Learn, compiled without
    // cross-module optimisation) would get these loops unspecialised. Called, they run
    // their Float or Double version.
    @inline(never) @_specialize(where T == Float) @_specialize(where T == Double)
    public init(pixelRows rows: Matrix<T>, batchSize: Int, height: Int, width: Int) {
        let pixels = height * width
        ensure(
            rows.rows == batchSize * pixels,
            "pixel rows: expected N·H·W = \(batchSize)·\(height)·\(width) = \(batchSize * pixels) rows, "
                + "got \(rows.shapeDescription)")
        let channels = rows.columns
        self.init(batchSize: batchSize, channels: channels, height: height, width: width) { out in
            rows.elements.withUnsafeBufferPointer { r in
                guard let r = r.baseAddress, let o = out.baseAddress else { return }
                Self.forEachImage(batchSize, work: pixels * channels) { n in
                    let (source, image) = (r + n * pixels * channels, o + n * channels * pixels)
                    for c in 0..<channels {
                        for k in 0..<pixels { image[c * pixels + k] = source[k * channels + c] }
                    }
                }
            }
        }
    }

    // MARK: The loops

    /// Where the K_h·K_w numbers of channel c under window (i, j) start in one image's
    /// block of patches: (i·W₂ + j)·pixelStride + c·channelStride (their K_h rows of K_w
    /// follow one another).
    @usableFromInline
    struct PatchLayout {
        @usableFromInline let pixelStride: Int, channelStride: Int
        @inlinable init(pixelStride: Int, channelStride: Int) {
            (self.pixelStride, self.channelStride) = (pixelStride, channelStride)
        }
    }

    @inlinable
    func requireFits(_ window: SlidingWindow, _ operation: String) {
        ensure(
            window.inputHeight == height && window.inputWidth == width,
            "\(operation): the \(window) was made for \(window.inputHeight)×\(window.inputWidth) images, "
                + "but these are \(shapeDescription) (N×C×H×W)")
    }

    /// Runs `body(n)` for every image n, on both cores when there is enough work.
    @inlinable
    static func forEachImage(_ count: Int, work perImage: Int, _ body: (Int) -> Void) {
        if count > 1 && count * perImage >= 1 << 15 {
            Parallel.forEach(count, body)
        } else {
            for n in 0..<count { body(n) }
        }
    }

    /// Writes every image's patches (each image's block `perImage` long) into `out`.
    @inlinable
    func unfold(
        _ window: SlidingWindow, _ layout: PatchLayout, padding value: T, perImage: Int,
        into out: UnsafeMutableBufferPointer<T>
    ) {
        let (c, h, w) = (channels, height, width)
        elements.withUnsafeBufferPointer { x in
            guard let x = x.baseAddress, let o = out.baseAddress else { return }
            Self.forEachImage(batchSize, work: perImage) { n in
                let (image, block) = (x + n * c * h * w, o + n * perImage)
                let kw = window.kernelWidth
                Self.visitKernelRows(window, layout, channels: c, height: h, width: w) { row, x0, patch in
                    // `row` is where input row starts in the image, or nil for a row of padding.
                    let destination = block + patch
                    guard let row else {
                        for b in 0..<kw { destination[b] = value }
                        return
                    }
                    if x0 >= 0 && x0 + kw <= w {
                        for b in 0..<kw { destination[b] = image[row + x0 + b] }
                    } else {
                        for b in 0..<kw { destination[b] = x0 + b >= 0 && x0 + b < w ? image[row + x0 + b] : value }
                    }
                }
            }
        }
    }

    /// The adjoint of ``unfold(_:_:padding:perImage:into:)``: every patch element added
    /// to the image position it came from.
    @inlinable
    init(
        folding patches: Matrix<T>, _ window: SlidingWindow, _ layout: PatchLayout, batchSize: Int, channels: Int,
        perImage: Int
    ) {
        let (h, w) = (window.inputHeight, window.inputWidth)
        self.init(batchSize: batchSize, channels: channels, height: h, width: w)
        elements.withUnsafeMutableBufferPointer { x in
            patches.elements.withUnsafeBufferPointer { p in
                guard let x = x.baseAddress, let p = p.baseAddress else { return }
                Self.forEachImage(batchSize, work: perImage) { n in
                    let (image, block) = (x + n * channels * h * w, p + n * perImage)
                    let kw = window.kernelWidth
                    Self.visitKernelRows(window, layout, channels: channels, height: h, width: w) { row, x0, patch in
                        guard let row else { return }
                        let source = block + patch
                        if x0 >= 0 && x0 + kw <= w {
                            for b in 0..<kw { image[row + x0 + b] += source[b] }
                        } else {
                            for b in 0..<kw where x0 + b >= 0 && x0 + b < w { image[row + x0 + b] += source[b] }
                        }
                    }
                }
            }
        }
    }

    /// Calls `visit(row, x0, patch)` for every row of every window: kernel row a of
    /// channel c under window (i, j), whose K_w numbers sit at `patch`, `patch + 1`, …
    /// of the image's block of patches and are read from columns x0, x0 + 1, … of the
    /// input row starting at offset `row` of the image (nil where the row is padding;
    /// columns outside 0..<W are padding too).
    ///
    /// For a convolution's patches (a row per window) the windows come in order, all of
    /// a patch's K_h·C runs one after another, so each patch is written in one pass from
    /// start to end; for pooling's (a block per channel), channel by channel.
    @inlinable @inline(__always)
    static func visitKernelRows(
        _ window: SlidingWindow, _ layout: PatchLayout, channels: Int, height: Int, width: Int,
        _ visit: (_ row: Int?, _ x0: Int, _ patch: Int) -> Void
    ) {
        let (kh, kw, s, p) = (window.kernelHeight, window.kernelWidth, window.stride, window.padding)
        let (h2, w2) = (window.outputHeight, window.outputWidth)
        func visitWindow(_ i: Int, _ j: Int, _ c: Int) {
            let plane = c * height * width
            let start = (i * w2 + j) * layout.pixelStride + c * layout.channelStride
            for a in 0..<kh {
                let y = i * s - p + a
                visit(y >= 0 && y < height ? plane + y * width : nil, j * s - p, start + a * kw)
            }
        }
        if layout.channelStride < layout.pixelStride {
            for i in 0..<h2 {
                for j in 0..<w2 {
                    for c in 0..<channels { visitWindow(i, j, c) }
                }
            }
        } else {
            for c in 0..<channels {
                for i in 0..<h2 {
                    for j in 0..<w2 { visitWindow(i, j, c) }
                }
            }
        }
    }
}
