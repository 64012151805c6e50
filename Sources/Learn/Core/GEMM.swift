import Dispatch
import Foundation

/// One matrix multiply, described by raw row-major storage:
/// `C (m×n) ← op(A) (m×k) · op(B) (k×n)`, or `C ← C + op(A)·op(B)` when `accumulate`.
///
/// `op(A)` is `A` or `Aᵀ` (then `A` is stored k×m); likewise for `B`. `lda`, `ldb` and
/// `ldc` are the row strides (the stored row lengths) of the three buffers.
/// See also: ``Matrix/product(_:_:transposeA:transposeB:)``, the safe entry point.
public struct GEMMProblem<T: Real>: @unchecked Sendable {
    public var m: Int, n: Int, k: Int
    public var a: UnsafePointer<T>, lda: Int, transposeA: Bool
    public var b: UnsafePointer<T>, ldb: Int, transposeB: Bool
    public var c: UnsafeMutablePointer<T>, ldc: Int
    public var accumulate: Bool

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
/// k: 12 fused multiply-adds for 2 vector loads and 6 broadcasts.
///
/// Around it, the work is cut so each piece of data is reused from fast memory:
/// - k is taken `kc` (256) at a time, so a `kc × nr` panel of op(B) (16 KB) stays in
///   L1 while every row tile of A streams past it;
/// - op(B) is always *packed* (copied into a contiguous panel), even when its rows
///   could be read in place: rows a power-of-two stride apart (512 or 1024 Floats, as
///   weights often are) fall into the same few cache sets and evict each other, and the
///   copy costs less than those misses. A transposed B is packed by transposing 8×8
///   blocks in registers;
/// - op(A) is never packed: the kernel reads it through a (row, column) stride pair,
///   which covers A and Aᵀ alike, and broadcasts one element at a time.
/// Large problems are split in two halves, one per core.
public enum GEMM {
    @usableFromInline static let mr = 6
    @usableFromInline static let kc = 256
    @usableFromInline static let nc = 512
    /// Below this many multiply-adds a second thread costs more than it saves.
    @usableFromInline static let parallelThreshold = 1 << 20

    /// Runs one multiply, on both cores when it is large enough.
    @inlinable
    public static func run<T: Real>(_ p: GEMMProblem<T>) {
        if p.m == 0 || p.n == 0 { return }
        if p.k == 0 {
            if !p.accumulate {
                for i in 0..<p.m { (p.c + i * p.ldc).update(repeating: 0, count: p.n) }
            }
            return
        }
        let nr = 2 * T.Vector.scalarCount
        if p.m * p.n * p.k >= parallelThreshold && (p.n >= 2 * nr || p.m >= 2 * mr) {
            // Split the larger side of C at a tile boundary so both halves stay aligned.
            let splitColumns = p.n >= p.m && p.n >= 2 * nr
            let size = splitColumns ? p.n : p.m
            let tile = splitColumns ? nr : mr
            let half = (size / 2 + tile - 1) / tile * tile
            Parallel.both { part in
                let (lo, hi) = part == 0 ? (0, half) : (half, size)
                runSerial(splitColumns ? p.columns(lo, hi) : p.rows(lo, hi))
            }
        } else {
            runSerial(p)
        }
    }

