/// Which loss the generator minimises.
public enum GeneratorLoss: String, Sendable, CaseIterable {
    /// −log D(G(z)): strong gradients early (see `NonSaturatingLoss`). The default.
    case nonSaturating = "non-saturating"
    /// log(1 − D(G(z))), the original minimax term: saturates early (see `MinimaxLoss`).
    case minimax
}
