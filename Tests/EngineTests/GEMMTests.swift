import EngineTesting
import LearnEngine
import Testing

/// The sizes of one multiply: op(A) is m×k, op(B) is k×n, C is m×n.
struct GEMMShape: Sendable, CustomTestStringConvertible {
    let m: Int, n: Int, k: Int
    var testDescription: String { "m=\(m) n=\(n) k=\(k)" }
}

/// Which operands are transposed, and whether C is overwritten or added to.
struct GEMMForm: Sendable, CustomTestStringConvertible {
    let transposeA: Bool, transposeB: Bool, accumulate: Bool

    /// The three forms a backward pass uses (A·B, A·Bᵀ, Aᵀ·B), each overwriting and
    /// accumulating.
    static let all: [GEMMForm] = [false, true].flatMap { accumulate in
        [(false, false), (false, true), (true, false)].map {
            GEMMForm(transposeA: $0.0, transposeB: $0.1, accumulate: accumulate)
        }
    }

    var testDescription: String {
        (transposeA ? "Aᵀ·" : "A·") + (transposeB ? "Bᵀ" : "B") + (accumulate ? " accumulate" : "")
    }
}

/// The matrix kernel against the textbook triple loop.
///
/// Shapes are chosen to land on and beside every blocking boundary of ``GEMM``: the
/// 6- and 4-row micro-tiles (8, 10 and 14 rows end in 4-row tiles), the 16-Float /
/// 8-Double panel and its first vector (10 columns), k = 0, the 256-deep k-block, the
/// 512-wide column block, and sizes large enough (≥ 2²⁰ multiply-adds) to take the
/// two-core path, split by columns or by rows.
@Suite("GEMM: C (+)= op(A)·op(B)")
struct GEMMTests {
    static let sizes = [1, 5, 6, 7, 8, 10, 14, 15, 16, 17, 97, 130, 300]

    static let shapes: [GEMMShape] =
        // Each size in each position, the other two ragged.
        sizes.flatMap { s in
            [GEMMShape(m: s, n: 17, k: 7), GEMMShape(m: 7, n: s, k: 17), GEMMShape(m: 17, n: 7, k: s)]
        }
        // An empty inner dimension: C becomes zero, or is left as it was.
        + [GEMMShape(m: 1, n: 1, k: 0), GEMMShape(m: 5, n: 7, k: 0), GEMMShape(m: 16, n: 17, k: 0)]
        // Whole tiles, and one past the k-block (256) and the column block (512).
        + [GEMMShape(m: 6, n: 16, k: 256), GEMMShape(m: 12, n: 32, k: 257), GEMMShape(m: 7, n: 513, k: 15)]
        + [GEMMShape(m: 97, n: 130, k: 300)]
        // The two-core path: split by columns (the benchmark's size, and a ragged one)
        // and by rows (n too narrow to split).
        + [GEMMShape(m: 128, n: 512, k: 138), GEMMShape(m: 97, n: 130, k: 97), GEMMShape(m: 300, n: 17, k: 300)]
        // The wide kernel (products 32 or more columns wide): 8- and 4-row tiles, full
        // and ragged, and a ragged 32-column panel.
        + [1, 4, 5, 8, 9, 13].map { GEMMShape(m: $0, n: 40, k: 19) }

    /// op(A)·op(B) (+ C₀) computed in Double by the triple loop, and the sum of
    /// |terms| per element, which bounds the rounding error of any summation order.
    static func naive<T: Real>(
        _ a: Matrix<T>, _ b: Matrix<T>, _ c0: Matrix<T>, _ shape: GEMMShape, _ form: GEMMForm
    ) -> (value: [Double], magnitude: [Double]) {
        var value = [Double](repeating: 0, count: shape.m * shape.n)
        var magnitude = value
        for i in 0..<shape.m {
            for j in 0..<shape.n {
                var (sum, size) = (0.0, 0.0)
                if form.accumulate {
                    sum = Double(c0[i, j])
                    size = abs(sum)
                }
                for p in 0..<shape.k {
                    let x = Double(form.transposeA ? a[p, i] : a[i, p])
                    let y = Double(form.transposeB ? b[j, p] : b[p, j])
                    sum += x * y
                    size += abs(x * y)
                }
                value[i * shape.n + j] = sum
                magnitude[i * shape.n + j] = size
            }
        }
        return (value, magnitude)
    }

