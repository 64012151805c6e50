extension Matrix {
    /// Updates `targets` in place, element by element, reading `source` beside them:
    /// `body(t, s)` gets one raw buffer per target (`t[0]`, `t[1]`, …, in the order
    /// given) and one of `source`, all of the same length, matching element by element.
    ///
    /// The library's one helper for "update big matrices in place on both cores": an
    /// optimiser's step streams several arrays through memory, and two cores draw on
    /// more of its bandwidth than one, so from 2¹⁵ elements on the range is split in
    /// two halves run at once. Raw pointers let the loop inside `body` vectorise.
    ///
    /// Every target must be its storage's only owner (a matrix just taken out of its
    /// model, see the optimisers), or the first write copies it.
    @inlinable
    public static func updateInPlace(
        _ targets: inout [Matrix], reading source: Matrix,
        _ body: (_ targets: [UnsafeMutableBufferPointer<T>], _ source: UnsafeBufferPointer<T>) -> Void
    ) {
        for target in targets { target.requireSameShape(as: source, "in-place update") }
        guard source.count > 0 else { return }  // nothing to update, and no storage to point at
        source.elements.withUnsafeBufferPointer { s in
            withPointers(&targets, []) { t in
                Parallel.halves(of: s.count, minimum: 1 << 15) { range in
                    body(
                        t.map { UnsafeMutableBufferPointer(start: $0 + range.lowerBound, count: range.count) },
                        UnsafeBufferPointer(rebasing: s[range]))
                }
            }
        }
    }

    /// `body` with a pointer to each matrix's elements, valid for the call. One matrix
    /// is moved out of the array per level (at most a few), so each stays its storage's
    /// only owner. (Not a slice of it: a slice shares the array's storage, and the
    /// first write would copy every matrix.)
    @inlinable
    static func withPointers(
        _ matrices: inout [Matrix], _ pointers: [UnsafeMutablePointer<T>],
        _ body: ([UnsafeMutablePointer<T>]) -> Void
    ) {
        guard var last = matrices.popLast() else { return body(pointers) }
        last.elements.withUnsafeMutableBufferPointer { p in
            withPointers(&matrices, [p.baseAddress!] + pointers, body)
        }
        matrices.append(last)
    }
}
