/// The digit classifier's network: one hidden layer.
///
///     h = ReLU(x·W₀ᵀ + b₀),    scores = h·W₂ᵀ + b₂
///
/// Parameters are named as PyTorch's `nn.Sequential(Linear, ReLU, Linear)` names them:
/// `0.w`, `0.b`, `2.w`, `2.b`. See ``DigitClassifier``.
public struct ClassifierNetwork<T: Real>: Layer {
    /// The hidden layer, I → H.
    public var hidden: Linear<T>
    /// Its activation.
    public var activation = ReLU<T>()
    /// The output layer, H → the class scores.
    public var output: Linear<T>

    /// A freshly initialised `inputs → hiddenSize → classes` network.
    public init(inputs: Int, hiddenSize: Int, classes: Int, using random: inout SeededGenerator) {
        hidden = Linear(inputs: inputs, outputs: hiddenSize, using: &random)
        output = Linear(inputs: hiddenSize, outputs: classes, using: &random)
    }

    /// The trainable matrices, named by their layers' places in PyTorch's numbering.
    public var parameters: [(name: String, path: WritableKeyPath<Self, Matrix<T>>)] {
        lift(\.hidden, prefix: "0.") + lift(\.output, prefix: "2.")
    }

    /// Each layer's cache, first to last.
    public struct Cache: Sendable {
        /// The hidden layer's input x.
        public var hidden: Matrix<T>
        /// The activation's input.
        public var activation: Matrix<T>
        /// The output layer's input h.
        public var output: Matrix<T>
    }

    /// The class scores of each row of `x`.
    public mutating func forward(_ x: Matrix<T>, mode: Mode) -> (y: Matrix<T>, cache: Cache) {
        let (a, hiddenCache) = hidden.forward(x, mode: mode)
        let (h, activationCache) = activation.forward(a, mode: mode)
        let (scores, outputCache) = output.forward(h, mode: mode)
        return (scores, Cache(hidden: hiddenCache, activation: activationCache, output: outputCache))
    }

    /// The backward passes in reverse order, from ∂L/∂scores to ∂L/∂x.
    public func backward(into grads: inout Self, _ dY: Matrix<T>, cache: Cache) -> Matrix<T> {
        let dH = output.backward(into: &grads.output, dY, cache: cache.output)
        let dA = activation.backward(into: &grads.activation, dH, cache: cache.activation)
        return hidden.backward(into: &grads.hidden, dA, cache: cache.hidden)
    }
}
