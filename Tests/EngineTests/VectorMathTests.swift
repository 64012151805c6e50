import Foundation
import EngineTesting
import LearnEngine
import Testing

/// The eight-lane `exp`, `sigmoid` and `tanh` behind `Float`'s bulk operations,
/// against Foundation's Double functions (the reference, correctly rounded or nearly).
@Suite("VectorMath: Float exp, sigmoid, tanh")
struct VectorMathTests {
    /// A sweep over the whole useful range in steps that hit no round numbers, plus
    /// the edges: the clamp points of exp, where Float's exp overflows (≈ 88.72) and
    /// underflows, zero, tiny values and denormals.
    static let inputs: [Float] = {
        var xs = Array(stride(from: Float(-100), through: 100, by: 0.0371))
        xs += [0, -0.0, 1, -1, 1e-3, -1e-3, 1e-7, -1e-7, 1e-30, -1e-30, 1e-45, -1e-45]
        xs += [88, -88, 87.3, -87.3, 88.3, -88.3, 88.7, -88.7, 89, -89, 100, -100, 0.5 * Float(M_LN2)]
        return xs
    }()

    /// Buffer lengths around the 8-lane width, so the padded tail is exercised.
    static let bufferLengths = [0, 1, 3, 7, 8, 9, 15, 16, 17, 63, 100, 1001]

    /// The bulk function applied to `inputs`.
    static func bulk(_ f: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void, _ xs: [Float]) -> [Float] {
        var ys = [Float](repeating: .nan, count: xs.count)
        xs.withUnsafeBufferPointer { x in
            ys.withUnsafeMutableBufferPointer { y in f(x.baseAddress!, y.baseAddress!, xs.count) }
        }
        return ys
    }

    /// Relative error |y − r| / |r| in units of Float's ε (2⁻²³ ≈ 1.19e-7).
    static func relativeError(_ y: Float, _ reference: Double) -> Double {
        abs(Double(y) - reference) / abs(reference) / Double(Float.ulpOfOne)
    }

