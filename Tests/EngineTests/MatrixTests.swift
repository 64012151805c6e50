import EngineTesting
import LearnEngine
import Testing

/// The dense row-major matrix: construction, element access, elementwise arithmetic
/// and reductions.
@Suite("Matrix: storage and elementwise arithmetic")
struct MatrixTests {
    @Test("elements are stored row after row", arguments: precisions)
    func rowMajor(_ type: any Real.Type) {
        func check<T: Real>(_: T.Type) {
            let m = Matrix<T>([[1, 2, 3], [4, 5, 6]])
            #expect(m.rows == 2 && m.columns == 3 && m.count == 6)
            #expect(m.elements == [1, 2, 3, 4, 5, 6])
            #expect(m[1, 0] == 4 && m[0, 2] == 3)
            #expect(m.row(1) == [4, 5, 6])
            #expect(m == Matrix(rows: 2, columns: 3, elements: [1, 2, 3, 4, 5, 6]))
            var n = m
            n[1, 2] = 60
            #expect(n.elements[5] == 60 && m[1, 2] == 6, "a copy must not share writes")
            #expect(Matrix<T>(rows: 2, columns: 2, repeating: 7).elements == [7, 7, 7, 7])
            #expect(Matrix<T>(shapeOf: m).elements == [0, 0, 0, 0, 0, 0])
            #expect(m.shapeDescription == "2×3")
        }
        check(type)
    }

    @Test("empty shapes are allowed", arguments: [(0, 0), (0, 5), (3, 0)])
    func empty(_ rows: Int, _ columns: Int) {
        let m = Matrix<Float>(rows: rows, columns: columns)
        #expect(m.count == 0 && m.sum() == 0 && m.squaredNorm() == 0 && m.isFinite)
        #expect(m.transposed.shape == Shape2(columns, rows))
    }

    @Test("elementwise +, −, ⊙, scalar ×, negation and +=", arguments: precisions)
    func arithmetic(_ type: any Real.Type) {
        func check<T: Real>(_: T.Type) {
            let a = Matrix<T>([[1, -2], [3, 4]])
            let b = Matrix<T>([[0.5, 2], [-1, 8]])
            #expect(a + b == Matrix([[1.5, 0], [2, 12]]))
            #expect(a - b == Matrix([[0.5, -4], [4, -4]]))
            #expect(a * b == Matrix([[0.5, -4], [-3, 32]]))
            #expect(T(2) * a == Matrix([[2, -4], [6, 8]]))
            #expect(-a == Matrix([[-1, 2], [-3, -4]]))
            var c = a
            c += b
            #expect(c == a + b)
            #expect(a.map { $0 * $0 } == a * a)
            #expect(a.combined(with: b, operation: "max") { max($0, $1) } == Matrix([[1, 2], [3, 8]]))
        }
        check(type)
    }

    @Test("bias rows: repeatingRow, addingRow and sumOverRows", arguments: precisions)
    func biasRows(_ type: any Real.Type) {
        func check<T: Real>(_: T.Type) {
            let bias = Matrix<T>([[1, 2, 3]])
            let repeated = Matrix(rows: 4, repeatingRow: bias)
            #expect(repeated.shape == Shape2(4, 3))
            #expect((0..<4).allSatisfy { repeated.row($0) == [1, 2, 3] })
            let x: Matrix<T> = randomMatrix(4, 3, seed: 1)
            #expect(x.addingRow(bias) == x + repeated)
            // Σ over rows of (x + b) = Σ x + N·b: the bias gradient collects the batch.
            expectClose(x.addingRow(bias).sumOverRows(), x.sumOverRows() + T(4) * bias, tolerance: 8 * T.ulpOfOne)
            #expect(Matrix<T>([[1, 2], [3, 4], [5, 6]]).sumOverRows() == Matrix([[9, 12]]))
        }
        check(type)
    }

