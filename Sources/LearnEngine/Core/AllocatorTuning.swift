#if canImport(Glibc)
    import Glibc
#endif

/// Asks the C allocator to keep freed memory for reuse instead of returning it to the
/// kernel after every training step.
///
/// Why: a training step allocates and frees the same few hundred matrices of 64 KB –
/// 3 MB over and over. By default glibc gives memory at the top of its heap back to the
/// kernel as soon as 128 KB are free, and serves blocks over 128 KB with a fresh
/// `mmap`; either way the next step takes page faults to get the same memory back, and
/// the kernel zeroes every page first. Measured on an LSTM step at T = 20 that churn
/// costs about 30% of the step. Raising the two thresholds (to 256 MB and 32 MB)
/// keeps the memory in the process — what PyTorch's caching allocator does for it.
///
/// It changes a process-wide setting, once, and only on glibc; elsewhere it does
/// nothing. The trainers call it; nothing else needs to.
public enum AllocatorTuning {
    /// Applies the setting the first time it is read; later reads do nothing.
    public static let applied: Bool = {
        #if canImport(Glibc)
            // mallopt is not in Swift's Glibc module, so look it up by name.
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return false }
            let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
            let trimThreshold: Int32 = -1  // M_TRIM_THRESHOLD in <malloc.h>
            let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
            return mallopt(trimThreshold, 256 << 20) == 1 && mallopt(mmapThreshold, 32 << 20) == 1
        #else
            return false
        #endif
    }()
}
