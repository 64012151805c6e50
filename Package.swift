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
        .target(name: "Learn", dependencies: ["LearnWideKernel"], swiftSettings: cpuSettings),
        .target(name: "LearnCourse", dependencies: ["Learn"], swiftSettings: cpuSettings),
        .target(name: "CommandLineOptions"),
        .executableTarget(
            name: "Tutorials", dependencies: ["Learn", "CommandLineOptions"], swiftSettings: cpuSettings),
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
            name: "Grading", dependencies: ["Learn", "LearnCourse", "LearnTesting"], swiftSettings: cpuSettings),
    ]
)
