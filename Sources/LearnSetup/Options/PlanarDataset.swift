/// The two data sets in the plane Assignment 2's MLP learns, by the names the command
/// line uses: `moons` and `circles`.
public enum PlanarDataset: String, CaseIterable, Sendable {
    /// Two interleaving half circles (``Moons``), noise 0.2 by default.
    case moons
    /// Two concentric circles (``Circles``), noise 0.05 by default.
    case circles

    /// The noise the course uses for this data set.
    public var defaultNoise: Double { self == .moons ? 0.2 : 0.05 }

    /// `count` points with noise of standard deviation `noise`, drawn from `random`.
    public func points(count: Int, noise: Double, using random: inout SeededGenerator) -> LabelledPoints {
        switch self {
        case .moons: Moons.points(count: count, noise: noise, using: &random)
        case .circles: Circles.points(count: count, noise: noise, using: &random)
        }
    }
}
