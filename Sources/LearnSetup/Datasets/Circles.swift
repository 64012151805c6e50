import Foundation

/// Two concentric circles, scikit-learn's `make_circles`: n // 2 points of class 0 on the
/// unit circle, the rest of class 1 on a circle `factor` times as large, then Gaussian noise.
///
///     class 0:  (cos θ, sin θ)                   θ = 2π·i/n₀,  i = 0 … n₀ − 1
///     class 1:  factor·(cos θ, sin θ)            θ = 2π·j/n₁,  j = 0 … n₁ − 1
///
/// The classes are separated by a circle, which no line through the plane is. The
/// noiseless points are pinned to scikit-learn's by `Fixtures/datasets/circles.json`;
/// the noise comes from Learn's own generator.
public enum Circles {
    /// The course's data: 1,000 points, noise 0.05, factor 0.8, in scikit-learn's order
    /// (class 0 first; ``LabelledPoints/split(trainFraction:using:)`` shuffles).
    public static func points(
        count: Int = 1_000, noise: Double = 0.05, factor: Double = 0.8, using random: inout SeededGenerator
    ) -> LabelledPoints {
        noiseless(count: count, factor: factor).addingNoise(noise, using: &random)
    }

    /// The points before noise.
    public static func noiseless(count: Int, factor: Double = 0.8) -> LabelledPoints {
        ensure(count >= 2, "circles need at least 2 points, got \(count)")
        ensure(factor > 0 && factor < 1, "the inner circle's factor must lie in (0, 1), got \(factor)")
        let outer = LabelledPoints.linspace(0, 2 * .pi, count / 2, endpoint: false).map { (cos($0), sin($0)) }
        let inner = LabelledPoints.linspace(0, 2 * .pi, count - count / 2, endpoint: false).map {
            (factor * cos($0), factor * sin($0))
        }
        return LabelledPoints.classes(outer, inner)
    }
}
