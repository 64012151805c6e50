import Foundation
import Learn
import LearnTesting
import Testing

/// Equations (8)–(9): softmax and the mean cross-entropy, fused.
@Suite("Softmax and cross-entropy (8)–(9)")
struct SoftmaxCrossEntropyTests {
    static let k = 10

    /// Scores of every scale the training can produce, and beyond.
    static let scales: [Double] = [1e-3, 1, 30, 1000]

    @Test("softmax rows are positive and sum to 1", .requires(.softmaxCrossEntropy), arguments: precisions, scales)
    func rowsSumToOne(_ type: any Real.Type, scale: Double) {
        func check<T: Real>(_: T.Type) {
            let p: Matrix<T> = randomMatrix(6, Self.k, seed: 1, bound: T(scale))
            let y = SoftmaxCrossEntropy.softmax(p)
            #expect(y.shape == p.shape)
            #expect(y.elements.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
            for n in 0..<y.rows {
                let total = y.row(n).reduce(0, +)
                #expect(abs(total - 1) <= 10 * T.ulpOfOne, "row \(n) sums to \(total)")
            }
        }
        check(type)
    }

    @Test(
        "softmax is unchanged by adding a constant to a row", .requires(.softmaxCrossEntropy), arguments: precisions,
        [-1000.0, -3.5, 0.25, 77, 1000])
    func shiftInvariant(_ type: any Real.Type, shift: Double) {
        func check<T: Real>(_: T.Type) {
            let p: Matrix<T> = randomMatrix(4, Self.k, seed: 2, bound: 5)
            // A different shift per row, so rows are shifted independently.
            var shifted = p
            for n in 0..<p.rows {
                for j in 0..<p.columns { shifted[n, j] += T(shift) * T(n + 1) }
            }
            // The shift itself is rounded when added (|p + 4000| has an ulp of 5e-4 in
            // Float), so the tolerance scales with the shift's size.
            let rounding = T(max(1, abs(shift) * 4)) * T.ulpOfOne * 8
            expectClose(
                SoftmaxCrossEntropy.softmax(shifted), SoftmaxCrossEntropy.softmax(p), tolerance: rounding,
                "shift \(shift)")
            let labels = [0, 3, 9, 5]
            let l0 = SoftmaxCrossEntropy.forward(p, labels: labels).loss
            let l1 = SoftmaxCrossEntropy.forward(shifted, labels: labels).loss
            #expect(abs(l0 - l1) <= rounding * 10, "loss \(l0) vs \(l1) after shift \(shift)")
        }
        check(type)
    }

    @Test(
        "a uniform prediction costs log 10 whatever the label", .requires(.softmaxCrossEntropy), arguments: precisions,
        [0.0, -7.25, 3])
    func uniformCostsLog10(_ type: any Real.Type, level: Double) {
        func check<T: Real>(_: T.Type) {
            let p = Matrix<T>(rows: Self.k, columns: Self.k, repeating: T(level))
            let loss = SoftmaxCrossEntropy.forward(p, labels: Array(0..<Self.k)).loss
            #expect(abs(loss - T.log(10)) <= 8 * T.ulpOfOne, "\(loss) vs log 10 = \(T.log(10))")
            #expect(SoftmaxCrossEntropy.softmax(p).elements.allSatisfy { abs($0 - 0.1) <= 4 * T.ulpOfOne })
        }
        check(type)
    }

    /// log ŷ_y = (p_y − m) − log Σ_j e^(p_j − m) is exact to a few ulps of the *loss*
    /// whatever the size of the logits. Adding m back first, (m + log Σ) − p_y, rounds
    /// to half an ulp of m instead: 3e-5 in Float when the logits are near 1000, a
    /// relative error of 4e-5 on a loss of log 2.
    @Test(
        "the loss keeps full precision when the logits are large (the max is subtracted before the log-sum, not added back)",
        .requires(.softmaxCrossEntropy),
        arguments: precisions, [400.0, 1000, -1000])
    func largeLogitsKeepPrecision(_ type: any Real.Type, level: Double) {
        func check<T: Real>(_: T.Type) {
            let uniform = Matrix<T>(rows: 1, columns: Self.k, repeating: T(level))
            let loss = SoftmaxCrossEntropy.forward(uniform, labels: [3]).loss
            #expect(abs(loss - T.log(10)) <= 8 * T.ulpOfOne, "uniform at \(level): \(loss) vs log 10 = \(T.log(10))")
            // Two classes tied at the top: the loss is log 2.
            var tied = Matrix<T>(rows: 1, columns: Self.k, repeating: T(level) - 1000)
            tied[0, 0] = T(level)
            tied[0, 1] = T(level)
            let tiedLoss = SoftmaxCrossEntropy.forward(tied, labels: [0]).loss
            #expect(abs(tiedLoss - T.log(2)) <= 8 * T.ulpOfOne, "tied at \(level): \(tiedLoss) vs log 2 = \(T.log(2))")
        }
        check(type)
    }

