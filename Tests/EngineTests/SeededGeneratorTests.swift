import Foundation
import EngineTesting
import LearnEngine
import Testing

/// The seeded generator: reproducible, platform-independent, and statistically sound
/// enough for initialisation, shuffling and sampling.
@Suite("SeededGenerator: xoshiro256** seeded by SplitMix64")
struct SeededGeneratorTests {
    /// The first outputs for a few seeds, from an independent implementation of the
    /// published algorithms (SplitMix64 filling the state, then xoshiro256**). A change
    /// here changes every seeded run and fixture, on every machine.
    static let pinned: [(seed: UInt64, first: [UInt64])] = [
        (0, [0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A, 0x1A5F_849D_4933_E6E0, 0x6AA5_94F1_262D_2D2C]),
        (1, [0xB3F2_AF6D_0FC7_10C5, 0x853B_5596_4736_4CEA, 0x92F8_9756_082A_4514, 0x642E_1C7B_C266_A3A7]),
        (42, [0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1, 0xECB8_AD47_03B3_60A1]),
    ]

    @Test("the first 64-bit outputs are pinned", arguments: pinned.map(\.seed))
    func pinnedBits(_ seed: UInt64) throws {
        let expected = try #require(Self.pinned.first { $0.seed == seed }).first
        var generator = SeededGenerator(seed: seed)
        let actual = (0..<expected.count).map { _ in generator.next() }
        #expect(actual == expected)
    }

