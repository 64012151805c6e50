#if arch(x86_64)
    /// The matrix kernel's inner loop for processors with AVX-512, in a module of its own.
    ///
    /// Why a separate module? Every other line of Learn is compiled for AVX2 (Haswell,
    /// 2013 onwards) so it runs on any recent x86-64 machine. This module alone is
    /// compiled for AVX-512, whose 32 registers of 16 Floats hold an 8 × 32 tile of C:
    /// each step of k is 16 fused multiply-adds for 2 loads and 8 broadcasts, half the
    /// instructions per multiply-add of the AVX2 kernel. On a shared virtual machine
    /// the AVX2 kernel's speed was seen to fall by up to a quarter for seconds at a
    /// time (most likely another program on the same physical core) while this one
    /// held steady.
    ///
    /// Nothing here may run on a processor without AVX-512, so ``GEMM`` calls
    /// ``multiply(depth:a:aRow:aColumn:panel:c:ldc:rows:columns:overwrite:)`` only
    /// after checking the processor, and nothing in this module is `@inlinable`: an
    /// inlined body would be compiled into its caller, for the caller's processor.
    public enum WidePanel {
        /// The width of a packed panel of B: two vectors of 16 Floats.
        public static let width = 32

        /// C[0..<rows, 0..<columns] (+)= op(A)[0..<rows, 0..<depth] · B̂, where op(A) is
        /// read through its strides (element (i, q) at `a + i·aRow + q·aColumn`) and B̂ is
        /// a packed `depth × 32` panel, zero-padded past `columns`. Rows go 8 at a time,
        /// and 4 at a time at the end where no more than 4 are left.
        public static func multiply(
            depth: Int, a: UnsafePointer<Float>, aRow: Int, aColumn: Int,
            panel: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int,
            rows: Int, columns: Int, overwrite: Bool
        ) {
            var i = 0
            while i < rows {
                let tall = rows - i > 4
                let height = min(tall ? 8 : 4, rows - i)
                let (a, c) = (a + i * aRow, c + i * ldc)
                // Two call sites with a constant `tall`: an 8-row and a 4-row tile from one text.
                if tall {
                    tile(depth, a, aRow, aColumn, panel, c, ldc, height, columns, overwrite, tall: true)
                } else {
                    tile(depth, a, aRow, aColumn, panel, c, ldc, height, columns, overwrite, tall: false)
                }
                i += height
            }
        }

        typealias V = SIMD16<Float>

        /// One tile of 8 (or 4) rows: 8 × 2 vectors of accumulators in registers.
        @inline(__always)
        static func tile(
            _ depth: Int, _ a: UnsafePointer<Float>, _ aRow: Int, _ aColumn: Int,
            _ panel: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, _ ldc: Int,
            _ rows: Int, _ columns: Int, _ overwrite: Bool, tall: Bool
        ) {
            // A tile over fewer rows than its height repeats the last row: the extra
            // results are never stored, and every read stays inside A.
            func row(_ r: Int) -> UnsafePointer<Float> { a + min(r, rows - 1) * aRow }
            let (a0, a1, a2, a3, a4, a5, a6, a7) = (row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7))
            var (c00, c01, c10, c11, c20, c21, c30, c31) = (V(), V(), V(), V(), V(), V(), V(), V())
            var (c40, c41, c50, c51, c60, c61, c70, c71) = (V(), V(), V(), V(), V(), V(), V(), V())
            for q in 0..<depth {
                let b = UnsafeRawPointer(panel + q * width)
                let (b0, b1) = (b.loadUnaligned(as: V.self), b.loadUnaligned(fromByteOffset: 64, as: V.self))
                let o = q * aColumn
                rankOneUpdate(&c00, &c01, a0[o], b0, b1)
                rankOneUpdate(&c10, &c11, a1[o], b0, b1)
                rankOneUpdate(&c20, &c21, a2[o], b0, b1)
                rankOneUpdate(&c30, &c31, a3[o], b0, b1)
                if tall {
                    rankOneUpdate(&c40, &c41, a4[o], b0, b1)
                    rankOneUpdate(&c50, &c51, a5[o], b0, b1)
                    rankOneUpdate(&c60, &c61, a6[o], b0, b1)
                    rankOneUpdate(&c70, &c71, a7[o], b0, b1)
                }
            }
            store(c, c00, c01, columns, overwrite)
            if rows > 1 { store(c + ldc, c10, c11, columns, overwrite) }
            if rows > 2 { store(c + 2 * ldc, c20, c21, columns, overwrite) }
            if rows > 3 { store(c + 3 * ldc, c30, c31, columns, overwrite) }
            if rows > 4 { store(c + 4 * ldc, c40, c41, columns, overwrite) }
            if rows > 5 { store(c + 5 * ldc, c50, c51, columns, overwrite) }
            if rows > 6 { store(c + 6 * ldc, c60, c61, columns, overwrite) }
            if rows > 7 { store(c + 7 * ldc, c70, c71, columns, overwrite) }
        }

        /// One rank-1 step for one row of the tile: (c0, c1) += a · (b0, b1).
        ///
        /// This tile mirrors `GEMM.microKernel` line for line, in wider vectors. The two
        /// cannot share code: whatever this module exports runs only on AVX-512, and what
        /// Learn's kernel inlines is compiled for AVX2.
        @inline(__always)
        static func rankOneUpdate(_ c0: inout V, _ c1: inout V, _ a: Float, _ b0: V, _ b1: V) {
            let ai = V(repeating: a)
            c0 = c0.addingProduct(ai, b0)
            c1 = c1.addingProduct(ai, b1)
        }

        /// Writes (or adds) one row of the tile, `columns` wide.
        @inline(__always)
        static func store(_ to: UnsafeMutablePointer<Float>, _ v0: V, _ v1: V, _ columns: Int, _ overwrite: Bool) {
            storePart(to, v0, count: min(columns, 16), overwrite)
            if columns > 16 { storePart(to + 16, v1, count: columns - 16, overwrite) }
        }

        /// Writes (or adds) the first `count` lanes of `v`: as one vector when all 16 are wanted.
        @inline(__always)
        static func storePart(_ to: UnsafeMutablePointer<Float>, _ v: V, count: Int, _ overwrite: Bool) {
            if count == 16 {
                let raw = UnsafeMutableRawPointer(to)
                raw.storeBytes(of: overwrite ? v : v + raw.loadUnaligned(as: V.self), as: V.self)
            } else {
                for j in 0..<count { to[j] = overwrite ? v[j] : to[j] + v[j] }
            }
        }
    }
#endif