    @Test(
        "logits of ±1000 give a finite loss: 0 when confidently right, 2000 when confidently wrong",
        .requires(.softmaxCrossEntropy),
        arguments: precisions)
    func stableForHugeLogits(_ type: any Real.Type) {
        func check<T: Real>(_: T.Type) {
            var p = Matrix<T>(rows: 3, columns: Self.k, repeating: -1000)
            p[0, 4] = 1000  // right, label 4
            p[1, 4] = 1000  // wrong, label 7
            p[2, 0] = 1000  // right; and a second huge score ties with it
            p[2, 1] = 1000
            let y = SoftmaxCrossEntropy.softmax(p)
            #expect(y.isFinite)
            #expect(y[0, 4] == 1 && y[2, 0] == 0.5 && y[2, 1] == 0.5)
            for (row, label, expected) in [(0, 4, 0.0), (1, 7, 2000.0), (2, 0, Foundation.log(2.0))] {
                let loss = SoftmaxCrossEntropy.forward(
                    Matrix(rows: 1, columns: Self.k, elements: p.row(row)), labels: [label]
                ).loss
                #expect(loss.isFinite, "row \(row): loss \(loss)")
                // Correct to an ulp of the logits (their precision is checked above).
                #expect(
                    abs(Double(loss) - expected) <= 1e-4 * max(1, expected),
                    "row \(row): loss \(loss), expected \(expected)")
            }
            let (loss, cache) = SoftmaxCrossEntropy.forward(p, labels: [4, 7, 0])
            #expect(loss.isFinite)
            #expect(SoftmaxCrossEntropy.backward(cache: cache).isFinite)
        }
        check(type)
    }

    @Test(
        "the loss is the mean over the batch of −log ŷ of the true class", .requires(.softmaxCrossEntropy),
        arguments: precisions)
    func lossDefinition(_ type: any Real.Type) {
        func check<T: Real>(_: T.Type) {
            let p: Matrix<T> = randomMatrix(5, Self.k, seed: 3, bound: 4)
            let labels = [1, 0, 9, 9, 4]
            let y = SoftmaxCrossEntropy.softmax(p)
            let expected = -labels.enumerated().reduce(T(0)) { $0 + T.log(y[$1.offset, $1.element]) } / 5
            let loss = SoftmaxCrossEntropy.forward(p, labels: labels).loss
            #expect(abs(loss - expected) <= 64 * T.ulpOfOne * max(1, expected), "\(loss) vs \(expected)")
        }
        check(type)
    }

    @Test("the backward pass is (ŷ − onehot) / N", .requires(.softmaxCrossEntropy), arguments: precisions, [1, 3, 128])
    func backward(_ type: any Real.Type, batch: Int) {
        func check<T: Real>(_: T.Type) {
            let p: Matrix<T> = randomMatrix(batch, Self.k, seed: UInt64(batch), bound: 3)
            let labels = (0..<batch).map { ($0 * 7) % Self.k }
            let dP = SoftmaxCrossEntropy.backward(cache: SoftmaxCrossEntropy.forward(p, labels: labels).cache)
            // ŷ written out directly from its definition, e^p / Σ e^p.
            var expected = p.map(T.exp)
            for n in 0..<batch {
                let total = expected.row(n).reduce(0, +)
                for j in 0..<Self.k {
                    expected[n, j] = (expected[n, j] / total - (j == labels[n] ? 1 : 0)) / T(batch)
                }
            }
            expectClose(dP, expected, tolerance: 8 * T.ulpOfOne / T(batch), "dP")
            // Each row of ŷ − onehot sums to 0.
            for n in 0..<batch {
                #expect(abs(dP.row(n).reduce(0, +)) <= 16 * T.ulpOfOne / T(batch))
            }
        }
        check(type)
    }

    @Test("the fused gradient matches centred differences of the loss", .requires(.softmaxCrossEntropy))
    func backwardMatchesDifferences() {
        let p: Matrix<Double> = randomMatrix(3, Self.k, seed: 4, bound: 2)
        let labels = [2, 8, 0]
        let analytic = SoftmaxCrossEntropy.backward(cache: SoftmaxCrossEntropy.forward(p, labels: labels).cache)
        var numeric = Matrix<Double>(shapeOf: p)
        let step = 1e-6
        for q in 0..<p.count {
            var (up, down) = (p, p)
            up.elements[q] += step
            down.elements[q] -= step
            numeric.elements[q] =
                (SoftmaxCrossEntropy.forward(up, labels: labels).loss
                    - SoftmaxCrossEntropy.forward(down, labels: labels).loss) / (2 * step)
        }
        expectClose(analytic, numeric, tolerance: 1e-9, "∂L/∂p")
    }
}