    /// Runs one multiply on the calling thread.
    @inlinable
    public static func runSerial<T: Real>(_ p: GEMMProblem<T>) {
        let nr = 2 * T.Vector.scalarCount
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
                    packB(p, from: pc, j, depth: kb, width: width, into: packed)
                    let (panel, bRow) = (UnsafePointer(packed), nr)
                    for i in stride(from: 0, to: p.m, by: mr) {
                        microKernel(
                            depth: kb, a: p.a + i * aRow + pc * aColumn, aRow: aRow, aColumn: aColumn,
                            b: panel, bRow: bRow,
                            c: p.c + i * p.ldc + j, ldc: p.ldc,
                            rows: min(mr, p.m - i), columns: width, overwrite: overwrite)
                    }
                }
            }
        }
    }

    /// Copies op(B)[p0 ..< p0+depth, j0 ..< j0+width] into one panel `nr` columns wide,
    /// stored row after row (`depth × nr`), zero-padded at a ragged right edge.
    @inlinable
    static func packB<T: Real>(
        _ p: GEMMProblem<T>, from p0: Int, _ j0: Int, depth: Int, width: Int,
        into panel: UnsafeMutablePointer<T>
    ) {
        let nr = 2 * T.Vector.scalarCount
        if width < nr { panel.update(repeating: 0, count: depth * nr) }
        if p.transposeB {
            // B is stored n×k: each column of op(B) is a contiguous source row.
            var done = 0
            if T.self == Float.self && width == nr {
                // The common case, a full Float panel, transposes 8×8 blocks in registers.
                done = depth / 8 * 8
                packTransposedFloat(
                    UnsafeRawPointer(p.b + j0 * p.ldb + p0).assumingMemoryBound(to: Float.self), ldb: p.ldb,
                    depth: done, into: UnsafeMutableRawPointer(panel).assumingMemoryBound(to: Float.self))
            }
            for j in 0..<width {
                let source = p.b + ((j0 + j) &* p.ldb &+ p0)
                for q in done..<depth { panel[q &* nr &+ j] = source[q] }
            }
        } else if width == nr {
            // A full panel: each row is two vectors, copied without a library call.
            let bytes = MemoryLayout<T>.stride
            for q in 0..<depth {
                let source = UnsafeRawPointer(p.b + ((p0 &+ q) &* p.ldb &+ j0))
                let target = UnsafeMutableRawPointer(panel + q &* nr)
                target.storeBytes(of: source.loadUnaligned(as: T.Vector.self), as: T.Vector.self)
                target.storeBytes(
                    of: source.loadUnaligned(fromByteOffset: nr / 2 * bytes, as: T.Vector.self),
                    toByteOffset: nr / 2 * bytes, as: T.Vector.self)
            }
        } else {
            for q in 0..<depth {
                (panel + q * nr).update(from: p.b + (p0 + q) * p.ldb + j0, count: width)
            }
        }
    }

    /// Packs 16 rows of a row-major Float matrix, `depth` (a multiple of 8) columns
    /// long, as a `depth × 16` panel: the transpose of the block.
    ///
    /// Element by element this is 16·depth scattered stores; instead each 8×8 block is
    /// loaded as 8 row vectors and transposed in registers (the classic three rounds of
    /// unpack, shuffle and half-swap), so every store writes 8 panel elements at once.
    @inlinable
    static func packTransposedFloat(
        _ b: UnsafePointer<Float>, ldb: Int, depth: Int, into panel: UnsafeMutablePointer<Float>
    ) {
        typealias F8 = SIMD8<Float>
        for q in stride(from: 0, to: depth, by: 8) {
            for half in 0..<2 {
                // Rows 8·half ..< 8·half + 8 of the block, columns q ..< q + 8.
                let rows = b + (8 &* half &* ldb &+ q)
                func row(_ r: Int) -> F8 { UnsafeRawPointer(rows + r &* ldb).loadUnaligned(as: F8.self) }
                let columns = transpose8x8(row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7))
                let target = UnsafeMutableRawPointer(panel + (q &* 16 &+ 8 &* half))
                let rowBytes = 16 * MemoryLayout<Float>.stride
                target.storeBytes(of: columns.0, as: F8.self)
                target.storeBytes(of: columns.1, toByteOffset: rowBytes, as: F8.self)
                target.storeBytes(of: columns.2, toByteOffset: 2 * rowBytes, as: F8.self)
                target.storeBytes(of: columns.3, toByteOffset: 3 * rowBytes, as: F8.self)
                target.storeBytes(of: columns.4, toByteOffset: 4 * rowBytes, as: F8.self)
                target.storeBytes(of: columns.5, toByteOffset: 5 * rowBytes, as: F8.self)
                target.storeBytes(of: columns.6, toByteOffset: 6 * rowBytes, as: F8.self)
                target.storeBytes(of: columns.7, toByteOffset: 7 * rowBytes, as: F8.self)
            }
        }
    }

    /// The transpose of the 8×8 block whose rows are `r0` … `r7`: its columns.
    ///
    /// Each helper below picks lanes in a pattern one AVX instruction performs
    /// (unpcklps/unpckhps, shufps, vperm2f128); writing them as lane lists keeps the
    /// code portable and lets the compiler find those instructions.
    @inlinable @inline(__always)
    static func transpose8x8(
        _ r0: SIMD8<Float>, _ r1: SIMD8<Float>, _ r2: SIMD8<Float>, _ r3: SIMD8<Float>,
        _ r4: SIMD8<Float>, _ r5: SIMD8<Float>, _ r6: SIMD8<Float>, _ r7: SIMD8<Float>
    ) -> (
        SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>,
        SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>
    ) {
        typealias F8 = SIMD8<Float>
        // Interleave pairs of rows: t0 = (r0₀ r1₀ r0₁ r1₁ | r0₄ r1₄ r0₅ r1₅), …
        func unpackLow(_ a: F8, _ b: F8) -> F8 { F8(a[0], b[0], a[1], b[1], a[4], b[4], a[5], b[5]) }
        func unpackHigh(_ a: F8, _ b: F8) -> F8 { F8(a[2], b[2], a[3], b[3], a[6], b[6], a[7], b[7]) }
        // Pairs of pairs: u0 = (r0₀ r1₀ r2₀ r3₀ | r0₄ r1₄ r2₄ r3₄), …
        func pairsLow(_ a: F8, _ b: F8) -> F8 { F8(a[0], a[1], b[0], b[1], a[4], a[5], b[4], b[5]) }
        func pairsHigh(_ a: F8, _ b: F8) -> F8 { F8(a[2], a[3], b[2], b[3], a[6], a[7], b[6], b[7]) }
        // Join the 4-lane halves of rows 0–3 and rows 4–7.
        func lowHalves(_ a: F8, _ b: F8) -> F8 { F8(lowHalf: a.lowHalf, highHalf: b.lowHalf) }
        func highHalves(_ a: F8, _ b: F8) -> F8 { F8(lowHalf: a.highHalf, highHalf: b.highHalf) }
        let (t0, t1) = (unpackLow(r0, r1), unpackHigh(r0, r1))
        let (t2, t3) = (unpackLow(r2, r3), unpackHigh(r2, r3))
        let (t4, t5) = (unpackLow(r4, r5), unpackHigh(r4, r5))
        let (t6, t7) = (unpackLow(r6, r7), unpackHigh(r6, r7))
        let (u0, u1, u2, u3) = (pairsLow(t0, t2), pairsHigh(t0, t2), pairsLow(t1, t3), pairsHigh(t1, t3))
        let (u4, u5, u6, u7) = (pairsLow(t4, t6), pairsHigh(t4, t6), pairsLow(t5, t7), pairsHigh(t5, t7))
        return (
            lowHalves(u0, u4), lowHalves(u1, u5), lowHalves(u2, u6), lowHalves(u3, u7),
            highHalves(u0, u4), highHalves(u1, u5), highHalves(u2, u6), highHalves(u3, u7)
        )
    }

    /// C[0..<rows, 0..<columns] (+)= Â·B̂ for one 6-row tile Â of op(A), read through
    /// its strides, and one `nr`-column panel B̂ whose rows are `bRow` apart. The
    /// 6 × 2 vectors of accumulators live in registers.
    @inlinable
    static func microKernel<T: Real>(
        depth: Int, a: UnsafePointer<T>, aRow: Int, aColumn: Int,
        b: UnsafePointer<T>, bRow: Int,
        c: UnsafeMutablePointer<T>, ldc: Int, rows: Int, columns: Int, overwrite: Bool
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
            var ai = V(repeating: a0[offset])
            c00 = c00.addingProduct(ai, b0)
            c01 = c01.addingProduct(ai, b1)
            ai = V(repeating: a1[offset])
            c10 = c10.addingProduct(ai, b0)
            c11 = c11.addingProduct(ai, b1)
            ai = V(repeating: a2[offset])
            c20 = c20.addingProduct(ai, b0)
            c21 = c21.addingProduct(ai, b1)
            ai = V(repeating: a3[offset])
            c30 = c30.addingProduct(ai, b0)
            c31 = c31.addingProduct(ai, b1)
            ai = V(repeating: a4[offset])
            c40 = c40.addingProduct(ai, b0)
            c41 = c41.addingProduct(ai, b1)
            ai = V(repeating: a5[offset])
            c50 = c50.addingProduct(ai, b0)
            c51 = c51.addingProduct(ai, b1)
        }
        storeRow(c, c00, c01, columns: columns, overwrite: overwrite)
        if rows > 1 { storeRow(c + ldc, c10, c11, columns: columns, overwrite: overwrite) }
        if rows > 2 { storeRow(c + 2 * ldc, c20, c21, columns: columns, overwrite: overwrite) }
        if rows > 3 { storeRow(c + 3 * ldc, c30, c31, columns: columns, overwrite: overwrite) }
        if rows > 4 { storeRow(c + 4 * ldc, c40, c41, columns: columns, overwrite: overwrite) }
        if rows > 5 { storeRow(c + 5 * ldc, c50, c51, columns: columns, overwrite: overwrite) }
    }

    /// Writes (or adds) one row of the micro-tile: two whole vectors when the row is
    /// full, lane by lane at a ragged right edge.
    @inlinable @inline(__always)
    static func storeRow<V: SIMD>(
        _ row: UnsafeMutablePointer<V.Scalar>, _ v0: V, _ v1: V, columns: Int, overwrite: Bool
    ) where V.Scalar: Real {
        let w = V.scalarCount
        if columns == 2 * w {
            let raw = UnsafeMutableRawPointer(row)
            let offset = w * MemoryLayout<V.Scalar>.stride
            var (x0, x1) = (v0, v1)
            if !overwrite {
                x0 += raw.loadUnaligned(as: V.self)
                x1 += raw.loadUnaligned(fromByteOffset: offset, as: V.self)
            }
            raw.storeBytes(of: x0, as: V.self)
            raw.storeBytes(of: x1, toByteOffset: offset, as: V.self)
        } else {
            for j in 0..<columns {
                let value = j < w ? v0[j] : v1[j - w]
                row[j] = overwrite ? value : row[j] + value
            }
        }
    }
}

