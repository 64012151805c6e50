/// Elementwise arithmetic and reductions. Every operation checks shapes and says which
/// shapes disagreed; none allocates more than its result.
extension Matrix {
    /// Applies `f` to every element.
    @inlinable
    public func map(_ f: (T) -> T) -> Matrix {
        Matrix(rows: rows, columns: columns) { out in
            elements.withUnsafeBufferPointer { x in
                for k in 0..<out.count { out.initializeElement(at: k, to: f(x[k])) }
            }
        }
    }

    /// Combines two same-shaped matrices element by element: `f(self[k], other[k])`.
    /// `operation` names the step in the message when the shapes differ.
    @inlinable
    public func combined(with other: Matrix, operation: String, _ f: (T, T) -> T) -> Matrix {
        requireSameShape(as: other, operation)
        return Matrix(rows: rows, columns: columns) { o in
            elements.withUnsafeBufferPointer { a in
                other.elements.withUnsafeBufferPointer { b in
                    for k in 0..<o.count { o.initializeElement(at: k, to: f(a[k], b[k])) }
                }
            }
        }
    }

    /// Elementwise sum.
    @inlinable
    public static func + (a: Matrix, b: Matrix) -> Matrix { a.combined(with: b, operation: "a + b") { $0 + $1 } }
    /// Elementwise difference.
    @inlinable
    public static func - (a: Matrix, b: Matrix) -> Matrix { a.combined(with: b, operation: "a - b") { $0 - $1 } }
    /// The elementwise (Hadamard) product a ⊙ b.
    @inlinable
    public static func * (a: Matrix, b: Matrix) -> Matrix { a.combined(with: b, operation: "a ⊙ b") { $0 * $1 } }
    /// Every element negated.
    @inlinable
    public static prefix func - (a: Matrix) -> Matrix { a.map { -$0 } }

    /// Every element times a scalar.
    @inlinable
    public static func * (s: T, a: Matrix) -> Matrix { a.map { s * $0 } }

    /// Adds `other` into `self` in place (the `+=` that gradients accumulate with).
    @inlinable
    public static func += (a: inout Matrix, b: Matrix) {
        a.requireSameShape(as: b, "a += b")
        a.elements.withUnsafeMutableBufferPointer { x in
            b.elements.withUnsafeBufferPointer { y in
                for k in 0..<x.count { x[k] += y[k] }
            }
        }
    }

    /// `rows` copies of a `1 × columns` row vector: the starting point of `x·Wᵀ + b`,
    /// so the product can be accumulated onto the bias with no extra pass.
    @inlinable
    public init(rows: Int, repeatingRow row: Matrix) {
        ensure(row.rows == 1, "repeatingRow needs a 1×n row, got \(row.shapeDescription)")
        self.init(rows: rows, columns: row.columns) { out in
            row.elements.withUnsafeBufferPointer { source in
                guard let source = source.baseAddress, let target = out.baseAddress else { return }
                for i in 0..<rows { (target + i * row.columns).initialize(from: source, count: row.columns) }
            }
        }
    }

    /// The matrix plus a `1 × columns` row vector added to every row (a bias).
    @inlinable
    public func addingRow(_ bias: Matrix) -> Matrix {
        ensure(
            bias.rows == 1 && bias.columns == columns,
            "bias must be 1×\(columns) to add to every row of \(shapeDescription), got \(bias.shapeDescription)")
        var out = self
        out.elements.withUnsafeMutableBufferPointer { o in
            bias.elements.withUnsafeBufferPointer { b in
                guard let first = o.baseAddress, let b = b.baseAddress else { return }
                for i in 0..<rows {
                    let row = first + i &* columns
                    for j in 0..<columns { row[j] += b[j] }
                }
            }
        }
        return out
    }

    /// The `1 × columns` sum over rows: how a bias gradient collects the batch.
    @inlinable
    public func sumOverRows() -> Matrix {
        var out = Matrix(rows: 1, columns: columns)
        out.elements.withUnsafeMutableBufferPointer { o in
            elements.withUnsafeBufferPointer { x in
                // Row by row through a row pointer, so the inner loop is a plain vector
                // add (an index computed with overflow checks keeps it scalar).
                guard let total = o.baseAddress, let first = x.baseAddress else { return }
                for i in 0..<rows {
                    let row = first + i &* columns
                    for j in 0..<columns { total[j] += row[j] }
                }
            }
        }
        return out
    }

    /// The sum of all elements.
    @inlinable
    public func sum() -> T { elements.reduce(0, +) }

    /// The largest element of each row: how a max-pool reduces its windows' patches
    /// (``FeatureMaps/patchesPerChannel(_:padding:)``), row r's maximum element r of its output.
    // Not inlined: a caller compiled without optimisation runs the Float or Double version.
    @inline(never) @_specialize(where T == Float) @_specialize(where T == Double)
    public func rowMaxima() -> [T] {
        ensure(columns > 0, "rowMaxima of a \(shapeDescription) matrix: its rows have no elements")
        return elements.withUnsafeBufferPointer { x in
            (0..<rows).map { i in
                var largest = x[i &* columns]
                for j in 1..<columns { largest = Swift.max(largest, x[i &* columns &+ j]) }
                return largest
            }
        }
    }

