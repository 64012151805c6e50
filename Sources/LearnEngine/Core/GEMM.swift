import Dispatch
import Foundation

#if arch(x86_64)
    import LearnWideKernel
#endif

/// One matrix multiply, described by raw row-major storage:
/// `C (m×n) ← op(A) (m×k) · op(B) (k×n)`, or `C ← C + op(A)·op(B)` when `accumulate`.
///
/// `op(A)` is `A` or `Aᵀ` (then `A` is stored k×m); likewise for `B`. `lda`, `ldb` and
/// `ldc` are the row strides (the stored row lengths) of the three buffers.
/// See also: ``Matrix/product(_:_:transposeA:transposeB:)``, the safe entry point.
public struct GEMMProblem<T: Real>: @unchecked Sendable {
    /// The sizes: C is m×n, op(A) m×k, op(B) k×n.
    public var m: Int, n: Int, k: Int
    /// A's storage, its row stride `lda`, and whether op(A) = Aᵀ (then A is stored k×m).
    public var a: UnsafePointer<T>, lda: Int, transposeA: Bool
    /// B's storage, its row stride `ldb`, and whether op(B) = Bᵀ (then B is stored n×k).
    public var b: UnsafePointer<T>, ldb: Int, transposeB: Bool
    /// C's storage, written in place, and its row stride `ldc`.
    public var c: UnsafeMutablePointer<T>, ldc: Int
    /// Whether to add into C (`C ← C + op(A)·op(B)`) instead of overwriting it.
    public var accumulate: Bool
    /// The inner loop to run (see ``GEMM/Kernel``); a kernel the processor lacks is
    /// never run: the portable one runs instead.
    public var kernel: GEMM.Kernel = .preferred

    /// Describes one multiply; see the type's documentation for the meaning of each field.
    @inlinable
    public init(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<T>, lda: Int, transposeA: Bool,
        b: UnsafePointer<T>, ldb: Int, transposeB: Bool,
        c: UnsafeMutablePointer<T>, ldc: Int, accumulate: Bool
    ) {
        (self.m, self.n, self.k) = (m, n, k)
        (self.a, self.lda, self.transposeA) = (a, lda, transposeA)
        (self.b, self.ldb, self.transposeB) = (b, ldb, transposeB)
        (self.c, self.ldc, self.accumulate) = (c, ldc, accumulate)
    }

    /// The same problem restricted to columns `j0..<j1` of `C`.
    @inlinable
    func columns(_ j0: Int, _ j1: Int) -> Self {
        var p = self
        p.n = j1 - j0
        p.b = transposeB ? b + j0 * ldb : b + j0
        p.c = c + j0
        return p
    }

    /// The same problem restricted to rows `i0..<i1` of `C`.
    @inlinable
    func rows(_ i0: Int, _ i1: Int) -> Self {
        var p = self
        p.m = i1 - i0
        p.a = transposeA ? a + i0 : a + i0 * lda
        p.c = c + i0 * ldc
        return p
    }

    /// Element (i, p) of op(A).
    @inlinable func opA(_ i: Int, _ p: Int) -> T { transposeA ? a[p * lda + i] : a[i * lda + p] }
    /// Element (p, j) of op(B).
    @inlinable func opB(_ p: Int, _ j: Int) -> T { transposeB ? b[j * ldb + p] : b[p * ldb + j] }
}