    @Test("uniform(), integer(below:) and normal() are pinned for a known seed")
    func pinnedDerived() {
        var generator = SeededGenerator(seed: 0)
        // (next() >> 11) · 2⁻⁵³: exact, so compared exactly.
        #expect(
            (0..<3).map { _ in generator.uniform() } == [0.6012629994179048, 0.7477740925472398, 0.10301998939503632])
        // Lemire's method as the standard library implements `next(upperBound:)`.
        generator = SeededGenerator(seed: 7)
        #expect((0..<12).map { _ in generator.integer(below: 10) } == [7, 2, 8, 9, 9, 8, 0, 1, 4, 1, 5, 7])
        // Box–Muller goes through log, cos and sin: equal to a few ulps, not bits.
        generator = SeededGenerator(seed: 3)
        let (z0, z1) = (generator.normal(), generator.normal())
        #expect(abs(z0 - -0.9721068514561665) <= 1e-14)
        #expect(abs(z1 - -1.1838481789289437) <= 1e-14)
    }

    @Test("the same seed gives the same stream", arguments: [0, 1, 12345, UInt64.max])
    func sameSeed(_ seed: UInt64) {
        var a = SeededGenerator(seed: seed)
        var b = SeededGenerator(seed: seed)
        #expect((0..<1000).map { _ in a.next() } == (0..<1000).map { _ in b.next() })
        #expect((0..<100).map { _ in a.normal() } == (0..<100).map { _ in b.normal() })
    }

    @Test("nearby seeds give unrelated streams")
    func differentSeeds() {
        let streams = (0..<64).map { seed in
            var g = SeededGenerator(seed: UInt64(seed))
            return (0..<4).map { _ in g.next() }
        }
        #expect(Set(streams.flatMap { $0 }).count == 64 * 4, "some outputs repeat across seeds 0…63")
        // Consecutive seeds should differ in about half of their 64 bits.
        let flipped = zip(streams, streams.dropFirst()).map { ($0[0] ^ $1[0]).nonzeroBitCount }
        let meanFlipped = Double(flipped.reduce(0, +)) / Double(flipped.count)
        #expect(abs(meanFlipped - 32) <= 3, "mean bits flipped between seeds: \(meanFlipped)")
    }

    @Test("uniform() lies in [0, 1) with mean ½ and variance 1/12")
    func uniformUnit() {
        var generator = SeededGenerator(seed: 9)
        let xs = (0..<100_000).map { _ in generator.uniform() }
        #expect(xs.allSatisfy { $0 >= 0 && $0 < 1 })
        let mean = xs.reduce(0, +) / Double(xs.count)
        let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count)
        // Standard errors: 0.0009 for the mean, 0.0003 for the variance; allow ~5σ.
        #expect(abs(mean - 0.5) <= 0.005, "mean \(mean)")
        #expect(abs(variance - 1.0 / 12) <= 0.0015, "variance \(variance)")
    }

    @Test("uniform(low, high) stays in [low, high)", arguments: precisions)
    func uniformRange(_ type: any Real.Type) {
        func check<T: Real>(_: T.Type) {
            var generator = SeededGenerator(seed: 4)
            let xs = (0..<10_000).map { _ -> T in generator.uniform(T(-0.25), T(0.75)) }
            #expect(xs.allSatisfy { $0 >= -0.25 && $0 <= 0.75 })
            let m: Matrix<T> = randomMatrix(50, 40, seed: 5, bound: T(0.125))
            #expect(m.elements.allSatisfy { abs($0) <= 0.125 })
            #expect(m.elements.contains { $0 > 0 } && m.elements.contains { $0 < 0 })
        }
        check(type)
    }

    /// Pearson's χ² with `bound − 1` degrees of freedom. For bound = 10 the 99.9th
    /// percentile is 27.9; a seeded run either passes or fails forever, so the
    /// threshold is set where a correct generator essentially never lands.
    @Test("integer(below:) is in range and uniform (χ² test)", arguments: [1, 2, 3, 10, 37, 1000])
    func integerBelow(_ bound: Int) {
        var generator = SeededGenerator(seed: UInt64(bound))
        let draws = 200 * bound + 10_000
        var counts = [Int](repeating: 0, count: bound)
        for _ in 0..<draws {
            let x = generator.integer(below: bound)
            guard (0..<bound).contains(x) else {
                Issue.record("integer(below: \(bound)) returned \(x)")
                return
            }
            counts[x] += 1
        }
        guard bound > 1 else { return }
        let expected = Double(draws) / Double(bound)
        let chiSquare = counts.reduce(0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        // The mean of χ² is its degrees of freedom, and its standard deviation √(2·df):
        // allow df + 5 standard deviations.
        let df = Double(bound - 1)
        #expect(
            chiSquare <= df + 5 * (2 * df).squareRoot() + 5,
            "χ² = \(chiSquare) with \(bound - 1) degrees of freedom: \(counts)")
    }

    @Test("normal() has mean 0, variance 1 and the normal's tails")
    func normal() {
        var generator = SeededGenerator(seed: 11)
        let count = 100_000
        let zs = (0..<count).map { _ in generator.normal() }
        #expect(zs.allSatisfy { $0.isFinite })
        let mean = zs.reduce(0, +) / Double(count)
        let variance = zs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(count)
        // Standard errors: 0.0032 for the mean, 0.0045 for the variance; allow ~5σ.
        #expect(abs(mean) <= 0.016, "mean \(mean)")
        #expect(abs(variance - 1) <= 0.025, "variance \(variance)")
        // P(|z| > 2) = 4.55%, P(|z| > 3) = 0.27%.
        let beyond2 = Double(zs.filter { abs($0) > 2 }.count) / Double(count)
        let beyond3 = Double(zs.filter { abs($0) > 3 }.count) / Double(count)
        #expect(abs(beyond2 - 0.0455) <= 0.004, "P(|z| > 2) = \(beyond2)")
        #expect(abs(beyond3 - 0.0027) <= 0.001, "P(|z| > 3) = \(beyond3)")
    }

    @Test("shuffle gives a permutation, reproducibly", arguments: [0, 1, 2, 3, 10, 1000])
    func shuffle(_ count: Int) {
        let original = Array(0..<count)
        var a = original
        var b = original
        var g1 = SeededGenerator(seed: 8)
        var g2 = SeededGenerator(seed: 8)
        g1.shuffle(&a)
        g2.shuffle(&b)
        #expect(a.sorted() == original, "not a permutation")
        #expect(a == b, "the same seed shuffled differently")
        if count >= 10 { #expect(a != original, "a shuffle of \(count) elements left them in order") }
    }

    @Test("shuffle reaches every ordering of three elements about equally often")
    func shuffleUniform() {
        var generator = SeededGenerator(seed: 12)
        var counts: [[Int]: Int] = [:]
        for _ in 0..<6000 {
            var a = [0, 1, 2]
            generator.shuffle(&a)
            counts[a, default: 0] += 1
        }
        #expect(counts.count == 6)
        // Each of the 6 orderings expects 1000 (standard deviation ≈ 29).
        #expect(counts.values.allSatisfy { abs($0 - 1000) <= 150 }, "\(counts)")
    }

    @Test("Matrix.normal draws standard normals, reproducibly", arguments: precisions)
    func matrixNormal(_ type: any Real.Type) {
        func check<T: Real>(_: T.Type) {
            var g1 = SeededGenerator(seed: 2)
            var g2 = SeededGenerator(seed: 2)
            let a = Matrix<T>.normal(rows: 100, columns: 100, using: &g1)
            #expect(a == Matrix<T>.normal(rows: 100, columns: 100, using: &g2))
            let mean = Double(a.sum()) / Double(a.count)
            #expect(abs(mean) <= 0.05, "mean \(mean)")
            #expect(abs(Double(a.squaredNorm()) / Double(a.count) - 1) <= 0.08)
        }
        check(type)
    }
}
