import LearnEngine
import Testing

/// Helpers the test targets share for matrices.
///
/// The two precisions Learn computes in. A test generic over ``Real`` takes one of
/// these as its argument, so a failure names the precision it happened in.
public let precisions: [any Real.Type] = [Float.self, Double.self]

/// A seeded matrix with entries uniform in ±`bound`.
public func randomMatrix<T: Real>(
    _ rows: Int, _ columns: Int, seed: UInt64, bound: T = 1, as _: T.Type = T.self
) -> Matrix<T> {
    var generator = SeededGenerator(seed: seed)
    return .uniform(rows: rows, columns: columns, bound: bound, using: &generator)
}

/// The largest |a − b| over all elements (the shapes must agree).
public func maxAbsDifference<T: Real>(_ a: Matrix<T>, _ b: Matrix<T>) -> T {
    precondition(
        a.rows == b.rows && a.columns == b.columns, "shapes \(a.shapeDescription) and \(b.shapeDescription) differ")
    return zip(a.elements, b.elements).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// Expects two matrices to have the same shape and to agree element by element
/// within `tolerance`, reporting the worst element with both values.
public func expectClose<T: Real>(
    _ actual: Matrix<T>, _ expected: Matrix<T>, tolerance: T, _ what: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual.rows == expected.rows && actual.columns == expected.columns else {
        Issue.record(
            "\(what): shape \(actual.shapeDescription), expected \(expected.shapeDescription)",
            sourceLocation: sourceLocation)
        return
    }
    var worst = (index: 0, error: T(0))
    for (index, (a, e)) in zip(actual.elements, expected.elements).enumerated() {
        let error = abs(a - e)
        if !(error <= worst.error) { worst = (index, error) }  // NaN counts as worst
    }
    #expect(
        worst.error <= tolerance,
        "\(what): element \(worst.index) is \(actual.elements[worst.index]), expected \(expected.elements[worst.index]) (tolerance \(tolerance))",
        sourceLocation: sourceLocation)
}

extension Matrix {
    /// The shape, so that `#expect(m.shape == Shape2(3, 4))` reads naturally.
    public var shape: Shape2 { Shape2(rows, columns) }
}

/// A matrix shape that compares with `==` and prints as `3×4` in a failure message.
public struct Shape2: Equatable, CustomStringConvertible {
    public let rows: Int, columns: Int
    /// A shape of `rows`×`columns`.
    public init(_ rows: Int, _ columns: Int) { (self.rows, self.columns) = (rows, columns) }
    public var description: String { "\(rows)×\(columns)" }
}
