import Foundation

/// A dense matrix of `rows × columns` numbers stored row after row in one array.
///
/// It is the only tensor Learn needs: a batch of vectors is a matrix with one row per
/// example (`N × D`), a weight is `out × in` as in PyTorch, a bias is `1 × out`, and a
/// sequence is an array of matrices, one per time step.
///
/// Value semantics: copies are cheap until one of them is written (copy-on-write).
public struct Matrix<T: Real>: Equatable, Sendable {
    /// The number of rows (the batch size `N` for activations).
    public let rows: Int
    /// The number of columns (features).
    public let columns: Int
    /// The elements, row-major: element (i, j) is `elements[i * columns + j]`.
    public var elements: [T]

    /// A matrix filled with one value (zeros by default).
    @inlinable
    public init(rows: Int, columns: Int, repeating value: T = 0) {
        ensure(rows >= 0 && columns >= 0, "Matrix shape \(rows)×\(columns) is negative")
        self.rows = rows
        self.columns = columns
        self.elements = Array(repeating: value, count: rows * columns)
    }

    /// A matrix over existing row-major elements.
    @inlinable
    public init(rows: Int, columns: Int, elements: [T]) {
        ensure(
            elements.count == rows * columns,
            "Matrix \(rows)×\(columns) needs \(rows * columns) elements, got \(elements.count)")
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// A matrix whose elements are all written by `initialize` (given the storage and
    /// its length) before anyone reads them: no time spent zeroing memory that is about
    /// to be overwritten.
    @inlinable
    public init(
        rows: Int, columns: Int, initializingWith initialize: (UnsafeMutableBufferPointer<T>) -> Void
    ) {
        ensure(rows >= 0 && columns >= 0, "Matrix shape \(rows)×\(columns) is negative")
        self.rows = rows
        self.columns = columns
        self.elements = [T](unsafeUninitializedCapacity: rows * columns) { buffer, count in
            initialize(buffer)
            count = rows * columns
        }
    }

    /// A matrix from a literal list of rows, e.g. `Matrix([[1, 2], [3, 4]])`.
    @inlinable
    public init(_ rowList: [[T]]) {
        let columns = rowList.first?.count ?? 0
        ensure(
            rowList.allSatisfy { $0.count == columns },
            "Matrix rows have different lengths: \(rowList.map(\.count))")
        self.init(rows: rowList.count, columns: columns, elements: rowList.flatMap { $0 })
    }

    /// A matrix of the same shape as `other`, filled with `value`.
    @inlinable
    public init(shapeOf other: Matrix, repeating value: T = 0) {
        self.init(rows: other.rows, columns: other.columns, repeating: value)
    }

    /// Element (i, j).
    @inlinable
    public subscript(i: Int, j: Int) -> T {
        get { elements[i * columns + j] }
        set { elements[i * columns + j] = newValue }
    }

    /// The number of elements.
    @inlinable public var count: Int { elements.count }

    /// The shape written the way shapes are written in messages: `"128×10"`.
    public var shapeDescription: String { "\(rows)×\(columns)" }

    /// Rows `range` as a matrix of their own (a copy).
    @inlinable
    public func slicingRows(_ range: Range<Int>) -> Matrix {
        ensure(
            range.lowerBound >= 0 && range.upperBound <= rows,
            "rows \(range.lowerBound)..<\(range.upperBound) are outside a matrix of \(rows) rows")
        return Matrix(
            rows: range.count, columns: columns,
            elements: Array(elements[(range.lowerBound * columns)..<(range.upperBound * columns)]))
    }

    /// The rows of `top` followed by the rows of `bottom` (their widths must agree).
    @inlinable
    public init(stacking top: Matrix, _ bottom: Matrix) {
        ensure(
            top.columns == bottom.columns,
            "cannot stack a \(top.shapeDescription) matrix on a \(bottom.shapeDescription) one: widths differ")
        self.init(rows: top.rows + bottom.rows, columns: top.columns, elements: top.elements + bottom.elements)
    }

    /// Row `i` as an array.
    @inlinable
    public func row(_ i: Int) -> [T] {
        Array(elements[(i * columns)..<((i + 1) * columns)])
    }

    /// Checks that two matrices have the same shape, naming both in the failure.
    @inlinable
    public func requireSameShape(as other: Matrix, _ operation: @autoclosure () -> String) {
        ensure(
            rows == other.rows && columns == other.columns,
            "\(operation()): shapes \(shapeDescription) and \(other.shapeDescription) differ")
    }
}

extension Matrix: CustomStringConvertible {
    /// Rows on separate lines, four decimals — enough to follow a worked example.
    public var description: String {
        (0..<rows).map { i in
            "[" + row(i).map { NumberFormat.fixed(Double($0), decimals: 4) }.joined(separator: ", ") + "]"
        }.joined(separator: "\n")
    }
}
