import Foundation

/// Checks a hand-written gradient against finite differences, element by element, in
/// `Double`.
///
/// For each element x_k the numerical derivative is first the central difference
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
/// is an absolute one, |a − n| ≤ tolerance · floor = 1e-10, stricter still. The step
/// taken is the one the machine represents, (x + h) − x, not h itself: at x = 1e4 they
/// differ in the seventh digit.
///
/// **When the central difference disagrees**, the element is looked at more carefully
/// before it is failed, because three things make two points mislead on correct code:
///
/// - *A kink at x* (ReLU at an input of exactly 0): the central difference averages the
///   slopes of the two sides, which is neither one-sided derivative.
/// - *Rounding noise larger than the test* — a large objective (|f| = 1e3 puts noise of
///   ~1e-8 into n), an input offset of 1e4 (x − μ loses four digits), or a gradient that
///   is 0 in exact arithmetic (a bias feeding batch normalisation): what n shows then is
///   noise/h, far above the absolute 1e-10.
///
/// So f is sampled at x + j·h for j = −6…6 and three least-squares fits (``SlopeFit``)
/// give three estimates of the slope, each with its standard error se: a cubic through
/// all 13 samples (the derivative where f is smooth), and a quadratic through each side,
/// j = 0…6 and j = −6…0 (the one-sided derivatives at a kink). Near a smooth point a
/// low-degree polynomial matches f far below rounding, so the scatter about the fit *is*
/// the rounding noise, and se is how far that noise can move the slope. a_k then passes
/// if it agrees with one of the three estimates under the rule above with the floor
/// raised to the noise,
///
///     floor_k = max(floor, noiseMultiple · se / tolerance)        (noiseMultiple 10)
///
/// — ten standard errors, so noise alone fails a correct gradient with a probability
/// far below one in a million. Where f is smooth and well conditioned, se is ~1e-12 and
/// changes nothing; where it is noisy the test becomes an absolute one at the noise
/// level, which is the most any finite difference can tell. A wrong gradient still
/// fails: it disagrees with every estimate, and at a smooth point all three estimate
/// the same derivative. At a kink either one-sided derivative is accepted (PyTorch takes
/// the left one for ReLU at 0; both are correct subgradients).
///
/// The careful look costs 10 more evaluations of f, and only for elements that failed
/// the first test; after `refinementBudget` elements of one tensor have failed even so,
/// the rest of that tensor gets the central difference only (it has failed already).
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
    /// How many standard errors of rounding noise the careful look allows.
    public var noiseMultiple: Double = 10
    /// How many elements of one tensor may fail the careful look before it is skipped.
    public var refinementBudget: Int = 10

    /// A checker with the library's defaults: h = 1e-5, tolerance 1e-6, floor 1e-4.
    public init(step: Double = 1e-5, tolerance: Double = 1e-6, floor: Double = 1e-4) {
        ensure(step > 0 && tolerance > 0 && floor > 0, "checker settings must be positive")
        (self.step, self.tolerance, self.floor) = (step, tolerance, floor)
    }

    /// The relative error of `analytic` against `numeric`, as defined above.
    public func relativeError(analytic: Double, numeric: Double) -> Double {
        relativeError(analytic: analytic, numeric: numeric, floor: floor)
    }

    func relativeError(analytic: Double, numeric: Double, floor: Double) -> Double {
        abs(analytic - numeric) / max(abs(analytic), abs(numeric), floor)
    }

    /// The offsets j·h of the careful look, j = −6…6, and which of them each fit uses.
    static let multiples = Array(-6...6)

    /// Checks `analytic` = ∂f/∂x at `x`, for every element of `x`.
    public func check(
        _ name: String, at x: Matrix<Double>, analytic: Matrix<Double>,
        _ f: (Matrix<Double>) -> Double
    ) -> GradientCheckReport {
        x.requireSameShape(as: analytic, "gradient check of \(name)")
        var report = GradientCheckReport(name: name, shape: x.shapeDescription, tolerance: tolerance)
        var probe = x
        lazy var atX = f(x)
        // f at x + j·h, with the offset as represented: (x + j·h) − x.
        func sample(_ k: Int, _ j: Int) -> (offset: Double, value: Double) {
            let original = probe.elements[k]
            probe.elements[k] = original + Double(j) * step
            defer { probe.elements[k] = original }
            return (probe.elements[k] - original, f(probe))
        }
        var failedCarefully = 0
        for k in 0..<x.count {
            let a = analytic.elements[k]
            let (up, down) = (sample(k, 1), sample(k, -1))
            var numeric = (up.value - down.value) / (up.offset - down.offset)
            var error = relativeError(analytic: a, numeric: numeric)
            if !(error <= tolerance) && failedCarefully < refinementBudget && !a.isNaN {
                var samples = [(offset: 0.0, value: atX), up, down]
                for j in Self.multiples where abs(j) > 1 { samples.append(sample(k, j)) }
                var allowance = 0.0
                for estimate in Self.fits(samples) {
                    let raised = max(floor, noiseMultiple * estimate.standardError / tolerance)
                    let e = relativeError(analytic: a, numeric: estimate.slope, floor: raised)
                    if e < error || (error.isNaN && !e.isNaN) {
                        (numeric, error, allowance) = (estimate.slope, e, tolerance * raised)
                    }
                }
                if error <= tolerance {
                    report.carefulPasses += 1
                    report.largestNoise = max(report.largestNoise, allowance)
                } else {
                    failedCarefully += 1
                }
            }
            if a.isFinite { report.largestMagnitude = max(report.largestMagnitude, abs(a)) }
            report.record(row: k / x.columns, column: k % x.columns, analytic: a, numeric: numeric, error: error)
        }
        return report
    }

    /// The three estimates of the careful look: a cubic through every sample, and a
    /// quadratic through each side's (offset 0 included).
    static func fits(_ samples: [(offset: Double, value: Double)]) -> [SlopeFit] {
        let right = samples.filter { $0.offset >= 0 }
        let left = samples.filter { $0.offset <= 0 }
        return [(samples, 3), (right, 2), (left, 2)].compactMap { points, degree in
            SlopeFit(offsets: points.map(\.offset), values: points.map(\.value), degree: degree)
        }
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
    /// How many elements passed only on the careful look (a kink, or rounding noise
    /// above the plain test; see ``GradientChecker``).
    public internal(set) var carefulPasses = 0
    /// The largest absolute difference the careful look allowed an element that passed
    /// (0 when none needed it): the rounding noise of f seen through the derivative.
    public internal(set) var largestNoise = 0.0
    /// The largest |analytic| of the tensor.
    public internal(set) var largestMagnitude = 0.0

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
            + (carefulPasses > 0
                ? "; \(carefulPasses) pass on the careful look (a kink, or rounding noise up to \(sci(largestNoise)))"
                : "")
    }
}

/// Whether a relative error should replace the worst seen so far. NaN is the worst of
/// all — a NaN gradient must be reported, never hidden by a later finite error.
package func isWorse(_ error: Double, than worst: Double) -> Bool {
    if worst.isNaN { return false }
    return error.isNaN || error > worst
}