    /// Every element x as max(x, 0), ReLU on a whole matrix, with `bias` (1 × columns)
    /// added to every row first when it is given.
    // Not inlined: a caller compiled without optimisation runs the Float or Double version.
    @inline(never) @_specialize(where T == Float) @_specialize(where T == Double)
    public func rectified(addingRow bias: Matrix? = nil) -> Matrix {
        var out = bias.map(addingRow) ?? self
        out.elements.withUnsafeMutableBufferPointer { o in
            for k in o.indices { o[k] = Swift.max(o[k], 0) }
        }
        return out
    }

    /// The sum of squares of all elements (the squared Frobenius norm).
    @inlinable
    public func squaredNorm() -> T {
        elements.withUnsafeBufferPointer { x in
            guard let base = x.baseAddress else { return 0 }
            return Self.sumOfLanes(base, 0..<x.count) { $0 * $0 }
        }
    }

    /// Σ f(x) over `base[range]`, added a vector at a time: lane by lane, then across
    /// the lanes. A scalar loop adds one element after another, each addition waiting
    /// for the last (the compiler may not reorder floating-point sums); this one adds
    /// 8 Floats at once. The order of the additions differs, so the last bits may too:
    /// fine for a norm or a NaN check. `f` must map zeros to zeros (the tail is padded).
    @inlinable
    static func sumOfLanes(_ base: UnsafePointer<T>, _ range: Range<Int>, _ f: (T.Vector) -> T.Vector) -> T {
        let w = T.Vector.scalarCount
        var total = T.Vector()
        var k = range.lowerBound
        while k + w <= range.upperBound {
            total += f(UnsafeRawPointer(base + k).loadUnaligned(as: T.Vector.self))
            k += w
        }
        var tail = T.Vector()
        for lane in 0..<(range.upperBound - k) { tail[lane] = base[k + lane] }
        return (total + f(tail)).sum()
    }

    /// The transpose.
    @inlinable
    public var transposed: Matrix {
        var out = Matrix(rows: columns, columns: rows)
        for i in 0..<rows {
            for j in 0..<columns { out.elements[j * rows + i] = elements[i * columns + j] }
        }
        return out
    }

    /// True when every element is finite (no NaN, no ±∞).
    @inlinable
    public var isFinite: Bool {
        // x − x is 0 for a finite x and NaN for NaN or ±∞, so the sum of all the
        // differences is NaN exactly when some element is not finite. Unlike a loop that
        // stops at the first bad element, it runs as a vector sum, and a large matrix is
        // shared between the two cores.
        elements.withUnsafeBufferPointer { x in
            guard let base = x.baseAddress else { return true }
            var sums: (T, T) = (0, 0)
            Parallel.halves(of: x.count, minimum: 1 << 16) { range in
                let sum = Self.sumOfLanes(base, range) { $0 - $0 }
                if range.lowerBound == 0 { sums.0 = sum } else { sums.1 = sum }
            }
            return !(sums.0 + sums.1).isNaN
        }
    }

    /// σ applied to every element, through the type's vectorised kernel.
    @inlinable
    public func sigmoid() -> Matrix { applying(T.sigmoid(_:into:count:)) }

    /// Replaces every element x by σ(x), without a new allocation.
    @inlinable
    public mutating func formSigmoid() { applyInPlace(T.sigmoid(_:into:count:)) }

    /// Replaces every element x by tanh(x), without a new allocation.
    @inlinable
    public mutating func formTanh() { applyInPlace(T.tanh(_:into:count:)) }

    @inlinable
    mutating func applyInPlace(_ kernel: (UnsafePointer<T>, UnsafeMutablePointer<T>, Int) -> Void) {
        elements.withUnsafeMutableBufferPointer { x in
            if let base = x.baseAddress { kernel(base, base, x.count) }
        }
    }

    /// tanh applied to every element, through the type's vectorised kernel.
    @inlinable
    public func tanh() -> Matrix { applying(T.tanh(_:into:count:)) }

    /// exp applied to every element, through the type's vectorised kernel.
    @inlinable
    public func exp() -> Matrix { applying(T.exp(_:into:count:)) }

    @inlinable
    func applying(
        _ kernel: (UnsafePointer<T>, UnsafeMutablePointer<T>, Int) -> Void
    ) -> Matrix {
        Matrix(rows: rows, columns: columns) { y in
            elements.withUnsafeBufferPointer { x in
                if let xb = x.baseAddress, let yb = y.baseAddress { kernel(xb, yb, x.count) }
            }
        }
    }
}