    /// Runs one case through the public entry points (`product` or `addProduct`) and
    /// compares every element with the triple loop: |C − C_naive| ≤ (k + 2)·ε·Σ|terms|,
    /// the classical bound for a dot product summed in any order.
    static func check<T: Real>(_: T.Type, _ shape: GEMMShape, _ form: GEMMForm) {
        let seed = UInt64(shape.m * 1_000_003 + shape.n * 1009 + shape.k)
        let a: Matrix<T> =
            form.transposeA ? randomMatrix(shape.k, shape.m, seed: seed) : randomMatrix(shape.m, shape.k, seed: seed)
        let b: Matrix<T> =
            form.transposeB
            ? randomMatrix(shape.n, shape.k, seed: seed + 1) : randomMatrix(shape.k, shape.n, seed: seed + 1)
        let c0: Matrix<T> = randomMatrix(shape.m, shape.n, seed: seed + 2)
        var c: Matrix<T>
        if form.accumulate {
            c = c0
            c.addProduct(a, b, transposeA: form.transposeA, transposeB: form.transposeB)
        } else {
            c = Matrix.product(a, b, transposeA: form.transposeA, transposeB: form.transposeB)
        }
        #expect(c.shape == Shape2(shape.m, shape.n))
        let (expected, magnitude) = naive(a, b, c0, shape, form)
        let epsilon = Double(T.ulpOfOne)
        var worst: (index: Int, excess: Double)? = nil
        for index in 0..<expected.count {
            let error = abs(Double(c.elements[index]) - expected[index])
            let bound = Double(shape.k + 2) * epsilon * magnitude[index]
            // `!(error <= bound)` also catches NaN, which then counts as the worst.
            if !(error <= bound) {
                let excess = error.isNaN ? .infinity : error - bound
                if excess > (worst?.excess ?? -1) { worst = (index, excess) }
            }
        }
        if let worst {
            let (i, j) = (worst.index / shape.n, worst.index % shape.n)
            Issue.record(
                "C[\(i), \(j)] = \(c.elements[worst.index]), expected \(expected[worst.index]) (allowed error \(Double(shape.k + 2) * epsilon * magnitude[worst.index]))"
            )
        }
    }

    @Test("Float: every form matches the triple loop", arguments: shapes, GEMMForm.all)
    func floatMatchesNaive(_ shape: GEMMShape, _ form: GEMMForm) {
        Self.check(Float.self, shape, form)
    }

    @Test("Double: every form matches the triple loop", arguments: shapes, GEMMForm.all)
    func doubleMatchesNaive(_ shape: GEMMShape, _ form: GEMMForm) {
        Self.check(Double.self, shape, form)
    }

