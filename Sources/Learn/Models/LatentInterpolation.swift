/// Part II, task 3: the straight line between two noise vectors,
///
///     z(α) = (1 − α) z_a + α z_b,   α = 0, 1/(s+1), 2/(s+1), …, 1,
///
/// `s` intermediate steps and both ends: s + 2 rows. Fed to the generator, the rows
/// draw a morph from one sample into the other; a smooth one (strokes bending, few
/// detours through a third digit) shows that G learnt a continuous map rather than
/// isolated images.
///
/// The midpoint of two independent z ~ N(0, I) is shorter than either (|z| ≈ √(d/2)
/// instead of √d), a region G rarely saw in training — which is why spherical
/// interpolation is a common alternative.
public enum LatentInterpolation {
    /// The rows z(α) for `steps` intermediate values of α, ends included: a
    /// (steps + 2)×d matrix. `za` and `zb` are 1×d; the first row is exactly `za` and
    /// the last exactly `zb`.
    public static func line<T: Real>(from za: Matrix<T>, to zb: Matrix<T>, steps: Int) -> Matrix<T> {
        ensure(za.rows == 1 && zb.rows == 1, "interpolate between two 1×d vectors, got \(za.shapeDescription)")
        ensure(za.columns == zb.columns, "z_a is \(za.shapeDescription) but z_b is \(zb.shapeDescription)")
        ensure(steps >= 0, "the number of intermediate steps must be ≥ 0, got \(steps)")
        // BEGIN SOLUTION latentInterpolation
        let count = steps + 2
        var path = Matrix<T>(rows: count, columns: za.columns)
        for k in 0..<count {
            let alpha = T(k) / T(count - 1)
            for j in 0..<za.columns {
                // Written as z_a + α (z_b − z_a) the last row could miss z_b by a rounding.
                path[k, j] = (1 - alpha) * za[0, j] + alpha * zb[0, j]
            }
        }
        return path
        // END SOLUTION
    }
}
