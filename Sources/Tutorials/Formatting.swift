import CommandLineOptions
import Foundation
import Learn

// Small helpers that print numbers the way a reader checks them by hand.

/// A matrix for the page, rows aligned under its name:
///
///     W_gx (H×D) = [ 0.3000, -0.2000,  0.1000]
///                  [-0.4000,  0.0000,  0.5000]
func show(_ name: String, _ m: Matrix<Double>) -> String {
    let rows = (0..<m.rows).map { i in
        "[" + m.row(i).map { NumberFormat.fixed($0, decimals: 4) }.joined(separator: ", ") + "]"
    }
    let indent = String(repeating: " ", count: name.count + 3)
    return "  " + name + " = " + rows.joined(separator: "\n  " + indent)
}

/// `x` as short as it reads: 0.3, -0.25, 1, 0.7312 (at most four decimals).
func short(_ x: Double) -> String {
    var s = String(format: "%.4f", x)
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s == "-0" ? "0" : s
}

/// A factor in a written-out product: negative numbers in parentheses, "(-0.2)".
func factor(_ x: Double) -> String {
    x < 0 ? "(\(short(x)))" : short(x)
}

/// The subscript digits of `k`, for unit numbers in formulas: 12 → "₁₂".
func subscripted(_ k: Int) -> String {
    let digits = ["₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"]
    return String(k).map { digits[Int(String($0))!] }.joined()
}

/// sum(R ⊙ y), the scalar a finite-difference check differentiates when a forward
/// pass returns a matrix (``GradientChecker/weightedSum(_:by:)``).
func weightedSum(_ y: Matrix<Double>, by r: Matrix<Double>) -> Double {
    GradientChecker.weightedSum(y, by: r)
}

/// A matrix of uniform numbers in ±`bound`, rounded to one decimal when `rounded`, so
/// a worked example can be redone with pencil and paper.
func exampleMatrix(
    rows: Int, columns: Int, bound: Double, rounded: Bool, using generator: inout SeededGenerator
) -> Matrix<Double> {
    let m = Matrix<Double>.uniform(rows: rows, columns: columns, bound: bound, using: &generator)
    // Adding +0 turns a rounded −0.0 into 0.0, which prints without a stray minus.
    return rounded ? m.map { ($0 * 10).rounded() / 10 + 0 } : m
}

/// Rows of one-hot vectors, each with its 1 at a random position: N inputs of width D.
func oneHotRows(_ n: Int, width d: Int, using generator: inout SeededGenerator) -> Matrix<Double> {
    var x = Matrix<Double>(rows: n, columns: d)
    for row in 0..<n { x[row, generator.integer(below: d)] = 1 }
    return x
}

/// The digits a batch of one-hot palindromes encodes, one sequence per example:
/// the arg-max of each x(t) row, then the target.
func decodedSequences(_ batch: SequenceBatch<Double>) -> [[Int]] {
    (0..<batch.targets.count).map { n in
        batch.inputs.map { x in
            let row = x.row(n)
            return row.indices.max { row[$0] < row[$1] } ?? 0
        } + [batch.targets[n]]
    }
}
