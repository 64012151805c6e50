// swift-tools-version: 6.0
import PackageDescription

// Numeric code lives or dies by vector instructions. Without a CPU target the
// compiler may not emit fused multiply-add (it becomes a library call), which makes
// the matrix kernels about 100× slower. Haswell (AVX2 + FMA, 2013 onwards) runs on
// every x86-64 machine of the last decade; other architectures use their defaults.
//
// `-fno-math-errno` lets `squareRoot()` compile to the square-root instruction: by
// default it becomes a call that may set the C `errno` for negative inputs, and that
// call stops the optimiser from vectorising any loop containing it (the optimisers').
//
// `-cross-module-optimization` on Learn is the package's one place for generic
// speed: it puts the bodies of Learn's generic functions into the module's
// interface, so code outside Learn — the course module, the tests, a benchmark, your
// own training loop — compiles its own Float (or Double) version of an LSTM step, with
// every call inside it specialised too. Without it such a caller runs the generic code
// through witness tables at every step, measured 5–100× slower (an LSTM's loss and
// gradients from another module: 65 ms against 6.9 ms). `Benchmarks` times one LSTM
// step through the public API beside the trainer's to keep this true.
//
// One small module, LearnWideKernel, is compiled for AVX-512 instead: the matrix
// kernel's inner loop, which GEMM calls only after checking that the processor has
// AVX-512 (see GEMM.Kernel). Everything else must not depend on it.
#if arch(x86_64)
    let cpuSettings: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell", "-Xcc", "-fno-math-errno"])]
    let wideKernelSettings: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "skylake-avx512"])]
#else
    let cpuSettings: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-fno-math-errno"])]
    let wideKernelSettings: [SwiftSetting] = []
#endif
let libraryCMO: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"])]

// The modules keep the arrows pointing one way (the compiler refuses a wrong one):
//
//   Tutorials (chapters)          Course (grade, verify, starter-kit, goldens)
//        │                             │
//        │                        LearnCourse: fixtures, goldens, grading, the kit
//        │                             │
//        └──────────────┬──────────────┘
//                       ▼
//   Learn: the library students read, edit and import (knows nothing above it)
//
// CommandLineOptions is the option parser both executables share.
let package = Package(
    name: "Learn",
    products: [
        .library(name: "Learn", targets: ["Learn"]),
        .library(name: "LearnCourse", targets: ["LearnCourse"]),
        .executable(name: "Tutorials", targets: ["Tutorials"]),
        .executable(name: "Course", targets: ["Course"]),
        .executable(name: "Benchmarks", targets: ["Benchmarks"]),
    ],
    targets: [
        .target(name: "LearnWideKernel", swiftSettings: wideKernelSettings),
        .target(name: "Learn", dependencies: ["LearnWideKernel"], swiftSettings: cpuSettings + libraryCMO),
        .target(name: "LearnCourse", dependencies: ["Learn"], swiftSettings: cpuSettings),
        .target(name: "CommandLineOptions"),
        .executableTarget(
            name: "Tutorials", dependencies: ["Learn", "LearnCourse", "CommandLineOptions"], swiftSettings: cpuSettings),
        .executableTarget(
            name: "Course", dependencies: ["Learn", "LearnCourse", "CommandLineOptions"], swiftSettings: cpuSettings),
        .executableTarget(name: "Benchmarks", dependencies: ["Learn"], swiftSettings: cpuSettings),
        // What the test targets share: the `.requires(…)` trait that lets the starter
        // kit's tests fail on an unwritten piece instead of stopping at its stub.
        .target(name: "LearnTesting", dependencies: ["Learn", "LearnCourse"], path: "Tests/LearnTesting"),
        .testTarget(name: "UnitTests", dependencies: ["Learn", "LearnTesting"], swiftSettings: cpuSettings),
        .testTarget(name: "GradCheck", dependencies: ["Learn", "LearnTesting"], swiftSettings: cpuSettings),
        .testTarget(
            name: "Convergence", dependencies: ["Learn", "LearnCourse", "LearnTesting"], swiftSettings: cpuSettings),
        .testTarget(
            name: "CourseTests", dependencies: ["Learn", "LearnCourse", "LearnTesting"], swiftSettings: cpuSettings),
        .testTarget(
            name: "Grading", dependencies: ["Learn", "LearnCourse", "LearnTesting"], exclude: ["StressCases"],
            swiftSettings: cpuSettings),
    ]
)
