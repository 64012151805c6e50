import Foundation

/// Checks a hand-written gradient against central finite differences, element by
/// element, in `Double`.
///
/// For each element x_k the numerical derivative is
///
///     n_k = (f(x + h e_k) − f(x − h e_k)) / 2h
///
/// whose error is O(h²) from truncation plus about ε·|f|/h from rounding; with
/// h = 1e-5 in Double both are near 1e-11. The analytic value a_k passes when
///
///     |a_k − n_k| / max(|a_k|, |n_k|, floor) ≤ tolerance      (default 1e-6)
///
/// The `floor` (default 1e-4) stops a gradient that is almost zero — where rounding
/// noise is all the difference could show — from failing on noise; below it the test
/// is an absolute one, |a − n| ≤ tolerance · floor = 1e-10, stricter still.
///
/// Use it on your own code: write `f` as the scalar you differentiate (for a layer
/// with a matrix output, the sum of the output weighted by a fixed random matrix),
/// pass your gradient, and read the report. See also: ``GradientCheckReport``.
public struct GradientChecker: Sendable {
    /// h, the finite-difference step.
    public var step: Double
    /// The largest relative error that passes.
    public var tolerance: Double
    /// The smallest denominator of the relative error.
    public var floor: Double

    /// A checker with the library's defaults: h = 1e-5, tolerance 1e-6, floor 1e-4.
    public init(step: Double = 1e-5, tolerance: Double = 1e-6, floor: Double = 1e-4) {
        precondition(step > 0 && tolerance > 0 && floor > 0, "checker settings must be positive")
        (self.step, self.tolerance, self.floor) = (step, tolerance, floor)
    }

    /// The relative error of `analytic` against `numeric`, as defined above.
    public func relativeError(analytic: Double, numeric: Double) -> Double {
        abs(analytic - numeric) / max(abs(analytic), abs(numeric), floor)
    }

    /// Checks `analytic` = ∂f/∂x at `x`, for every element of `x`.
    public func check(
        _ name: String, at x: Matrix<Double>, analytic: Matrix<Double>,
        _ f: (Matrix<Double>) -> Double
    ) -> GradientCheckReport {
        x.requireSameShape(as: analytic, "gradient check of \(name)")
        var report = GradientCheckReport(name: name, shape: x.shapeDescription, tolerance: tolerance)
        var probe = x
        for k in 0..<x.count {
            let original = probe.elements[k]
            probe.elements[k] = original + step
            let up = f(probe)
            probe.elements[k] = original - step
            let down = f(probe)
            probe.elements[k] = original
            let numeric = (up - down) / (2 * step)
            let a = analytic.elements[k]
            report.record(
                row: k / x.columns, column: k % x.columns, analytic: a, numeric: numeric,
                error: relativeError(analytic: a, numeric: numeric))
        }
        return report
    }

    /// Checks every parameter of a model: `gradients` holds the analytic ∂loss/∂θ in a
    /// value of the model's type (as every backward pass in Learn returns them).
    public func check<Model: Parameterized>(
        _ model: Model, gradients: Model, _ loss: (Model) -> Double
    ) -> [GradientCheckReport] where Model.Scalar == Double {
        model.parameters.map { p in
            check(p.name, at: model[keyPath: p.path], analytic: gradients[keyPath: p.path]) { value in
                var perturbed = model
                perturbed[keyPath: p.path] = value
                return loss(perturbed)
            }
        }
    }
}

/// The outcome of checking one matrix: how many elements, and the worst of them.
public struct GradientCheckReport: Sendable, CustomStringConvertible {
    /// What was checked, e.g. `"wfx"`.
    public let name: String
    /// Its shape, e.g. `"4×10"`.
    public let shape: String
    /// The largest relative error that passes.
    public let tolerance: Double
    /// How many elements were checked.
    public private(set) var count = 0
    /// How many elements failed.
    public private(set) var failures = 0
    /// The worst relative error seen.
    public private(set) var worstError = 0.0
    /// Where the worst error was (row, column).
    public private(set) var worstIndex = (row: 0, column: 0)
    /// The analytic and numerical values at the worst element.
    public private(set) var worstAnalytic = 0.0, worstNumeric = 0.0

    init(name: String, shape: String, tolerance: Double) {
        (self.name, self.shape, self.tolerance) = (name, shape, tolerance)
    }

    mutating func record(row: Int, column: Int, analytic: Double, numeric: Double, error: Double) {
        count += 1
        // NaN fails: a comparison with NaN is false, so test for "not good" instead.
        if !(error <= tolerance) { failures += 1 }
        if count == 1 || isWorse(error, than: worstError) {
            (worstError, worstIndex, worstAnalytic, worstNumeric) = (error, (row, column), analytic, numeric)
        }
    }

    /// True when every element is within tolerance.
    public var passed: Bool { failures == 0 && count > 0 }

    /// One line: name, verdict, worst relative error against tolerance, and the two
    /// values at the worst element.
    public var description: String {
        let verdict = passed ? "ok  " : "FAIL"
        let sci = NumberFormat.scientific
        return "\(verdict) \(name) [\(shape)]: worst relative error \(sci(worstError)) "
            + "(tolerance \(sci(tolerance))) at (\(worstIndex.row), \(worstIndex.column)): "
            + "analytic \(sci(worstAnalytic)), numeric \(sci(worstNumeric))"
            + (failures > 0 ? "; \(failures) of \(count) elements fail" : "")
    }
}

/// Whether a relative error should replace the worst seen so far. NaN is the worst of
/// all — a NaN gradient must be reported, never hidden by a later finite error.
package func isWorse(_ error: Double, than worst: Double) -> Bool {
    if worst.isNaN { return false }
    return error.isNaN || error > worst
}