    @Test("exp: within 2 ε relative of Foundation on [−87.3, 88.3]; clamped, finite and ≥ 0 outside")
    func exp() {
        let ys = Self.bulk(Float.exp(_:into:count:), Self.inputs)
        var worst = (x: Float(0), error: 0.0)
        for (x, y) in zip(Self.inputs, ys) {
            if x >= -87.3 && x <= 88.3 {
                let error = Self.relativeError(y, Foundation.exp(Double(x)))
                if error > worst.error { worst = (x, error) }
            } else {
                // Outside the clamp the result is exp of the clamp point: finite, and
                // below the smallest normal Float on the left.
                #expect(y.isFinite && y >= 0, "exp(\(x)) = \(y)")
                if x < 0 { #expect(y <= 1.22e-38, "exp(\(x)) = \(y)") } else { #expect(y >= 2e38, "exp(\(x)) = \(y)") }
            }
        }
        #expect(worst.error <= 2, "worst relative error \(worst.error) ε at x = \(worst.x)")
    }

    @Test("sigmoid: within 2e-7 absolute and 3 ε relative of 1/(1 + e^(−x)) in Double")
    func sigmoid() {
        let ys = Self.bulk(Float.sigmoid(_:into:count:), Self.inputs)
        var worstAbsolute = (x: Float(0), error: 0.0)
        var worstRelative = (x: Float(0), error: 0.0)
        for (x, y) in zip(Self.inputs, ys) {
            let reference = 1 / (1 + Foundation.exp(-Double(x)))
            let absolute = abs(Double(y) - reference)
            if absolute > worstAbsolute.error { worstAbsolute = (x, absolute) }
            // Relative accuracy is promised only while σ is a normal Float (x ≥ −87).
            if x >= -87 {
                let relative = Self.relativeError(y, reference)
                if relative > worstRelative.error { worstRelative = (x, relative) }
            }
        }
        #expect(worstAbsolute.error <= 2e-7, "worst absolute error \(worstAbsolute.error) at x = \(worstAbsolute.x)")
        #expect(worstRelative.error <= 3, "worst relative error \(worstRelative.error) ε at x = \(worstRelative.x)")
    }

    @Test("tanh: within 3e-7 absolute of Foundation (2σ(2x) − 1 cancels near 0, by design)")
    func tanh() {
        let ys = Self.bulk(Float.tanh(_:into:count:), Self.inputs)
        var worst = (x: Float(0), error: 0.0)
        for (x, y) in zip(Self.inputs, ys) {
            let error = abs(Double(y) - Foundation.tanh(Double(x)))
            if error > worst.error { worst = (x, error) }
        }
        #expect(worst.error <= 3e-7, "worst absolute error \(worst.error) at x = \(worst.x)")
    }

    static let extremes: [Float] = [
        -.infinity, -.greatestFiniteMagnitude, -1e30, -1000, -100, -89, -88, 0, 88, 89, 100, 1000, 1e30,
        .greatestFiniteMagnitude, .infinity,
    ]

    @Test("sigmoid and tanh are never NaN or infinite, and stay in range, for extreme inputs", arguments: extremes)
    func extremeInputs(_ x: Float) {
        let s = Self.bulk(Float.sigmoid(_:into:count:), [x])[0]
        let t = Self.bulk(Float.tanh(_:into:count:), [x])[0]
        let e = Self.bulk(Float.exp(_:into:count:), [x])[0]
        #expect(s.isFinite && s >= 0 && s <= 1, "σ(\(x)) = \(s)")
        #expect(t.isFinite && t >= -1 && t <= 1, "tanh(\(x)) = \(t)")
        #expect(e.isFinite && e >= 0, "exp(\(x)) = \(e)")
        // Saturation has the right sign.
        if x >= 100 { #expect(s == 1 && t == 1) }
        if x <= -100 { #expect(s < 1e-37 && t == -1) }
    }

    /// The tail of a buffer whose length is not a multiple of 8 goes through a padded
    /// vector: its values must match, and nothing past `count` may be written.
    @Test(
        "any buffer length: same values as one lane at a time, nothing written past the end", arguments: bufferLengths)
    func lengths(_ count: Int) {
        // Values in [−29, 29], where all three functions are finite and unclamped.
        let xs = (0..<count).map { Float($0 % 97) * 0.6 - 29 }
        let kernels: [(String, (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void, (Double) -> Double)] =
            [
                ("exp", Float.exp(_:into:count:), Foundation.exp),
                ("sigmoid", Float.sigmoid(_:into:count:), { 1 / (1 + Foundation.exp(-$0)) }),
                ("tanh", Float.tanh(_:into:count:), Foundation.tanh),
            ]
        for (name, kernel, reference) in kernels {
            // Eight guard elements after the buffer.
            var ys = [Float](repeating: -7, count: count + 8)
            xs.withUnsafeBufferPointer { x in
                ys.withUnsafeMutableBufferPointer { y in
                    if count > 0 { kernel(x.baseAddress!, y.baseAddress!, count) }
                }
            }
            let wrong = (0..<count).filter { k in
                let r = reference(Double(xs[k]))
                return !(abs(Double(ys[k]) - r) <= 4e-7 * max(1, abs(r)))
            }
            #expect(wrong.isEmpty, "\(name) is off at elements \(wrong) of \(count)")
            #expect(ys[count...].allSatisfy { $0 == -7 }, "\(name) wrote past element \(count)")
        }
    }

    @Test("in place: x and y may be the same buffer", arguments: [7, 8, 21])
    func inPlace(_ count: Int) {
        let xs = (0..<count).map { Float($0) - 10 }
        var ys = xs
        ys.withUnsafeMutableBufferPointer { y in Float.tanh(y.baseAddress!, into: y.baseAddress!, count: count) }
        #expect(ys == Self.bulk(Float.tanh(_:into:count:), xs))
    }

    @Test("Double's bulk functions are Foundation's, exactly")
    func doubleBulk() {
        let xs = stride(from: -50.0, through: 50, by: 0.173).map { $0 }
        var ys = [Double](repeating: 0, count: xs.count)
        xs.withUnsafeBufferPointer { x in
            ys.withUnsafeMutableBufferPointer { y in
                Double.exp(x.baseAddress!, into: y.baseAddress!, count: xs.count)
                #expect(zip(y, xs).allSatisfy { $0 == Foundation.exp($1) })
                Double.tanh(x.baseAddress!, into: y.baseAddress!, count: xs.count)
                #expect(zip(y, xs).allSatisfy { $0 == Foundation.tanh($1) })
                Double.sigmoid(x.baseAddress!, into: y.baseAddress!, count: xs.count)
                #expect(zip(y, xs).allSatisfy { abs($0 - 1 / (1 + Foundation.exp(-$1))) <= 2 * Double.ulpOfOne })
            }
        }
    }

    @Test("scalar sigmoid is finite and monotone at the extremes", arguments: precisions)
    func scalarSigmoid(_ type: any Real.Type) {
        func check<T: Real>(_: T.Type) {
            let xs: [T] = [-.greatestFiniteMagnitude, -1000, -50, -1, 0, 1, 50, 1000, .greatestFiniteMagnitude]
            let ys = xs.map(T.sigmoid)
            #expect(ys.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 }, "\(ys)")
            #expect(zip(ys, ys.dropFirst()).allSatisfy { $0 <= $1 }, "\(ys)")
            #expect(T.sigmoid(0) == 0.5)
        }
        check(type)
    }

    @Test("Matrix.exp, sigmoid and tanh agree with the scalar functions", arguments: precisions)
    func matrixFunctions(_ type: any Real.Type) {
        func check<T: Real>(_: T.Type) {
            let z: Matrix<T> = randomMatrix(5, 11, seed: 3, bound: 6)
            let tolerance: T = T.self == Float.self ? 4e-7 : 1e-15
            // exp reaches e⁶ ≈ 403 here, so compare it relatively.
            let ratio = z.exp().combined(with: z.map(T.exp), operation: "exp ratio") { $0 / $1 }
            expectClose(ratio, Matrix(shapeOf: z, repeating: 1), tolerance: tolerance, "exp relative")
            expectClose(z.sigmoid(), z.map(T.sigmoid), tolerance: tolerance, "sigmoid")
            expectClose(z.tanh(), z.map(T.tanh), tolerance: tolerance, "tanh")
            var w = z
            w.formSigmoid()
            #expect(w == z.sigmoid())
            w = z
            w.formTanh()
            #expect(w == z.tanh())
        }
        check(type)
    }
}
