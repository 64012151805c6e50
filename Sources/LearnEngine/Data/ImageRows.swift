/// Images, one per row, that a trainer draws its batches from: a `Float` matrix, or a
/// data set kept as bytes (``ImageBytes``) until a batch needs it.
public protocol ImageRows: Sendable {
    /// The number of images.
    var rows: Int { get }
    /// The pixels per image.
    var columns: Int { get }
    /// The images at `indices`, in that order, one per row, as `Float`.
    func selectingRows(_ indices: [Int]) -> Matrix<Float>
}

extension Matrix: ImageRows where T == Float {}

extension Matrix {
    /// The matrix made of the given rows, in the given order.
    public func selectingRows(_ indices: [Int]) -> Matrix {
        var out: [T] = []
        out.reserveCapacity(indices.count * columns)
        for i in indices {
            ensure(i >= 0 && i < rows, "row \(i) is outside 0..<\(rows)")
            out.append(contentsOf: elements[(i * columns)..<((i + 1) * columns)])
        }
        return Matrix(rows: indices.count, columns: columns, elements: out)
    }
}