/// A cache-aware, register-tiled matrix multiply in the style of BLIS/GotoBLAS.
///
/// The micro-kernel keeps a 6 × `nr` tile of C in 12 vector registers (`nr` is two
/// vectors: 16 Floats or 8 Doubles with AVX2) and adds one rank-1 update per step of
/// k: 12 fused multiply-adds for 2 vector loads and 6 broadcasts. Where rows are left
/// over, 4-row tiles finish the column so no row is computed only to be thrown away
/// (`tileHeight(remaining:)`).
///
/// On a processor with AVX-512, Float products at least 32 columns wide run a wider
/// tile instead, 8 × 32 in 16 of AVX-512's 32 registers, from the separately compiled
/// `LearnWideKernel` module (see ``Kernel``). Per multiply-add it issues half the
/// instructions; on a shared virtual machine it kept its speed through spells in
/// which the AVX2 tile lost up to a quarter. Both tiles add each element's terms in
/// the same order, so their products are identical.
///
/// Around it, the work is cut so each piece of data is reused from fast memory:
/// - k is taken `kc` (256) at a time, so a `kc × nr` panel of op(B) (16 KB, or 32 KB
///   for the wide tile) stays in L1 while every row tile of A streams past it;
/// - op(B) is always *packed* (copied into a contiguous panel), even when its rows
///   could be read in place: rows a power-of-two stride apart (512 or 1024 Floats, as
///   weights often are) fall into the same few cache sets and evict each other, and the
///   copy costs less than those misses. A transposed B is packed by transposing 8×8
///   blocks in registers;
/// - op(A) is never packed: the kernel reads it through a (row, column) stride pair,
///   which covers A and Aᵀ alike, and broadcasts one element at a time.
/// Large problems are shared between the two cores (``run(_:)``).
public enum GEMM {
    @usableFromInline static let mr = 6
    @usableFromInline static let kc = 256
    @usableFromInline static let nc = 512
    /// Below this many multiply-adds a second thread costs more than it saves.
    @usableFromInline static let parallelThreshold = 1 << 20

    /// Runs one multiply, on both cores when it is large enough.
    ///
    /// The larger side of C is cut into up to 8 pieces, which the two cores take as
    /// they come free (``Parallel/forEach(_:_:)``): on a shared machine one core is
    /// often slower than the other for a while, and with two fixed halves the faster
    /// one would wait. Cuts fall on whole tiles (a panel of columns, or 24 rows: four
    /// 6-row or three 8-row tiles), so every element is computed exactly as on one core.
    @inlinable
    public static func run<T: Real>(_ p: GEMMProblem<T>) {
        if p.m == 0 || p.n == 0 { return }
        let nr = panelWidth(p)
        let rowTile = 24
        guard p.m * p.n * p.k >= parallelThreshold && (p.n >= 2 * nr || p.m >= 2 * rowTile) else {
            runSerial(p)
            return
        }
        let splitColumns = p.n >= p.m && p.n >= 2 * nr
        let (size, tile) = splitColumns ? (p.n, nr) : (p.m, rowTile)
        let tiles = (size + tile - 1) / tile
        let count = min(8, tiles)
        Parallel.forEach(count) { piece in
            // Piece `piece` gets tiles[piece·tiles/count ..< (piece+1)·tiles/count].
            let (lo, hi) = (piece * tiles / count * tile, min(size, (piece + 1) * tiles / count * tile))
            runSerial(splitColumns ? p.columns(lo, hi) : p.rows(lo, hi))
        }
    }

    /// Runs one multiply on the calling thread.
    @inlinable
    public static func runSerial<T: Real>(_ p: GEMMProblem<T>) {
        if p.k == 0 {
            // An empty sum: C becomes zero, or is left as it was.
            if !p.accumulate {
                for i in 0..<p.m { (p.c + i * p.ldc).update(repeating: 0, count: p.n) }
            }
            return
        }
        let nr = panelWidth(p)
        let wide = nr == 32 && T.self == Float.self
        // op(A)(i, q) sits at a + i·aRow + q·aColumn, whichever way A is stored.
        let (aRow, aColumn) = p.transposeA ? (1, p.lda) : (p.lda, 1)
        // Packing space is reused per thread: a fresh allocation per call would return
        // pages to the kernel and fault them back in, costing more than the multiply.
        let packed = PackingSpace.forCurrentThread().b.assumingMemoryBound(to: T.self)
        for jc in stride(from: 0, to: p.n, by: nc) {
            let nb = min(nc, p.n - jc)
            for pc in stride(from: 0, to: p.k, by: kc) {
                let kb = min(kc, p.k - pc)
                // The first k-block overwrites C unless the caller asked to accumulate.
                let overwrite = pc == 0 && !p.accumulate
                for jr in stride(from: 0, to: nb, by: nr) {
                    let width = min(nr, nb - jr)
                    let j = jc + jr
                    packB(p, from: pc, j, depth: kb, width: width, panelWidth: nr, into: packed)
                    let (panel, bRow) = (UnsafePointer(packed), nr)
                    if wide {
                        runWidePanel(
                            p, depth: kb, a: p.a + pc * aColumn, aRow: aRow, aColumn: aColumn, panel: panel,
                            c: p.c + j, columns: width, overwrite: overwrite)
                        continue
                    }
                    var i = 0
                    while i < p.m {
                        let tall = tileHeight(remaining: p.m - i) == mr
                        let (a, c) = (p.a + i * aRow + pc * aColumn, p.c + i * p.ldc + j)
                        let rows = min(tall ? mr : 4, p.m - i)
                        // Two call sites with a constant `tall`: the compiler builds a
                        // 6-row and a 4-row kernel from the one text.
                        if tall {
                            microKernel(
                                depth: kb, a: a, aRow: aRow, aColumn: aColumn, b: panel, bRow: bRow,
                                c: c, ldc: p.ldc, rows: rows, columns: width, overwrite: overwrite,
                                tall: true)
                        } else {
                            microKernel(
                                depth: kb, a: a, aRow: aRow, aColumn: aColumn, b: panel, bRow: bRow,
                                c: c, ldc: p.ldc, rows: rows, columns: width, overwrite: overwrite,
                                tall: false)
                        }
                        i += rows
                    }
                }
            }
        }
    }

