/// The networks an architecture describes, built of the pieces.
extension GANArchitecture {
    /// The generator: a first block Linear → LeakyReLU, a block Linear → BatchNorm →
    /// LeakyReLU for each further hidden width, then Linear → tanh, so pixels lie in
    /// (−1, 1).
    public func generator<T: Real>(using random: inout SeededGenerator, as _: T.Type = T.self) -> Generator<T> {
        ensure(!generatorWidths.isEmpty, "a generator needs at least one hidden width (its first block), got none")
        let slope = LeakyReLU<T>(slope: T(self.slope))
        let first = generatorWidths.first ?? imageSize
        let input = DenseBlock(linear: Linear<T>(inputs: noiseSize, outputs: first, using: &random), activation: slope)
        var hidden: [NormalizedBlock<T>] = []
        for (width, next) in zip(generatorWidths, generatorWidths.dropFirst()) {
            hidden.append(
                NormalizedBlock(
                    linear: Linear(inputs: width, outputs: next, using: &random), norm: BatchNorm(features: next),
                    activation: slope))
        }
        let last = generatorWidths.last ?? imageSize
        return Generator(input: input, hidden: hidden, output: Linear(inputs: last, outputs: imageSize, using: &random))
    }

    /// The discriminator: Linear → LeakyReLU [→ Dropout] for each hidden width, then a
    /// Linear to one *logit* ℓ. D(x) = σ(ℓ) is applied inside the losses, where
    /// log σ(ℓ) can be computed without ever taking log(0) (see ``Softplus``).
    public func discriminator<T: Real>(
        using random: inout SeededGenerator, as _: T.Type = T.self
    ) -> Discriminator<T> {
        var hidden: [DenseBlock<T>] = []
        var width = imageSize
        for next in discriminatorWidths {
            let linear = Linear<T>(inputs: width, outputs: next, using: &random)
            let dropout = dropout > 0 ? Dropout<T>(probability: T(dropout), seed: random.next()) : nil
            hidden.append(DenseBlock(linear: linear, activation: LeakyReLU(slope: T(slope)), dropout: dropout))
            width = next
        }
        return Discriminator(hidden: hidden, output: Linear(inputs: width, outputs: 1, using: &random))
    }
}
