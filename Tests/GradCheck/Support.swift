import Learn
import Testing

/// The checker every test here uses: Learn's defaults (h = 1e-5, relative error
/// ≤ 1e-6, floor 1e-4), in Double.
let checker = GradientChecker()

/// A seeded random matrix with entries in ±`bound`.
func random(_ rows: Int, _ columns: Int, seed: UInt64, bound: Double = 1) -> Matrix<Double> {
    var generator = SeededGenerator(seed: seed)
    return .uniform(rows: rows, columns: columns, bound: bound, using: &generator)
}

/// Σ R ⊙ Y, the objective whose gradient with respect to Y is R (Learn's).
func weighted(_ y: Matrix<Double>, by r: Matrix<Double>) -> Double {
    GradientChecker.weightedSum(y, by: r)
}

/// Records every report line and expects each to pass, so a failure prints the
/// worst element with both values.
func expectAllPass(_ reports: [GradientCheckReport], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(!reports.isEmpty, sourceLocation: sourceLocation)
    for report in reports {
        #expect(report.passed, "\(report)", sourceLocation: sourceLocation)
    }
}