    /// How many columns of op(B) one packed panel holds: 32 Floats for the wide
    /// kernel, otherwise two vectors (16 Floats or 8 Doubles with AVX2). The wide
    /// kernel is kept for products at least one panel wide: a 10-column product would
    /// compute 22 columns only to throw them away.
    @inlinable
    static func panelWidth<T: Real>(_ p: GEMMProblem<T>) -> Int {
        let wide = T.self == Float.self && p.kernel == .wide && Kernel.wide.isAvailable && p.n >= 32
        return wide ? 32 : 2 * T.Vector.scalarCount
    }

    /// Hands one packed panel, all rows of C at once, to the AVX-512 module.
    @inlinable
    static func runWidePanel<T: Real>(
        _ p: GEMMProblem<T>, depth: Int, a: UnsafePointer<T>, aRow: Int, aColumn: Int,
        panel: UnsafePointer<T>, c: UnsafeMutablePointer<T>, columns: Int, overwrite: Bool
    ) {
        #if arch(x86_64)
            func float<U>(_ pointer: UnsafePointer<U>) -> UnsafePointer<Float> {
                UnsafeRawPointer(pointer).assumingMemoryBound(to: Float.self)
            }
            WidePanel.multiply(
                depth: depth, a: float(a), aRow: aRow, aColumn: aColumn, panel: float(panel),
                c: UnsafeMutableRawPointer(c).assumingMemoryBound(to: Float.self), ldc: p.ldc,
                rows: p.m, columns: columns, overwrite: overwrite)
        #else
            fatalError("the wide kernel exists on x86-64 only")
        #endif
    }

    /// The height of the next row tile when `remaining` rows of C are left: 6, except
    /// where 4-row tiles fit the rest better. A 6-row tile over fewer rows computes
    /// rows that are thrown away, so 64 rows go as 10 × 6 + 4 and 128 as 20 × 6 + 4 + 4,
    /// with nothing wasted, rather than 11 and 22 tiles of 6.
    @inlinable
    static func tileHeight(remaining: Int) -> Int {
        remaining <= 4 || remaining == 7 || remaining == 8 ? 4 : mr
    }

