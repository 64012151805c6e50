/// A multilayer perceptron, Assignment 2's first model: Linear layers with a ReLU
/// between each two, the last one giving the class scores.
///
///     a₀ = x,    aₖ = ReLU(aₖ₋₁·Wₖᵀ + bₖ)  for k = 1 … L − 1,    scores = a_{L−1}·W_Lᵀ + b_L
///
/// Backward runs the same layers in reverse: the last Linear turns ∂L/∂scores into
/// ∂L/∂a_{L−1}, each ReLU masks the gradient where its input was ≤ 0, and each Linear
/// below adds its ∂L/∂W and ∂L/∂b and passes ∂L/∂a on down. No ReLU follows the last
/// layer: the scores go to ``SoftmaxCrossEntropy``, which wants every real number.
///
/// Widths are `[inputs, hidden…, classes]`, e.g. `[2, 20, 20, 2]` for the moons.
/// Parameters are named as PyTorch's `nn.Sequential(Linear, ReLU, …, Linear)` names
/// them: `0.w`, `0.b`, `2.w`, `2.b`, …
public struct MLP<T: Real>: Layer {
    /// The Linear layers, first to last.
    public var layers: [Linear<T>]
    /// The activation between two layers (it has no parameters, so one serves them all).
    public var activation = ReLU<T>()

    /// A freshly initialised network of the given widths (at least an input and an output).
    public init(widths: [Int], using random: inout SeededGenerator) {
        ensure(widths.count >= 2, "an MLP needs at least an input and an output width, got \(widths)")
        ensure(widths.allSatisfy { $0 > 0 }, "an MLP's widths must be positive, got \(widths)")
        layers = zip(widths, widths.dropFirst()).map { Linear(inputs: $0, outputs: $1, using: &random) }
    }

    /// A network of the given layers, each one's outputs the next one's inputs.
    public init(layers: [Linear<T>]) {
        ensure(!layers.isEmpty, "an MLP needs at least one layer")
        for (k, (a, b)) in zip(layers, layers.dropFirst()).enumerated() {
            ensure(
                a.w.rows == b.w.columns,
                "MLP: layer \(k) gives \(a.w.rows) outputs but layer \(k + 1) reads \(b.w.columns)")
        }
        self.layers = layers
    }

    /// `[inputs, hidden…, classes]`.
    public var widths: [Int] { [layers[0].w.columns] + layers.map(\.w.rows) }

    /// Layer k's w and b as `"\(2k).w"` and `"\(2k).b"`, as in PyTorch's numbering.
    public var parameters: [(name: String, path: WritableKeyPath<Self, Matrix<T>>)] {
        layers.indices.flatMap { lift(\.layers[$0], prefix: "\(2 * $0).") }
    }

    /// What the backward pass needs: each Linear's input and each ReLU's input.
    public struct Cache: Sendable {
        /// aₖ₋₁, the input of Linear layer k.
        public var inputs: [Matrix<T>]
        /// The input of the ReLU after layer k (none after the last).
        public var preactivations: [Matrix<T>]
    }

    /// The class scores of each row of `x`, N×classes.
    public mutating func forward(_ x: Matrix<T>, mode: Mode) -> (y: Matrix<T>, cache: Cache) {
        // BEGIN SOLUTION mlp
        var cache = Cache(inputs: [], preactivations: [])
        var a = x
        for k in 0..<layers.count - 1 {
            cache.inputs.append(a)
            let z = layers[k].forward(a, mode: mode).y
            cache.preactivations.append(z)
            a = activation.forward(z, mode: mode).y
        }
        cache.inputs.append(a)
        return (layers[layers.count - 1].forward(a, mode: mode).y, cache)
        // END SOLUTION
    }

    /// ∂L/∂x from ∂L/∂scores, each layer's ∂L/∂W and ∂L/∂b added into `grads`.
    public func backward(into grads: inout Self, _ dY: Matrix<T>, cache: Cache) -> Matrix<T> {
        // BEGIN SOLUTION mlp
        let last = layers.count - 1
        var noParameters = activation  // ReLU has no parameters: nothing is added to it
        var d = layers[last].backward(into: &grads.layers[last], dY, cache: cache.inputs[last])
        for k in (0..<last).reversed() {
            d = activation.backward(into: &noParameters, d, cache: cache.preactivations[k])
            d = layers[k].backward(into: &grads.layers[k], d, cache: cache.inputs[k])
        }
        return d
        // END SOLUTION
    }
}
