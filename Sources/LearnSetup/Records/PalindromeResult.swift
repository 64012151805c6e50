/// How a training run ended.
public struct PalindromeResult: Sendable {
    /// The optimiser steps taken.
    public var steps: Int
    /// The final test accuracy.
    public var testAccuracy: Double
    /// Every step's record.
    public var history: [PalindromeProgress]

    /// A run's outcome.
    public init(steps: Int, testAccuracy: Double, history: [PalindromeProgress]) {
        (self.steps, self.testAccuracy, self.history) = (steps, testAccuracy, history)
    }

    /// The first step at which the test accuracy reached `threshold`, if it did.
    public func firstStep(reaching threshold: Double) -> Int? {
        history.first { ($0.testAccuracy ?? 0) >= threshold }?.step
    }
}
