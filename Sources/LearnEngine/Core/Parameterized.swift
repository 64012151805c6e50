/// Anything with trainable matrices: an equation's weights, a whole model.
///
/// Gradients are stored in a value of the *same type* as the parameters, field by
/// field — `gradients.wfx` holds ∂L/∂W_fx — the way PyTorch keeps `.grad` beside each
/// tensor. That lets one optimiser, one clipping function and one gradient checker
/// serve every model: they walk `parameters` and never need to know the maths.
public protocol Parameterized: Sendable {
    /// The scalar type of every parameter.
    associatedtype Scalar: Real
    /// Every trainable matrix with its name (as in the maths), in a fixed order.
    /// (An instance property, not a static one, because a container's list depends on
    /// the layers it holds.)
    var parameters: [(name: String, path: WritableKeyPath<Self, Matrix<Scalar>>)] { get }
    /// Matrices that are part of the model's state but not trained — batch
    /// normalisation's running statistics — which a checkpoint must keep too
    /// (PyTorch's "buffers"). None by default.
    var buffers: [(name: String, path: WritableKeyPath<Self, Matrix<Scalar>>)] { get }
}

extension Parameterized {
    /// No buffers, unless a type says otherwise.
    public var buffers: [(name: String, path: WritableKeyPath<Self, Matrix<Scalar>>)] { [] }

    /// Everything a checkpoint saves: the parameters, then the buffers.
    public var state: [(name: String, path: WritableKeyPath<Self, Matrix<Scalar>>)] { parameters + buffers }

    /// A value of the same shape with every parameter zero: the place to accumulate
    /// gradients, or an optimiser's running statistics.
    public func zeroed() -> Self {
        var copy = self
        for p in parameters {
            copy[keyPath: p.path] = Matrix(shapeOf: self[keyPath: p.path])
        }
        return copy
    }

    /// The number of trainable numbers.
    public var parameterCount: Int {
        parameters.reduce(0) { $0 + self[keyPath: $1.path].count }
    }

    /// √(Σ over every parameter of its squared elements): the global norm that
    /// gradient clipping bounds.
    public func globalNorm() -> Scalar {
        Scalar.sqrt(parameters.reduce(0) { $0 + self[keyPath: $1.path].squaredNorm() })
    }

    /// A part's named parameters (or, with `buffers`, its buffers) as paths into the
    /// whole, each name after `prefix`: `("wfx", \.wfx)` of the forget gate becomes
    /// `("wfx", \.f.wfx)` of the LSTM, and `("w", \.w)` of a network's third layer,
    /// lifted with the prefix `"2."`, becomes `("2.w", \.hidden[0].linear.w)`.
    public func lift<Part: Parameterized>(
        _ part: WritableKeyPath<Self, Part>, prefix: String = "", buffers: Bool = false
    ) -> [(name: String, path: WritableKeyPath<Self, Matrix<Scalar>>)] where Part.Scalar == Scalar {
        let value = self[keyPath: part]
        return (buffers ? value.buffers : value.parameters).map { (prefix + $0.name, part.appending(path: $0.path)) }
    }

    /// True when no parameter holds NaN or ±∞.
    public var isFinite: Bool {
        parameters.allSatisfy { self[keyPath: $0.path].isFinite }
    }
}
