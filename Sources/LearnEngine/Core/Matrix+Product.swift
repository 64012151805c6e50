/// Matrix products: the one operation where nearly all of training's time goes.
extension Matrix {
    /// `op(A)·op(B)`, where `op` transposes when asked. Shapes must agree:
    /// op(A) is m×k and op(B) is k×n; the result is m×n.
    ///
    /// All three forms a backward pass needs — A·B, A·Bᵀ and Aᵀ·B — run through the
    /// same packed kernel (``GEMM``), so none is slower for being transposed.
    @inlinable
    public static func product(
        _ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false
    ) -> Matrix {
        let m = transposeA ? a.columns : a.rows
        let n = transposeB ? b.rows : b.columns
        // No need to zero C first: the multiply overwrites every element.
        var c = Matrix(rows: m, columns: n) { _ in }
        c.multiply(a, b, transposeA: transposeA, transposeB: transposeB, accumulate: false)
        return c
    }

    /// `self ← self + op(A)·op(B)`: accumulates a product without a temporary, as a
    /// weight gradient summed over time steps does.
    @inlinable
    public mutating func addProduct(
        _ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false
    ) {
        multiply(a, b, transposeA: transposeA, transposeB: transposeB, accumulate: true)
    }

    @inlinable
    mutating func multiply(
        _ a: Matrix, _ b: Matrix, transposeA: Bool, transposeB: Bool, accumulate: Bool
    ) {
        let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let (k2, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
        ensure(
            k == k2,
            "product: inner sizes differ, op(A) is \(m)×\(k) and op(B) is \(k2)×\(n)"
                + " (A is \(a.shapeDescription)\(transposeA ? "ᵀ" : ""),"
                + " B is \(b.shapeDescription)\(transposeB ? "ᵀ" : ""))")
        ensure(
            rows == m && columns == n,
            "product: result is \(m)×\(n) but the destination is \(shapeDescription)")
        let (lda, ldb, ldc) = (a.columns, b.columns, columns)
        a.elements.withUnsafeBufferPointer { pa in
            b.elements.withUnsafeBufferPointer { pb in
                elements.withUnsafeMutableBufferPointer { pc in
                    guard let a = pa.baseAddress, let b = pb.baseAddress, let c = pc.baseAddress
                    else {
                        // An empty operand: the product is zero (or leaves C unchanged).
                        if !accumulate { for q in 0..<pc.count { pc[q] = 0 } }
                        return
                    }
                    T.gemm(
                        GEMMProblem(
                            m: m, n: n, k: k, a: a, lda: lda, transposeA: transposeA,
                            b: b, ldb: ldb, transposeB: transposeB,
                            c: c, ldc: ldc, accumulate: accumulate))
                }
            }
        }
    }
}