/// A packing buffer owned by one thread, big enough for one panel of either
/// precision, allocated once and kept for the thread's lifetime.
///
/// Found through a POSIX thread-specific key: one load per multiply, where a lookup in
/// Foundation's thread dictionary hashes a string key each time.
@usableFromInline
final class PackingSpace {
    @usableFromInline let b: UnsafeMutableRawPointer

    init() {
        // kc rows of one panel; a panel is 64 bytes wide in either precision.
        b = .allocate(byteCount: GEMM.kc * 64, alignment: 64)
    }

    deinit { b.deallocate() }

    /// The key under which each thread keeps its space; the destructor frees it when
    /// the thread ends.
    static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { space in
            #if canImport(Darwin)
                Unmanaged<PackingSpace>.fromOpaque(space).release()
            #else
                if let space { Unmanaged<PackingSpace>.fromOpaque(space).release() }
            #endif
        }
        precondition(status == 0, "pthread_key_create failed (\(status)): no packing space for GEMM")
        return key
    }()

    @usableFromInline
    static func forCurrentThread() -> PackingSpace {
        if let space = pthread_getspecific(key) {
            return Unmanaged<PackingSpace>.fromOpaque(space).takeUnretainedValue()
        }
        let space = PackingSpace()
        pthread_setspecific(key, Unmanaged.passRetained(space).toOpaque())
        return space
    }
}
