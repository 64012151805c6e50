import Foundation

#if arch(x86_64)
    import LearnWideKernel
#endif

extension GEMM {
    /// Which inner loop a Float multiply runs: the portable AVX2 one, or the AVX-512
    /// one of `LearnWideKernel` on processors that have it. Both add each element's
    /// terms in the same order, so their products are the same bit for bit (tested);
    /// Double always runs the portable one.
    ///
    /// Set `LEARN_GEMM_KERNEL=portable` in the environment to run the portable kernel
    /// on an AVX-512 machine (to compare the two, or to rule the wide one out).
    public enum Kernel: String, Sendable, CaseIterable {
        /// 6 × 16 Float tiles in AVX2 registers: runs on any x86-64 machine since 2013,
        /// and on other architectures through their own vector units.
        case portable
        /// 8 × 32 Float tiles in AVX-512 registers.
        case wide

        /// The kernel multiplies use unless told otherwise: the wide one where the
        /// processor has AVX-512 and the environment does not ask for the portable one.
        public static let preferred: Kernel =
            wide.isAvailable && ProcessInfo.processInfo.environment["LEARN_GEMM_KERNEL"] != "portable"
            ? .wide : .portable

        /// Whether this processor can run the kernel.
        public var isAvailable: Bool {
            switch self {
            case .portable: true
            case .wide: Self.processorHasAVX512
            }
        }

        /// The AVX-512 subsets the wide module is compiled for (Skylake-AVX512's), read
        /// from the kernel's list of processor flags. On systems without that list the
        /// answer is no, and the portable kernel runs.
        static let processorHasAVX512: Bool = {
            #if arch(x86_64) && os(Linux)
                guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
                    let flagsLine = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
                else { return false }
                let flags = Set(flagsLine.split(separator: " ").map(String.init))
                return ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains)
            #else
                return false
            #endif
        }()
    }
}
