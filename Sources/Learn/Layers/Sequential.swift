/// Layers applied one after another: `y = f_L(… f_2(f_1(x)))`. The backward pass runs
/// the layers' backward passes in exact reverse order, each unwinding its own cache.
///
/// Layers are held as ``AnyLayer`` — an enum of the layer kinds, not an existential —
/// so every call is resolved at compile time and the numeric code is specialised.
/// Parameters are named `"<index>.<name>"` as PyTorch names `nn.Sequential`'s:
/// `"0.w"`, `"0.b"`, `"2.gamma"`, ….
public struct Sequential<T: Real>: Layer {
    /// The layers, first to last.
    public var layers: [AnyLayer<T>]

    /// A container of the given layers.
    public init(_ layers: [AnyLayer<T>]) {
        self.layers = layers
    }

    /// Where one parameter or buffer lives: which layer, which of its matrices.
    public struct Slot: Hashable, Sendable {
        /// The layer's position in ``Sequential/layers``, from 0.
        public var layer: Int
        /// The matrix's position in that layer's `parameters` (or `buffers`), from 0.
        public var index: Int
        /// Whether `index` counts the layer's buffers (state such as running
        /// statistics) rather than its trained parameters.
        public var isBuffer: Bool
    }

    /// A parameter or buffer by its slot (what the key paths of ``parameters`` and
    /// ``buffers`` go through).
    public subscript(slot: Slot) -> Matrix<T> {
        get { layers[slot.layer].matrix(slot) }
        set { layers[slot.layer].setMatrix(slot, to: newValue) }
    }

    /// Every layer's parameters, each named with its layer's number (`0.w`, `3.gamma`).
    public var parameters: [(name: String, path: WritableKeyPath<Self, Matrix<T>>)] { paths(buffers: false) }

    /// Every layer's buffers (batch normalisation's running statistics), named like the parameters.
    public var buffers: [(name: String, path: WritableKeyPath<Self, Matrix<T>>)] { paths(buffers: true) }

    func paths(buffers: Bool) -> [(name: String, path: WritableKeyPath<Self, Matrix<T>>)] {
        layers.enumerated().flatMap { position, layer in
            layer.names(buffers: buffers).enumerated().map { index, name in
                ("\(position).\(name)", \Self.[Slot(layer: position, index: index, isBuffer: buffers)])
            }
        }
    }

    /// Every layer's cache, first to last.
    public struct Cache: Sendable {
        /// The cache of layer k at index k, unwound last to first by the backward pass.
        public var layers: [AnyLayer<T>.Cache]
    }

    /// The layers' forward passes in order.
    public mutating func forward(_ x: Matrix<T>, mode: Mode) -> (y: Matrix<T>, cache: Cache) {
        var y = x
        var caches: [AnyLayer<T>.Cache] = []
        caches.reserveCapacity(layers.count)
        for k in layers.indices {
            let (next, cache) = layers[k].forward(y, mode: mode)
            caches.append(cache)
            y = next
        }
        return (y, Cache(layers: caches))
    }

    /// Only ∂L/∂x, for when the parameters are not being trained — the generator's step
    /// differentiates through D without updating it. Skips every weight gradient
    /// (the larger half of a linear layer's backward pass).
    public func inputGradient(_ dY: Matrix<T>, cache: Cache) -> Matrix<T> {
        var d = dY
        for k in layers.indices.reversed() {
            d = layers[k].inputGradient(d, cache: cache.layers[k])
        }
        return d
    }

    /// The layers' backward passes in reverse order.
    public func backward(into grads: inout Self, _ dY: Matrix<T>, cache: Cache) -> Matrix<T> {
        backpropagate(into: &grads, dY, cache: cache, firstLayerInputGradient: true)
    }

    /// The parameter gradients alone, for a network whose input is data: the same as
    /// ``backward(into:_:cache:)``, except that a first linear layer skips ∂L/∂x, which
    /// nothing needs. For the discriminator's 784-wide input that is a third of the
    /// work of its backward pass.
    public func parameterGradients(into grads: inout Self, _ dY: Matrix<T>, cache: Cache) {
        _ = backpropagate(into: &grads, dY, cache: cache, firstLayerInputGradient: false)
    }

