/// Adam's running statistics in a checkpoint, so that a restored run takes the very
/// steps the saved one would have taken.
///
/// See also: ``GANTrainer/checkpoint()``, ``GANTrainer/restore(from:)``.
extension Checkpoint {
    /// Stores Adam's state: the step count and β₁ᵗ, β₂ᵗ (for the bias correction), then
    /// the moments m and v of each of `model`'s parameters, as `prefix/steps`,
    /// `prefix/powers`, `prefix/m/<parameter>` and `prefix/v/<parameter>`. Before the
    /// first step there are no moments, and only the count is stored.
    public mutating func store<Model: Parameterized>(_ adam: Adam<Model>, as prefix: String) {
        store(count: adam.steps, as: prefix + "/steps")
        store(Matrix(rows: 1, columns: 2, elements: [adam.beta1Power, adam.beta2Power]), as: prefix + "/powers")
        guard let m = adam.m, let v = adam.v else { return }
        storeParameters(m, as: prefix + "/m")
        storeParameters(v, as: prefix + "/v")
    }

    /// Restores into `adam` the state ``store(_:as:)-(Adam<Model>,_)`` saved for a model
    /// shaped like `model`. Every moment must be there with its parameter's shape;
    /// nothing is changed unless all of it is.
    public func restore<Model: Parameterized>(
        _ adam: inout Adam<Model>, from prefix: String, shapedLike model: Model
    ) throws(CheckpointError) {
        let steps = try count(prefix + "/steps")
        let powers = try matrix(prefix + "/powers", as: Model.Scalar.self)
        guard powers.rows == 1 && powers.columns == 2 else {
            throw CheckpointError(
                file: source,
                problem: .shapeMismatch(
                    tensor: prefix + "/powers", expected: [1, 2], found: [powers.rows, powers.columns]))
        }
        // β₁ᵗ and β₂ᵗ: 1 before the first step, in [0, 1) after it (β < 1; a long run's
        // β₁ᵗ underflows to 0 in Float, which is harmless). Anything else would make the
        // bias correction 1 − βᵗ zero or negative, and every later step garbage.
        let validPowers = powers.elements.allSatisfy { steps == 0 ? $0 == 1 : ($0 >= 0 && $0 < 1) }
        guard validPowers else {
            throw CheckpointError(
                file: source,
                problem: .malformed(
                    "\(prefix)/powers holds \(powers.elements), but after \(steps) steps β₁ᵗ and β₂ᵗ lie "
                        + (steps == 0 ? "at 1" : "in [0, 1)")))
        }
        var moments: (m: Model, v: Model)? = nil
        if steps > 0 {
            var (m, v) = (model.zeroed(), model.zeroed())
            try restoreFiniteParameters(&m, from: prefix + "/m")
            try restoreFiniteParameters(&v, from: prefix + "/v")
            moments = (m, v)
        }
        adam.steps = steps
        (adam.beta1Power, adam.beta2Power) = (powers.elements[0], powers.elements[1])
        (adam.m, adam.v) = (moments?.m, moments?.v)
    }
}
