import Foundation

/// A seeded random number generator that gives the same numbers on every machine.
///
/// The engine is xoshiro256** (Blackman & Vigna, 2018): 256 bits of state, period
/// 2²⁵⁶ − 1, fast, and defined purely by 64-bit integer operations, so a seed means the
/// same stream everywhere. The state is filled from the seed by SplitMix64, as the
/// authors recommend, so that nearby seeds (0, 1, 2, …) give unrelated streams.
///
/// Uniform numbers are bit-identical across platforms. Normal numbers use Box–Muller,
/// which calls `log`, `cos` and `sin`; those agree across mainstream C libraries to the
/// last bit for almost all inputs, so treat normals as reproducible per platform.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    @usableFromInline var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    /// A second normal deviate left over from the last Box–Muller pair.
    @usableFromInline var spareNormal: Double?

    /// A generator whose whole stream is fixed by `seed`.
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        (s0, s1, s2, s3) = (splitMix(), splitMix(), splitMix(), splitMix())
        spareNormal = nil
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotate(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotate(s3, 45)
        return result
    }

    @inlinable
    func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform number in [0, 1) with 53 random bits.
    @inlinable
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform number in [low, high).
    @inlinable
    public mutating func uniform<T: Real>(_ low: T, _ high: T) -> T {
        low + (high - low) * T(uniform())
    }

    /// A uniform integer in 0..<bound, without modulo bias (Lemire's method).
    @inlinable
    public mutating func integer(below bound: Int) -> Int {
        ensure(bound > 0, "integer(below:) needs a positive bound, got \(bound)")
        return Int(next(upperBound: UInt64(bound)))
    }

    /// A standard normal number (mean 0, variance 1), by the Box–Muller transform.
    public mutating func normal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        // 1 − u lies in (0, 1], so the logarithm is finite.
        let radius = (-2 * Foundation.log(1 - uniform())).squareRoot()
        let angle = 2 * Double.pi * uniform()
        spareNormal = radius * Foundation.sin(angle)
        return radius * Foundation.cos(angle)
    }

    /// Shuffles an array in place (Fisher–Yates), reproducibly for a given seed.
    public mutating func shuffle<Element>(_ array: inout [Element]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, integer(below: i + 1))
        }
    }
}

extension Matrix {
    /// A matrix of uniform numbers in [−bound, bound): PyTorch's default initialisation
    /// for `nn.Linear` and `nn.LSTM` with `bound = 1/√fan` (fan = hidden size for
    /// recurrent layers, input size for linear layers).
    public static func uniform(
        rows: Int, columns: Int, bound: T, using generator: inout SeededGenerator
    ) -> Matrix {
        var m = Matrix(rows: rows, columns: columns)
        for k in 0..<m.count { m.elements[k] = generator.uniform(-bound, bound) }
        return m
    }

    /// A matrix of standard normal numbers (the GAN's noise z).
    public static func normal(
        rows: Int, columns: Int, using generator: inout SeededGenerator
    ) -> Matrix {
        var m = Matrix(rows: rows, columns: columns)
        for k in 0..<m.count { m.elements[k] = T(generator.normal()) }
        return m
    }
}
