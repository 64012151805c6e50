import Foundation

/// An exponential learning-rate schedule: the step size is multiplied by γ every k
/// epochs,
///
///     η_e = η₀ · γ^⌊e/k⌋
///
/// where e is the number of epochs already finished (0 during the first). It is
/// PyTorch's `StepLR(optimizer, step_size: k, gamma: γ)` stepped once per epoch, and
/// `ExponentialLR(gamma: γ)` when k = 1. γ = 1 keeps η₀ throughout, bit for bit.
/// Assignment 2's reports use γ = 0.98, k = 10 on RMSProp's η₀ = 1e-3: after 100
/// epochs η is 0.98¹⁰ ≈ 0.82 of where it started.
///
/// A smaller step late in training lets the optimiser settle into a minimum that a
/// constant step would keep jumping across.
///
/// See also: ``RMSProp``, `PalindromeOptions/learningRateDecay`.
public struct ExponentialDecay: Sendable, Equatable {
    /// η₀, the step size of the first k epochs.
    public var initialRate: Float
    /// γ, in (0, 1]: the factor applied every k epochs.
    public var factor: Float
    /// k ≥ 1, the epochs between decays.
    public var interval: Int

    /// η₀ decayed by `factor` (γ) every `interval` (k) epochs.
    public init(initialRate: Float, factor: Float, interval: Int) {
        ensure(initialRate > 0 && initialRate.isFinite, "η₀ must be a positive number, got \(initialRate)")
        ensure(factor > 0 && factor <= 1, "the decay factor γ must lie in (0, 1], got \(factor)")
        ensure(interval >= 1, "the decay interval k must be at least 1 epoch, got \(interval)")
        (self.initialRate, self.factor, self.interval) = (initialRate, factor, interval)
    }

    /// η_e = η₀ · γ^⌊e/k⌋, the step size once `epochs` (e ≥ 0) epochs are finished.
    public func learningRate(afterEpochs epochs: Int) -> Float {
        ensure(epochs >= 0, "the number of finished epochs cannot be negative, got \(epochs)")
        // The power in Double: γ^n for hundreds of decays stays accurate to Float's
        // last bit, and γ⁰ = 1 exactly, so the first k epochs use η₀ itself.
        // BEGIN SOLUTION learningRateDecay
        let decays = epochs / interval
        return initialRate * Float(Foundation.pow(Double(factor), Double(decays)))
        // END SOLUTION
    }
}

extension PalindromeOptions {
    /// η_e = η₀ · γ^⌊e/k⌋ from `learningRate`, `learningRateDecay` and
    /// `decayInterval`; call `validate()` first.
    public var learningRateSchedule: ExponentialDecay {
        ExponentialDecay(initialRate: learningRate, factor: learningRateDecay, interval: decayInterval)
    }
}