    private func backpropagate(
        into grads: inout Self, _ dY: Matrix<T>, cache: Cache, firstLayerInputGradient: Bool
    ) -> Matrix<T> {
        ensure(
            grads.layers.count == layers.count && cache.layers.count == layers.count,
            "Sequential backward: \(layers.count) layers, \(grads.layers.count) gradients, \(cache.layers.count) caches"
        )
        var d = dY
        for k in layers.indices.reversed() {
            if k == 0 && !firstLayerInputGradient, case .linear(let l) = layers[0], case .input(let x) = cache.layers[0]
            {
                let done: Void? = grads.layers[0].updateLinear { l.parameterGradients(into: &$0, d, cache: x) }
                ensure(done != nil, "Sequential backward: layer 0 is linear, its gradients are not")
            } else {
                d = layers[k].backward(into: &grads.layers[k], d, cache: cache.layers[k])
            }
        }
        return d
    }
}

/// One layer of any kind Learn provides, for ``Sequential``.
public enum AnyLayer<T: Real>: Sendable {
    /// A fully connected layer, y = x·Wᵀ + b (see ``Linear``).
    case linear(Linear<T>)
    /// y = x for x > 0, α·x otherwise (see ``LeakyReLU``).
    case leakyReLU(LeakyReLU<T>)
    /// y = max(x, 0) (see ``ReLU``).
    case relu(ReLU<T>)
    /// y = tanh(x) (see ``Tanh``).
    case tanh(Tanh<T>)
    /// y = σ(x) = 1/(1 + e⁻ˣ) (see ``Sigmoid``).
    case sigmoid(Sigmoid<T>)
    /// Batch normalisation over features (see ``BatchNorm``).
    case batchNorm(BatchNorm<T>)
    /// Each unit zeroed with probability p while training (see ``Dropout``).
    case dropout(Dropout<T>)

    /// The cache of whichever layer this is.
    public enum Cache: Sendable {
        /// The input x, N×F_in: what linear, ReLU and LeakyReLU layers differentiate at.
        case input(Matrix<T>)
        /// The output y, N×F: tanh′ = 1 − y² and σ′ = y(1 − y) need nothing else.
        case output(Matrix<T>)
        /// Batch normalisation's x̂, 1/√(σ² + ε) and mode.
        case batchNorm(BatchNorm<T>.Cache)
        /// Dropout's mask m, scaled by 1/(1 − p): dX = dY ⊙ m; nil in evaluation, where
        /// nothing is dropped.
        case mask(Matrix<T>?)
    }

    /// The wrapped layer, for the operations that are not on the hot path.
    var layer: any Layer<T> {
        switch self {
        case .linear(let l): l
        case .leakyReLU(let l): l
        case .relu(let l): l
        case .tanh(let l): l
        case .sigmoid(let l): l
        case .batchNorm(let l): l
        case .dropout(let l): l
        }
    }

    /// The names of the layer's parameters (or buffers), in order.
    func names(buffers: Bool) -> [String] {
        func names<L: Layer<T>>(_ l: L) -> [String] { (buffers ? l.buffers : l.parameters).map(\.name) }
        return names(layer)
    }

    /// The parameter or buffer at `slot`.
    func matrix(_ slot: Sequential<T>.Slot) -> Matrix<T> {
        func read<L: Layer<T>>(_ l: L) -> Matrix<T> {
            l[keyPath: (slot.isBuffer ? l.buffers : l.parameters)[slot.index].path]
        }
        return read(layer)
    }

    /// Replaces the parameter or buffer at `slot`.
    mutating func setMatrix(_ slot: Sequential<T>.Slot, to value: Matrix<T>) {
        func write<L: Layer<T>>(_ l: inout L) {
            l[keyPath: (slot.isBuffer ? l.buffers : l.parameters)[slot.index].path] = value
        }
        guard updateLinear(write) != nil || updateBatchNorm(write) != nil else {
            fatalError("\(self) has no matrix at \(slot)")
        }
    }