    /// Splitting C between two cores cuts at tile boundaries, so every element is
    /// computed by the same sequence of operations: the results must be bit-identical.
    @Test(
        "the two-core split gives the same bits as one core",
        arguments: precisions,
        [GEMMShape(m: 128, n: 512, k: 138), GEMMShape(m: 97, n: 130, k: 97), GEMMShape(m: 300, n: 17, k: 300)])
    func parallelEqualsSerial(_ type: any Real.Type, _ shape: GEMMShape) {
        func check<T: Real>(_: T.Type) {
            for form in GEMMForm.all where !form.accumulate {
                let a: Matrix<T> = randomMatrix(shape.m * shape.k, 1, seed: 5)
                let b: Matrix<T> = randomMatrix(shape.k * shape.n, 1, seed: 6)
                var serial = [T](repeating: 0, count: shape.m * shape.n)
                var parallel = serial
                run(a, b, &serial, shape, form, GEMM.runSerial)
                run(a, b, &parallel, shape, form, GEMM.run)
                #expect(serial == parallel, "\(form)")
            }
        }
        func run<T: Real>(
            _ a: Matrix<T>, _ b: Matrix<T>, _ c: inout [T], _ shape: GEMMShape, _ form: GEMMForm,
            _ kernel: (GEMMProblem<T>) -> Void
        ) {
            a.elements.withUnsafeBufferPointer { pa in
                b.elements.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        kernel(
                            GEMMProblem(
                                m: shape.m, n: shape.n, k: shape.k,
                                a: pa.baseAddress!, lda: form.transposeA ? shape.m : shape.k,
                                transposeA: form.transposeA,
                                b: pb.baseAddress!, ldb: form.transposeB ? shape.k : shape.n,
                                transposeB: form.transposeB,
                                c: pc.baseAddress!, ldc: shape.n, accumulate: false))
                    }
                }
            }
        }
        // Name the type at compile time so the kernels are specialised: through an
        // opened existential they would run as unspecialised generic code, ~100× slower.
        if type is Float.Type { check(Float.self) } else { check(Double.self) }
    }

    /// The wide (AVX-512) kernel adds the same terms in the same order as the portable
    /// one — each element's sum runs over k in order, one fused multiply-add at a
    /// time — so the two must agree bit for bit, on one core and on two. With the
    /// triple-loop tests above (which run the preferred kernel) this checks both.
    @Test(
        "Float: the wide kernel gives exactly the portable kernel's products",
        .enabled(if: GEMM.Kernel.wide.isAvailable, "this processor has no AVX-512"),
        arguments: shapes, GEMMForm.all)
    func wideEqualsPortable(_ shape: GEMMShape, _ form: GEMMForm) {
        let seed = UInt64(shape.m * 7 + shape.n * 11 + shape.k)
        let a: Matrix<Float> = randomMatrix(shape.m * shape.k, 1, seed: seed)
        let b: Matrix<Float> = randomMatrix(shape.k * shape.n, 1, seed: seed + 1)
        let c0: Matrix<Float> = randomMatrix(shape.m * shape.n, 1, seed: seed + 2)
        func product(_ kernel: GEMM.Kernel, _ run: (GEMMProblem<Float>) -> Void) -> [Float] {
            var c = c0.elements
            a.elements.withUnsafeBufferPointer { pa in
                b.elements.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        var problem = GEMMProblem(
                            m: shape.m, n: shape.n, k: shape.k,
                            a: pa.baseAddress!, lda: form.transposeA ? shape.m : shape.k, transposeA: form.transposeA,
                            b: pb.baseAddress!, ldb: form.transposeB ? shape.k : shape.n, transposeB: form.transposeB,
                            c: pc.baseAddress!, ldc: shape.n, accumulate: form.accumulate)
                        problem.kernel = kernel
                        run(problem)
                    }
                }
            }
            return c
        }
        let portable = product(.portable, GEMM.runSerial)
        for (name, run) in [("one core", GEMM.runSerial), ("two cores", GEMM.run)]
            as [(String, (GEMMProblem<Float>) -> Void)]
        {
            let differing = zip(product(.wide, run), portable).filter { $0 != $1 }.count
            #expect(differing == 0, "\(name): \(differing) of \(portable.count) elements differ")
        }
    }

    /// The kernel reads and writes through row strides, so it can multiply blocks of
    /// larger matrices in place. Every element outside C's block must be untouched.
    @Test("blocks of larger matrices: strides honoured, nothing outside C written", arguments: precisions, GEMMForm.all)
    func strided(_ type: any Real.Type, _ form: GEMMForm) {
        func check<T: Real>(_: T.Type, n: Int) {
            let (m, k) = (13, 9)
            // Stored shapes of op(A) and op(B), each padded with 3 extra columns.
            let (aRows, aColumns) = form.transposeA ? (k, m) : (m, k)
            let (bRows, bColumns) = form.transposeB ? (n, k) : (k, n)
            let a: Matrix<T> = randomMatrix(aRows, aColumns + 3, seed: 31)
            let b: Matrix<T> = randomMatrix(bRows, bColumns + 3, seed: 32)
            let sentinel: T = 12345
            var big = Matrix<T>(rows: m + 2, columns: n + 5, repeating: sentinel)
            let c0: Matrix<T> = randomMatrix(m, n, seed: 33)
            // C is the block at row 1, column 2 of `big`.
            for i in 0..<m { for j in 0..<n { big[i + 1, j + 2] = c0[i, j] } }
            a.elements.withUnsafeBufferPointer { pa in
                b.elements.withUnsafeBufferPointer { pb in
                    big.elements.withUnsafeMutableBufferPointer { pc in
                        T.gemm(
                            GEMMProblem(
                                m: m, n: n, k: k,
                                a: pa.baseAddress!, lda: aColumns + 3, transposeA: form.transposeA,
                                b: pb.baseAddress!, ldb: bColumns + 3, transposeB: form.transposeB,
                                c: pc.baseAddress! + (n + 5) + 2, ldc: n + 5, accumulate: form.accumulate))
                    }
                }
            }
            var block = Matrix<T>(rows: m, columns: n)
            var expected = form.accumulate ? c0 : Matrix<T>(rows: m, columns: n)
            for i in 0..<m {
                for j in 0..<n {
                    block[i, j] = big[i + 1, j + 2]
                    for p in 0..<k {
                        expected[i, j] += (form.transposeA ? a[p, i] : a[i, p]) * (form.transposeB ? b[j, p] : b[p, j])
                    }
                }
            }
            expectClose(block, expected, tolerance: T(k + 2) * 4 * T.ulpOfOne, "\(form), n = \(n)")
            var outside = 0
            for i in 0..<(m + 2) {
                for j in 0..<(n + 5) where !((1...m).contains(i) && (2..<(n + 2)).contains(j)) {
                    if big[i, j] != sentinel { outside += 1 }
                }
            }
            #expect(outside == 0, "\(outside) elements outside C were written, n = \(n)")
        }
        // 21 columns run the portable kernel; 45 run the wide one where there is one.
        for n in [21, 45] { check(type, n: n) }
    }

    @Test("empty operands: product is an all-zero matrix of the right shape", arguments: precisions)
    func emptyOperands(_ type: any Real.Type) {
        func check<T: Real>(_: T.Type) {
            let a = Matrix<T>(rows: 3, columns: 0)
            let b = Matrix<T>(rows: 0, columns: 4)
            let c = Matrix.product(a, b)
            #expect(c == Matrix<T>(rows: 3, columns: 4))
            #expect(
                Matrix.product(Matrix<T>(rows: 0, columns: 2), Matrix<T>(rows: 2, columns: 5)).shape == Shape2(0, 5))
            var d: Matrix<T> = randomMatrix(3, 4, seed: 1)
            let before = d
            d.addProduct(a, b)
            #expect(d == before, "accumulating an empty product must leave C unchanged")
        }
        check(type)
    }

    @Test("a small product worked by hand")
    func byHand() {
        let a = Matrix<Float>([[1, 2, 3], [4, 5, 6]])
        let b = Matrix<Float>([[7, 8], [9, 10], [11, 12]])
        #expect(Matrix.product(a, b) == Matrix([[58, 64], [139, 154]]))
        #expect(Matrix.product(a, b.transposed, transposeB: true) == Matrix([[58, 64], [139, 154]]))
        #expect(Matrix.product(a.transposed, b, transposeA: true) == Matrix([[58, 64], [139, 154]]))
        #expect(Matrix.product(a, a, transposeA: true) == Matrix([[17, 22, 27], [22, 29, 36], [27, 36, 45]]))
    }
}
