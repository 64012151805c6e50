import Foundation

/// Two interleaving half circles, scikit-learn's `make_moons`: n // 2 points of class 0
/// on the upper one, the rest of class 1 on the lower one, then Gaussian noise.
///
///     class 0:  (cos θ, sin θ)               θ = π·i/(n₀ − 1),  i = 0 … n₀ − 1
///     class 1:  (1 − cos θ, 1/2 − sin θ)     θ = π·j/(n₁ − 1),  j = 0 … n₁ − 1
///
/// Neither class can be separated from the other by a line; a network with one hidden
/// layer of a few ReLUs can. The noiseless points are pinned to scikit-learn's by
/// `Fixtures/datasets/moons.json`; the noise comes from Learn's own generator.
public enum Moons {
    /// The course's data: 1,000 points with noise 0.2, in scikit-learn's order (class 0
    /// first; ``LabelledPoints/split(trainFraction:using:)`` shuffles).
    public static func points(
        count: Int = 1_000, noise: Double = 0.2, using random: inout SeededGenerator
    )
        -> LabelledPoints
    {
        noiseless(count: count).addingNoise(noise, using: &random)
    }

    /// The points before noise.
    public static func noiseless(count: Int) -> LabelledPoints {
        ensure(count >= 2, "moons need at least 2 points, got \(count)")
        let upper = LabelledPoints.linspace(0, .pi, count / 2, endpoint: true).map { (cos($0), sin($0)) }
        let lower = LabelledPoints.linspace(0, .pi, count - count / 2, endpoint: true).map {
            (1 - cos($0), 1 - sin($0) - 0.5)
        }
        return LabelledPoints.classes(upper, lower)
    }
}
