import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Packing: copying a block of op(B) into the contiguous panel the micro-kernel reads.
///
/// See ``GEMM`` for why B is packed; this file holds how.
extension GEMM {
    /// Copies op(B)[p0 ..< p0+depth, j0 ..< j0+width] into one panel `nr` columns wide
    /// (a whole number of vectors), stored row after row (`depth × nr`), zero-padded at
    /// a ragged right edge.
    @inlinable
    static func packB<T: Real>(
        _ p: GEMMProblem<T>, from p0: Int, _ j0: Int, depth: Int, width: Int, panelWidth nr: Int,
        into panel: UnsafeMutablePointer<T>
    ) {
        if width < nr { panel.update(repeating: 0, count: depth * nr) }
        if p.transposeB {
            // B is stored n×k: each column of op(B) is a contiguous source row.
            var done = 0
            if T.self == Float.self && width == nr {
                // The common case, a full Float panel, transposes 8×8 blocks in registers.
                done = depth / 8 * 8
                packTransposedFloat(
                    UnsafeRawPointer(p.b + j0 * p.ldb + p0).assumingMemoryBound(to: Float.self), ldb: p.ldb,
                    depth: done, panelWidth: nr,
                    into: UnsafeMutableRawPointer(panel).assumingMemoryBound(to: Float.self))
            }
            for j in 0..<width {
                let source = p.b + ((j0 + j) &* p.ldb &+ p0)
                for q in done..<depth { panel[q &* nr &+ j] = source[q] }
            }
        } else if width == nr {
            // A full panel: each row is whole vectors, copied without a library call.
            let vectorBytes = T.Vector.scalarCount * MemoryLayout<T>.stride
            for q in 0..<depth {
                let source = UnsafeRawPointer(p.b + ((p0 &+ q) &* p.ldb &+ j0))
                let target = UnsafeMutableRawPointer(panel + q &* nr)
                for offset in stride(from: 0, to: nr / T.Vector.scalarCount * vectorBytes, by: vectorBytes) {
                    target.storeBytes(
                        of: source.loadUnaligned(fromByteOffset: offset, as: T.Vector.self),
                        toByteOffset: offset, as: T.Vector.self)
                }
            }
        } else {
            for q in 0..<depth {
                (panel + q * nr).update(from: p.b + (p0 + q) * p.ldb + j0, count: width)
            }
        }
    }

    /// Packs `nr` (a multiple of 8) rows of a row-major Float matrix, `depth` (a
    /// multiple of 8) columns long, as a `depth × nr` panel: the transpose of the block.
    ///
    /// Element by element this is nr·depth scattered stores; instead each 8×8 block is
    /// loaded as 8 row vectors and transposed in registers (the classic three rounds of
    /// unpack, shuffle and half-swap), so every store writes 8 panel elements at once.
    @inlinable
    static func packTransposedFloat(
        _ b: UnsafePointer<Float>, ldb: Int, depth: Int, panelWidth nr: Int,
        into panel: UnsafeMutablePointer<Float>
    ) {
        typealias F8 = SIMD8<Float>
        for q in stride(from: 0, to: depth, by: 8) {
            for block in 0..<nr / 8 {
                // Rows 8·block ..< 8·block + 8 of the panel's rows, columns q ..< q + 8.
                let rows = b + (8 &* block &* ldb &+ q)
                func row(_ r: Int) -> F8 { UnsafeRawPointer(rows + r &* ldb).loadUnaligned(as: F8.self) }
                let columns = transpose8x8(row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7))
                let target = UnsafeMutableRawPointer(panel + (q &* nr &+ 8 &* block))
                let rowBytes = nr * MemoryLayout<Float>.stride
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
        // kc rows of one panel; a panel is at most 128 bytes wide (32 Floats, for the
        // wide kernel; 16 Floats or 8 Doubles otherwise).
        b = .allocate(byteCount: GEMM.kc * 128, alignment: 64)
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
        ensure(status == 0, "pthread_key_create failed (\(status)): no packing space for GEMM")
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
