import Learn
/// The verdict on one case: each expected tensor compared with Learn's, and whether
/// all of them are within tolerance.
///
/// Its ``description`` is one line for a pass and, for a failure, one more line per
/// failing tensor — its name, the worst element's index, both values and the relative
/// error against the tolerance — so a failing test says at once what differs and where.
/// See also: ``FixtureRunner``.
public struct FixtureResult: Sendable, CustomStringConvertible {
    /// The case, as `"group/name"`.
    public var label: String
    /// What it computes (nil when the file could not be loaded).
    public var kind: FixtureKind?
    /// The tolerance every comparison used.
    public var tolerance: FixtureTolerance
    /// One comparison per expected output and gradient.
    public var comparisons: [FixtureComparison]
    /// Set when the case could not be run at all.
    public var problem: String?

    /// True when the case ran and every element of every tensor is within tolerance.
    public var passed: Bool {
        problem == nil && !comparisons.isEmpty && comparisons.allSatisfy(\.passed)
    }

    /// The comparisons that failed.
    public var failures: [FixtureComparison] { comparisons.filter { !$0.passed } }

    /// The largest relative error over every tensor (NaN counts as the worst).
    public var worstError: Double {
        comparisons.reduce(0) { worst, c in isWorse(c.relativeError, than: worst) ? c.relativeError : worst }
    }

    /// A PASS line, or a FAIL line and one line per failing tensor (see above).
    public var description: String {
        let title = kind.map { "\(label) (\($0.rawValue))" } ?? label
        if let problem {
            return "FAIL \(title): could not be run: \(problem)"
        }
        if passed {
            return "PASS \(title): \(comparisons.count) tensors, worst relative error "
                + "\(NumberFormat.scientific(worstError)) (tolerance: \(tolerance))"
        }
        let header =
            "FAIL \(title): \(failures.count) of \(comparisons.count) tensors "
            + "differ from the reference (tolerance: \(tolerance))"
        return ([header] + failures.map { "  \($0)" }).joined(separator: "\n")
    }

    /// Every comparison, one line each, passing or not.
    public var report: String {
        ([description.split(separator: "\n").first.map(String.init) ?? ""] + comparisons.map { "  \($0)" })
            .joined(separator: "\n")
    }
}

/// One expected tensor against Learn's: how many elements fail, and the worst one.
public struct FixtureComparison: Sendable, CustomStringConvertible {
    /// `"outputs.h(10)"` or `"gradients.wfx"`.
    public var tensor: String
    /// The expected shape, e.g. `"4×10"`.
    public var shape: String
    /// How many elements were compared, and how many failed.
    public var count = 0, failureCount = 0
    /// The worst element's row and column, from 0.
    public var worstRow = 0, worstColumn = 0
    /// The worst element's expected value, the value compared with it (``source``'s) and
    /// their relative error |actual − expected| / max(|expected|, floor).
    public var expected = 0.0, actual = 0.0, relativeError = 0.0
    /// Set when no comparison was possible (Learn gave no value, or another shape).
    public var problem: String?
    /// The largest relative error that passes.
    public var tolerance: Double
    /// Who computed the values compared: "Learn", or "the answer" for an answers file.
    public var source: String

    /// Compares `actual` (Learn's) with `expected` element by element; where an
    /// `alternatives` tensor (same shape) is given, an element may match it instead
    /// (both one-sided derivatives at a kink, see ``FixtureRunner``).
    /// `source` names who computed `actual` in the messages: "Learn", "the answer".
    init(
        tensor: String, expected e: Matrix<Double>, actual a: Matrix<Double>?, tolerance: FixtureTolerance,
        alternatives: [Matrix<Double>] = [], source: String = "Learn"
    ) {
        self.tensor = tensor
        self.shape = e.shapeDescription
        self.tolerance = tolerance.relative
        self.source = source
        guard let a else {
            problem = "no value for it from \(source)"
            return
        }
        guard a.rows == e.rows && a.columns == e.columns else {
            problem = "the value from \(source) is \(a.shapeDescription), expected \(e.shapeDescription)"
            return
        }
        let alternatives = alternatives.filter { $0.rows == e.rows && $0.columns == e.columns }
        for k in 0..<e.count {
            var error = tolerance.relativeError(actual: a.elements[k], expected: e.elements[k])
            for other in alternatives where other.elements[k] != e.elements[k] {
                let e2 = tolerance.relativeError(actual: a.elements[k], expected: other.elements[k])
                if e2 < error { error = e2 }
            }
            count += 1
            if !tolerance.accepts(error) { failureCount += 1 }
            if count == 1 || isWorse(error, than: relativeError) {
                (worstRow, worstColumn) = (k / e.columns, k % e.columns)
                (expected, actual, relativeError) = (e.elements[k], a.elements[k], error)
            }
        }
    }

    /// True when every element is within tolerance.
    public var passed: Bool { problem == nil && failureCount == 0 && count > 0 }

    /// `"FAIL gradients.wfx [4×3]: worst at (2, 1): Learn …, expected …, relative error … (tolerance …)"`.
    public var description: String {
        let verdict = passed ? "ok  " : "FAIL"
        if let problem { return "\(verdict) \(tensor) [\(shape)]: \(problem)" }
        return "\(verdict) \(tensor) [\(shape)]: worst at (\(worstRow), \(worstColumn)): \(source) \(actual), "
            + "expected \(expected), relative error \(NumberFormat.scientific(relativeError)) (tolerance \(NumberFormat.scientific(tolerance)))"
            + (failureCount > 0 ? "; \(failureCount) of \(count) elements fail" : "")
    }
}