    /// C[0..<rows, 0..<columns] (+)= Â·B̂ for one row tile Â of op(A), read through
    /// its strides, and one `nr`-column panel B̂ whose rows are `bRow` apart. The
    /// tile is 6 rows when `tall`, else 4; its 6 (or 4) × 2 vectors of accumulators
    /// live in registers.
    @inlinable @inline(__always)
    static func microKernel<T: Real>(
        depth: Int, a: UnsafePointer<T>, aRow: Int, aColumn: Int,
        b: UnsafePointer<T>, bRow: Int,
        c: UnsafeMutablePointer<T>, ldc: Int, rows: Int, columns: Int, overwrite: Bool,
        tall: Bool
    ) {
        typealias V = T.Vector
        let w = V.scalarCount
        // A ragged bottom tile repeats its last row: the extra results are never stored,
        // and every read stays inside A.
        let a0 = a
        let a1 = a + min(1, rows - 1) * aRow
        let a2 = a + min(2, rows - 1) * aRow
        let a3 = a + min(3, rows - 1) * aRow
        let a4 = a + min(4, rows - 1) * aRow
        let a5 = a + min(5, rows - 1) * aRow
        var c00 = V.zero, c01 = V.zero, c10 = V.zero, c11 = V.zero
        var c20 = V.zero, c21 = V.zero, c30 = V.zero, c31 = V.zero
        var c40 = V.zero, c41 = V.zero, c50 = V.zero, c51 = V.zero
        let secondVector = w * MemoryLayout<T>.stride
        for q in 0..<depth {
            let row = UnsafeRawPointer(b + q * bRow)
            let b0 = row.loadUnaligned(as: V.self)
            let b1 = row.loadUnaligned(fromByteOffset: secondVector, as: V.self)
            let offset = q * aColumn
            rankOneUpdate(&c00, &c01, a0[offset], b0, b1)
            rankOneUpdate(&c10, &c11, a1[offset], b0, b1)
            rankOneUpdate(&c20, &c21, a2[offset], b0, b1)
            rankOneUpdate(&c30, &c31, a3[offset], b0, b1)
            if tall {
                rankOneUpdate(&c40, &c41, a4[offset], b0, b1)
                rankOneUpdate(&c50, &c51, a5[offset], b0, b1)
            }
        }
        storeRow(c, c00, c01, columns: columns, overwrite: overwrite)
        if rows > 1 { storeRow(c + ldc, c10, c11, columns: columns, overwrite: overwrite) }
        if rows > 2 { storeRow(c + 2 * ldc, c20, c21, columns: columns, overwrite: overwrite) }
        if rows > 3 { storeRow(c + 3 * ldc, c30, c31, columns: columns, overwrite: overwrite) }
        if rows > 4 { storeRow(c + 4 * ldc, c40, c41, columns: columns, overwrite: overwrite) }
        if rows > 5 { storeRow(c + 5 * ldc, c50, c51, columns: columns, overwrite: overwrite) }
    }

    /// One row of the tile takes one step of k: (c0, c1) += a · (b0, b1), the element
    /// of op(A) broadcast across the vectors of the panel's row.
    @inlinable @inline(__always)
    static func rankOneUpdate<V: SIMD>(_ c0: inout V, _ c1: inout V, _ a: V.Scalar, _ b0: V, _ b1: V)
    where V.Scalar: Real {
        let ai = V(repeating: a)
        c0 = c0.addingProduct(ai, b0)
        c1 = c1.addingProduct(ai, b1)
    }

    /// Writes (or adds) one row of the micro-tile: whole vectors where the row has room
    /// for them, lane by lane past the last one at a ragged right edge.
    @inlinable @inline(__always)
    static func storeRow<V: SIMD>(
        _ row: UnsafeMutablePointer<V.Scalar>, _ v0: V, _ v1: V, columns: Int, overwrite: Bool
    ) where V.Scalar: Real {
        let w = V.scalarCount
        if columns >= w {
            storeVector(row, v0, overwrite: overwrite)
            if columns == 2 * w {
                storeVector(row + w, v1, overwrite: overwrite)
            } else {
                storeLanes(row + w, v1, count: columns - w, overwrite: overwrite)
            }
        } else {
            storeLanes(row, v0, count: columns, overwrite: overwrite)
        }
    }

    /// Writes (or adds) one whole vector at `to`.
    @inlinable @inline(__always)
    static func storeVector<V: SIMD>(_ to: UnsafeMutablePointer<V.Scalar>, _ v: V, overwrite: Bool)
    where V.Scalar: Real {
        let raw = UnsafeMutableRawPointer(to)
        raw.storeBytes(of: overwrite ? v : v + raw.loadUnaligned(as: V.self), as: V.self)
    }

    /// Writes (or adds) the first `count` lanes of `v` at `to`.
    @inlinable @inline(__always)
    static func storeLanes<V: SIMD>(_ to: UnsafeMutablePointer<V.Scalar>, _ v: V, count: Int, overwrite: Bool)
    where V.Scalar: Real {
        for j in 0..<count { to[j] = overwrite ? v[j] : to[j] + v[j] }
    }
}
