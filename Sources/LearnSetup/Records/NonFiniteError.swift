/// Training stopped because a number stopped being a number.
public struct NonFiniteError: Error, CustomStringConvertible {
    /// The optimiser step at which it happened.
    public let step: Int
    /// What went non-finite, e.g. "the loss" or "the gradients".
    public let what: String

    /// A record that `what` went non-finite at `step`.
    public init(step: Int, what: String) {
        (self.step, self.what) = (step, what)
    }
    /// What went non-finite and when, with what to try next.
    public var description: String {
        "\(what) became NaN or infinite at step \(step); training stopped before the weights were spoiled"
            + " (try a smaller learning rate or a tighter clip norm)"
    }
}
