/// Dropout: while training, each unit is zeroed with probability p and the survivors
/// are scaled by 1/(1 − p) ("inverted" dropout), so the expected output equals the
/// input and evaluation needs no rescaling — it is the identity.
///
///     m_nj ~ Bernoulli(1 − p) / (1 − p),    y = x ⊙ m,    dX = dY ⊙ m
///
/// The mask comes from the layer's own seeded generator, so runs are reproducible.
/// The balanced GAN discriminator uses p ≈ 0.4 to keep it from overpowering G.
public struct Dropout<T: Real>: ParameterFreeLayer {
    /// The scalar type of the layer's inputs and outputs.
    public typealias Scalar = T

    /// p, the probability of dropping a unit.
    public let probability: T
    var generator: SeededGenerator

    /// A dropout layer with drop probability p ∈ [0, 1).
    public init(probability: T, seed: UInt64) {
        ensure(probability >= 0 && probability < 1, "Dropout probability must lie in [0, 1), got \(probability)")
        self.probability = probability
        generator = SeededGenerator(seed: seed)
    }

    /// The cache is the scaled mask (nil in evaluation, where nothing is dropped).
    public mutating func forward(_ x: Matrix<T>, mode: Mode) -> (y: Matrix<T>, cache: Matrix<T>?) {
        // BEGIN SOLUTION dropout
        guard mode == .training, probability > 0 else { return (x, nil) }
        let keep = 1 - probability
        var mask = Matrix<T>(shapeOf: x)
        for k in 0..<mask.count {
            mask.elements[k] = T(generator.uniform()) < keep ? 1 / keep : 0
        }
        return (x * mask, mask)
        // END SOLUTION
    }

    public func backward(into grads: inout Self, _ dY: Matrix<T>, cache mask: Matrix<T>?) -> Matrix<T> {
        // BEGIN SOLUTION dropout
        guard let mask else { return dY }
        return dY * mask
        // END SOLUTION
    }
}
