import Learn
import LearnTesting
import Testing

/// Global gradient-norm clipping, as PyTorch's `clip_grad_norm_`.
@Suite("Gradient clipping: one norm over every parameter")
struct GradientClippingTests {
    /// An LSTM's worth of gradients (14 matrices), scaled so their global norm is `norm`.
    static func gradients<T: Real>(_: T.Type, norm: Double, seed: UInt64 = 1) -> LSTM<T> {
        var generator = SeededGenerator(seed: seed)
        var g = LSTM<T>(inputSize: 10, hiddenSize: 8, classes: 10, using: &generator)
        let scale = T(norm) / g.globalNorm()
        for p in g.parameters { g[keyPath: p.path] = scale * g[keyPath: p.path] }
        return g
    }

    @Test("the global norm is √(Σ over all parameters of Σ g²)", .requires(.lstm), arguments: precisions)
    func globalNorm(_ type: any Real.Type) {
        func check<T: Real>(_: T.Type) {
            var generator = SeededGenerator(seed: 2)
            let g = LSTM<T>(inputSize: 3, hiddenSize: 5, classes: 10, using: &generator)
            let all = g.parameters.flatMap { g[keyPath: $0.path].elements }
            #expect(all.count == g.parameterCount)
            let expected = all.map { Double($0) * Double($0) }.reduce(0, +).squareRoot()
            #expect(abs(Double(g.globalNorm()) - expected) <= 1e-6 * expected)
        }
        check(type)
    }

    /// After clipping ‖g‖ = maxNorm · ‖g‖/(‖g‖ + 1e-6): short of maxNorm by a relative
    /// 1e-6/‖g‖, below 1e-6 for the norms here (≥ 1), plus rounding.
    @Test(
        "a gradient longer than maxNorm is scaled to maxNorm, keeping its direction",
        arguments: precisions, [(1.5, 1.0), (11, 10), (1e3, 10), (1e8, 10), (250, 0.5)])
    func clipsLongGradients(_ type: any Real.Type, _ sizes: (norm: Double, maxNorm: Double)) {
        func check<T: Real>(_: T.Type) {
            let original = Self.gradients(T.self, norm: sizes.norm)
            var g = original
            let before = clipGlobalNorm(&g, maxNorm: T(sizes.maxNorm))
            // The returned norm is the norm before clipping.
            #expect(abs(Double(before) - sizes.norm) <= 1e-5 * sizes.norm, "returned \(before)")
            // Float's own rounding of a sum of 1000 squares adds a few parts in 10⁷.
            let tolerance = T.self == Float.self ? 2e-6 : 1e-6
            let after = Double(g.globalNorm())
            #expect(
                after <= sizes.maxNorm * (1 + tolerance / 4), "norm after clipping \(after) exceeds \(sizes.maxNorm)")
            #expect(
                abs(after - sizes.maxNorm) <= tolerance * sizes.maxNorm,
                "norm after clipping \(after), maxNorm \(sizes.maxNorm)")
            // One common factor for every element of every parameter.
            let factor = Double(g.p.bp[0, 0]) / Double(original.p.bp[0, 0])
            for p in g.parameters {
                let ratios = zip(g[keyPath: p.path].elements, original[keyPath: p.path].elements).map {
                    Double($0) / Double($1)
                }
                #expect(ratios.allSatisfy { abs($0 - factor) <= 1e-6 * factor }, "\(p.name) scaled differently")
            }
        }
        check(type)
    }

    @Test(
        "a gradient within maxNorm is left exactly as it was", .requires(.lstm), arguments: precisions,
        [(0.0, 1.0), (1e-9, 1), (0.5, 1), (9.99, 10)])
    func leavesShortGradients(_ type: any Real.Type, _ sizes: (norm: Double, maxNorm: Double)) {
        func check<T: Real>(_: T.Type) {
            var generator = SeededGenerator(seed: 3)
            let original =
                sizes.norm == 0
                ? LSTM<T>(inputSize: 2, hiddenSize: 3, classes: 10, using: &generator).zeroed()
                : Self.gradients(T.self, norm: sizes.norm)
            var g = original
            let before = clipGlobalNorm(&g, maxNorm: T(sizes.maxNorm))
            #expect(abs(Double(before) - sizes.norm) <= 1e-5 * sizes.norm)
            for p in g.parameters {
                #expect(g[keyPath: p.path] == original[keyPath: p.path], "\(p.name) changed")
            }
        }
        check(type)
    }

    @Test("clipping works on any Parameterized value, e.g. a single gate", .requires(.forgetGate))
    func singleGate() {
        var g = ForgetGate<Double>(
            wx: Matrix([[3, 0]]), wh: Matrix([[0]]), b: Matrix([[4]]))
        let norm = clipGlobalNorm(&g, maxNorm: 1)
        #expect(norm == 5)
        // 3/5 and 4/5, less the 1e-6 in the denominator.
        #expect(abs(g.wfx[0, 0] - 0.6) <= 1e-6 && abs(g.bf[0, 0] - 0.8) <= 1e-6)
        #expect(g.wfh[0, 0] == 0)
    }
}
