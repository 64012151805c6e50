/// The step from a convolutional network's images to the rows its linear layers read:
/// N×C×H×W becomes N × (C·H·W), each image's numbers in NCHW order (PyTorch's
/// `x.flatten(1)`, which `nn.Flatten` does between the last pooling layer and the first
/// `nn.Linear`). It moves no number, so its backward pass is the same reshaping the
/// other way: `dX` is `dY`'s rows read as images again.
///
/// See also: `FeatureMaps/flattened()` and `FeatureMaps/init(unflattening:channels:height:width:)`,
/// the two conversions it is.
public struct Flatten<T: Real>: Sendable {
    /// What the backward pass needs: the images' C, H and W.
    public struct Cache: Sendable {
        /// C, H and W of the images that were flattened.
        public var channels: Int, height: Int, width: Int
    }

    /// The flatten.
    public init() {}

    /// y = x as N × (C·H·W) rows.
    public func forward(_ x: FeatureMaps<T>) -> (y: Matrix<T>, cache: Cache) {
        (x.flattened(), Cache(channels: x.channels, height: x.height, width: x.width))
    }

    /// dX = dY's rows as N×C×H×W images.
    public func backward(_ dY: Matrix<T>, cache: Cache) -> FeatureMaps<T> {
        FeatureMaps(unflattening: dY, channels: cache.channels, height: cache.height, width: cache.width)
    }
}
