/// The slope at 0 of a polynomial fitted by least squares to samples of a function,
/// with its standard error: what ``GradientChecker`` falls back on for an element whose
/// two-point central difference disagrees with the analytic gradient.
///
/// Fitting `f(t) ≈ c₀ + c₁t + … + c_d t^d` to m samples (t_j, f_j) gives the slope
/// c₁ and, from the residuals r_j,
///
///     s² = Σ r_j² / (m − d − 1)        se(c₁) = s · √[(XᵀX)⁻¹]₁₁
///
/// with X the m×(d+1) matrix of powers t_j^k. Near a point where f is smooth, a
/// polynomial of low degree matches f to far below rounding, so the residuals *are*
/// the rounding noise of f: s measures it, and se(c₁) says how far the fitted slope
/// can be from the true one because of that noise alone.
public struct SlopeFit: Sendable, Equatable {
    /// c₁, the fitted slope at t = 0.
    public var slope: Double
    /// The standard error of the slope due to the scatter of the samples about the fit.
    public var standardError: Double

    /// Fits a polynomial of `degree` to `values` at `offsets` (same count, more
    /// samples than coefficients). Nil when the fit is not determined (too few distinct
    /// offsets) or a value is not finite.
    public init?(offsets: [Double], values: [Double], degree: Int) {
        let p = degree + 1
        let m = offsets.count
        guard degree >= 1, m == values.count, m > p, values.allSatisfy(\.isFinite) else { return nil }
        // Scale t to about ±1 and centre f on its first sample, so that the normal
        // equations stay well conditioned whatever h and |f| are.
        let scale = offsets.map(abs).max() ?? 0
        guard scale > 0 else { return nil }
        let t = offsets.map { $0 / scale }
        let f = values.map { $0 - values[0] }
        var normal = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        var right = [Double](repeating: 0, count: p)
        for j in 0..<m {
            var powers = [Double](repeating: 1, count: p)
            for k in 1..<p { powers[k] = powers[k - 1] * t[j] }
            for r in 0..<p {
                right[r] += powers[r] * f[j]
                for c in 0..<p { normal[r][c] += powers[r] * powers[c] }
            }
        }
        var unit = [Double](repeating: 0, count: p)
        unit[1] = 1
        guard let coefficients = Self.solve(normal, right), let inverse = Self.solve(normal, unit) else { return nil }
        var squares = 0.0
        for j in 0..<m {
            var fitted = 0.0
            for k in (0..<p).reversed() { fitted = fitted * t[j] + coefficients[k] }
            squares += (f[j] - fitted) * (f[j] - fitted)
        }
        let variance = squares / Double(m - p)
        slope = coefficients[1] / scale
        standardError = (variance * max(inverse[1], 0)).squareRoot() / scale
    }

    /// Solves A·x = b by Gaussian elimination with partial pivoting; nil if A is singular.
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        let n = b.count
        var a = a
        var b = b
        for column in 0..<n {
            let pivot = (column..<n).max { abs(a[$0][column]) < abs(a[$1][column]) }!
            guard abs(a[pivot][column]) > 0 else { return nil }
            a.swapAt(column, pivot)
            b.swapAt(column, pivot)
            for row in (column + 1)..<n {
                let factor = a[row][column] / a[column][column]
                for k in column..<n { a[row][k] -= factor * a[column][k] }
                b[row] -= factor * b[column]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in (0..<n).reversed() {
            var sum = b[row]
            for k in (row + 1)..<n { sum -= a[row][k] * x[k] }
            x[row] = sum / a[row][row]
        }
        return x
    }
}