    @Test("row maxima (−∞ never the largest unless alone) and ReLU with and without a bias row", arguments: precisions)
    func maximaAndReLU(_ type: any Real.Type) {
        func check<T: Real>(_: T.Type) {
            let x = Matrix<T>([
                [-3, -1, -2], [-.infinity, -5, -.infinity], [4, 4, 1], [-.infinity, -.infinity, -.infinity],
            ])
            #expect(x.rowMaxima() == [-1, -5, 4, -.infinity])
            #expect(Matrix<T>([[7]]).rowMaxima() == [7])
            let y = Matrix<T>([[-1, 0, 2], [3, -4, 0.5]])
            #expect(y.rectified() == Matrix([[0, 0, 2], [3, 0, 0.5]]))
            #expect(y.rectified(addingRow: Matrix([[2, -1, -3]])) == Matrix([[1, 0, 0], [5, 0, 0]]))
        }
        check(type)
    }

    @Test("reductions: sum, squared norm, finiteness", arguments: precisions)
    func reductions(_ type: any Real.Type) {
        func check<T: Real>(_: T.Type) {
            let a = Matrix<T>([[1, -2], [3, 4]])
            #expect(a.sum() == 6)
            #expect(a.squaredNorm() == 30)
            #expect(a.isFinite)
            var b = a
            b[0, 1] = .nan
            #expect(!b.isFinite)
            b[0, 1] = -.infinity
            #expect(!b.isFinite)
            // 21 elements: the sums run a vector at a time, and the last 5 (Float) or
            // 1 (Double) go through the padded tail.
            let odd = Matrix<T>(rows: 3, columns: 7, repeating: 2)
            #expect(odd.squaredNorm() == 84 && odd.isFinite)
            for index in [0, 15, 16, 20] {
                var copy = odd
                copy.elements[index] = .nan
                #expect(!copy.isFinite && copy.squaredNorm().isNaN, "NaN at \(index) of 21")
            }
            // A matrix large enough to be checked half on each core: a bad element is
            // found in either half, and the largest finite numbers are not mistaken.
            var big = Matrix<T>(rows: 300, columns: 300, repeating: T.greatestFiniteMagnitude)
            #expect(big.isFinite)
            for index in [0, 44_999, 45_000, 89_999] {
                var copy = big
                copy.elements[index] = .infinity
                #expect(!copy.isFinite, "∞ at \(index)")
                copy.elements[index] = .nan
                #expect(!copy.isFinite, "NaN at \(index)")
            }
            big.elements[0] = -T.greatestFiniteMagnitude
            #expect(big.isFinite)
        }
        check(type)
    }

    @Test(
        "transposing twice gives the original; (AB)ᵀ = BᵀAᵀ", arguments: precisions, [(1, 1), (1, 7), (5, 3), (16, 17)])
    func transpose(_ type: any Real.Type, _ shape: (rows: Int, columns: Int)) {
        func check<T: Real>(_: T.Type) {
            let a: Matrix<T> = randomMatrix(shape.rows, shape.columns, seed: 2)
            let t = a.transposed
            #expect(t.shape == Shape2(shape.columns, shape.rows))
            #expect(t.transposed == a)
            for i in 0..<a.rows { for j in 0..<a.columns { #expect(t[j, i] == a[i, j]) } }
            let b: Matrix<T> = randomMatrix(shape.columns, 4, seed: 3)
            expectClose(
                Matrix.product(a, b).transposed, Matrix.product(b.transposed, a.transposed),
                tolerance: T(shape.columns + 2) * T.ulpOfOne * T(shape.columns))
        }
        check(type)
    }

    @Test("description prints rows on separate lines with four decimals")
    func description() {
        let m = Matrix<Double>([[1, -0.5], [0.12345, 2]])
        #expect(m.description == "[ 1.0000, -0.5000]\n[ 0.1235,  2.0000]")
        #expect(NumberFormat.fixed(-3.14159, decimals: 2) == "-3.14")
    }

    /// A shape mistake in a student's backward pass stops the program, in the release
    /// build the tests and the grader use, with a message that names both shapes.
    @Test("a product of shapes that do not fit stops with both shapes named, in release builds too")
    func shapeMessage() async throws {
        let result = try await #require(
            processExitsWith: .failure, observing: [\.standardErrorContent]
        ) {
            let a = Matrix<Double>(rows: 2, columns: 3)
            let b = Matrix<Double>(rows: 2, columns: 3)
            _ = a * b  // elementwise: fits
            _ = Matrix.product(a, b)
        }
        let stderr = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(
            stderr.contains("Fatal error: product: inner sizes differ, op(A) is 2×3 and op(B) is 2×3"),
            "\(stderr.prefix(400))")
    }
}
