/// Whether a stretch of GAN training looks like a balanced game, judged from its
/// records — the check the convergence test and the tutorial share.
///
/// In a balanced game D cannot tell real from generated: D(x) ≈ D(G(z)) ≈ 0.5 and each
/// of D's loss terms sits near log 2 ≈ 0.693. When D overpowers G, D's terms collapse
/// towards 0, D(x) → 1, D(G(z)) → 0, and G's loss climbs. The verdict averages each
/// figure over the stretch and lists every figure outside its band.
public struct GANBalance: Sendable {
    /// The records judged.
    public let count: Int
    /// Means over the stretch.
    public let discriminatorReal: Double, discriminatorFake: Double, meanDReal: Double, meanDFake: Double
    /// Each figure outside its band, as a sentence; empty when balanced.
    public let problems: [String]

    /// How far each of D's loss terms may stray from log 2: the band is log 2 ± 0.35.
    public static let termBand = 0.35
    /// How close to 0 or 1 the mean outputs D(x) and D(G(z)) may come: each must lie
    /// in [0.1, 0.9].
    public static let outputMargin = 0.1

    /// The fewest records a verdict is given on: over fewer iterations the averages
    /// say more about the noise of single batches than about the game.
    public static let minimumRecords = 25

    /// True when there are too few records (below ``minimumRecords``) for a verdict.
    public var isTooShort: Bool { count < Self.minimumRecords }

    /// Judges `records` (typically the last few hundred iterations).
    public init(_ records: [GANRecord]) {
        ensure(!records.isEmpty, "GANBalance needs at least one record")
        count = records.count
        func mean(_ f: (GANRecord) -> Double) -> Double { records.reduce(0) { $0 + f($1) } / Double(records.count) }
        discriminatorReal = mean(\.discriminatorReal)
        discriminatorFake = mean(\.discriminatorFake)
        meanDReal = mean(\.meanDReal)
        meanDFake = mean(\.meanDFake)
        let log2 = 0.693_147_180_559_945_3
        var problems: [String] = []
        for (name, value) in [
            ("D's loss on real images", discriminatorReal), ("D's loss on samples", discriminatorFake),
        ]
        where !(abs(value - log2) <= Self.termBand) {
            problems.append(
                "\(name) averages \(NumberFormat.fixed(value, decimals: 3)), outside log 2 ± \(Self.termBand)")
        }
        for (name, value) in [("mean D(x)", meanDReal), ("mean D(G(z))", meanDFake)]
        where !(value >= Self.outputMargin && value <= 1 - Self.outputMargin) {
            problems.append(
                "\(name) averages \(NumberFormat.fixed(value, decimals: 3)), pinned near \(value < 0.5 ? 0 : 1)")
        }
        self.problems = problems
    }

    /// True when every figure is within its band.
    public var isBalanced: Bool { problems.isEmpty }
}