    // The two layers with parameters, updated where they are. `consume` moves the
    // layer out of the enum, so it is its matrices' only owner while `body` writes to
    // them: they are changed in place, not copied first.

    /// `body` on the wrapped ``Linear`` layer, in place; nil (and no call) for another kind.
    mutating func updateLinear<R>(_ body: (inout Linear<T>) -> R) -> R? {
        switch consume self {
        case .linear(var l):
            defer { self = .linear(l) }
            return body(&l)
        case let other:
            self = other
            return nil
        }
    }

    /// `body` on the wrapped ``BatchNorm`` layer, in place; nil (and no call) for another kind.
    mutating func updateBatchNorm<R>(_ body: (inout BatchNorm<T>) -> R) -> R? {
        switch consume self {
        case .batchNorm(var l):
            defer { self = .batchNorm(l) }
            return body(&l)
        case let other:
            self = other
            return nil
        }
    }

    /// The wrapped layer's forward pass.
    mutating func forward(_ x: Matrix<T>, mode: Mode) -> (Matrix<T>, Cache) {
        switch self {
        case .linear(var l):
            let (y, c) = l.forward(x, mode: mode)
            return (y, .input(c))
        case .leakyReLU(var l):
            let (y, c) = l.forward(x, mode: mode)
            return (y, .input(c))
        case .relu(var l):
            let (y, c) = l.forward(x, mode: mode)
            return (y, .input(c))
        case .tanh(var l):
            let (y, c) = l.forward(x, mode: mode)
            return (y, .output(c))
        case .sigmoid(var l):
            let (y, c) = l.forward(x, mode: mode)
            return (y, .output(c))
        case .batchNorm(var l):
            // Running statistics change: store the updated layer back.
            let (y, c) = l.forward(x, mode: mode)
            self = .batchNorm(l)
            return (y, .batchNorm(c))
        case .dropout(var l):
            // The generator advances: store the updated layer back.
            let (y, c) = l.forward(x, mode: mode)
            self = .dropout(l)
            return (y, .mask(c))
        }
    }

    /// The wrapped layer's ∂L/∂x alone.
    func inputGradient(_ dY: Matrix<T>, cache: Cache) -> Matrix<T> {
        if case .linear(let l) = self { return l.inputGradient(dY) }
        var scratch = self  // other layers' parameter gradients are cheap: compute and drop them
        return backward(into: &scratch, dY, cache: cache)
    }

    /// The wrapped layer's backward pass; parameter gradients go into `grads`, which
    /// must be the same kind of layer.
    func backward(into grads: inout AnyLayer, _ dY: Matrix<T>, cache: Cache) -> Matrix<T> {
        func mismatch() -> Never {
            fatalError(
                "Sequential backward: layer \(self), gradients \(grads) and cache \(cache) do not match")
        }
        switch (self, cache) {
        case (.linear(let l), .input(let x)):
            guard let dX = grads.updateLinear({ g in l.backward(into: &g, dY, cache: x) }) else { mismatch() }
            return dX
        case (.batchNorm(let l), .batchNorm(let c)):
            guard let dX = grads.updateBatchNorm({ g in l.backward(into: &g, dY, cache: c) }) else { mismatch() }
            return dX
        case (.leakyReLU(var l), .input(let x)):
            return l.backward(into: &l, dY, cache: x)  // no parameters: nothing is added
        case (.relu(var l), .input(let x)):
            return l.backward(into: &l, dY, cache: x)
        case (.tanh(var l), .output(let y)):
            return l.backward(into: &l, dY, cache: y)
        case (.sigmoid(var l), .output(let y)):
            return l.backward(into: &l, dY, cache: y)
        case (.dropout(var l), .mask(let m)):
            return l.backward(into: &l, dY, cache: m)
        default:
            mismatch()
        }
    }
}
