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
// The library is three modules, split where a student's edits stop:
//
// - LearnEngine (matrices and their kernels, threads, codecs, checkpoint encoding) is
//   built with `-cross-module-optimization`: the bodies of its generic functions go
//   into its interface, so every caller compiles its own Float (or Double) version,
//   specialised all the way down. It changes only when the engine does.
// - LearnSetup (what a training run is given and gives back: datasets, options and their
//   checks, records) sits between them, also without CMO, so that Learn does not
//   recompile it on every edit: moved out of Learn, it took a piece's rebuild from 9.0 s
//   to 8.0 s in a kit.
// - Learn (the pieces a student writes: equations, layers, models, losses, optimisers,
//   training loops) is built with `-disable-cmo`, which keeps every body out of its
//   interface. An edit inside a piece then leaves Learn's .swiftmodule byte for byte
//   the same, and the build system recompiles Learn alone — not the course tool, the
//   chapters or the test targets above it, which it only relinks. (Measured in a
//   starter kit: `Scripts/student-loop`.) Learn's hot paths are its Float training
//   loops, which are specialised inside Learn; a caller outside that runs a generic
//   piece itself (a fixture case, a gradient check) gets the generic code, and the
//   engine's kernels beneath it are specialised.
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
// The course library, the course tool, the chapters and the test targets that only drive
// the pieces (Grading, CourseTests, GradCheck) are built without optimisation: their own
// code parses, orchestrates, prints and compares, and every loop that counts runs in Learn
// or LearnEngine, which stay optimised. Measured on a fresh clone: the executables and
// three test targets at -Onone took the build from 109 s to 95 s with no run time lost;
// LearnCourse at -Onone (6.6k lines, one whole-module job every test target waited for)
// took it from 123 s to 80 s, for about 10 s more test run (82 → 92 s) and `Course grade`
// within its noise (32–37 s).
// UnitTests, EngineTests and Convergence stay optimised: their reference loops live in the
// tests (UnitTests' run, engine tests included, took 23 s at -Onone instead of 2 s).
let unoptimised: [SwiftSetting] = [.unsafeFlags(["-Onone"])]
let engineCMO: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"])]
let piecesWithoutCMO: [SwiftSetting] = [.unsafeFlags(["-disable-cmo"])]

// The modules keep the arrows pointing one way (the compiler refuses a wrong one):
//
//   Tutorials (chapters)          Course (grade, verify, starter-kit, goldens)
//        │                             │
//        │                        LearnCourse: fixtures, goldens, grading, the kit
//        │                             │
//        └──────────────┬──────────────┘
//                       ▼
//   Learn: the pieces students read, edit and import (knows nothing above it)
//                       │
//                       ▼
//   LearnSetup: datasets, options (checked), records of a run
//                       │
//                       ▼
//   LearnEngine: matrices, kernels, threads, codecs, checkpoints (never edited by a student)
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
        .target(name: "LearnEngine", dependencies: ["LearnWideKernel"], swiftSettings: cpuSettings + engineCMO),
        .target(name: "LearnSetup", dependencies: ["LearnEngine"], swiftSettings: cpuSettings + piecesWithoutCMO),
        .target(
            name: "Learn", dependencies: ["LearnEngine", "LearnSetup"], swiftSettings: cpuSettings + piecesWithoutCMO),
        .target(name: "LearnCourse", dependencies: ["Learn"], swiftSettings: cpuSettings + unoptimised),
        .target(name: "CommandLineOptions"),
        .executableTarget(
            name: "Tutorials", dependencies: ["Learn", "LearnCourse", "CommandLineOptions"],
            swiftSettings: cpuSettings + unoptimised),
        .executableTarget(
            name: "Course", dependencies: ["Learn", "LearnCourse", "CommandLineOptions"],
            swiftSettings: cpuSettings + unoptimised),
        .executableTarget(name: "Benchmarks", dependencies: ["Learn"], swiftSettings: cpuSettings),
        // What the test targets share: the `.requires(…)` trait that lets the starter
        // kit's tests fail on an unwritten piece instead of stopping at its stub.
        .target(
            name: "LearnTesting", dependencies: ["Learn", "LearnCourse", "EngineTesting"], path: "Tests/LearnTesting"),
        // What the engine's tests share (seeded matrices, a fuzzer's mutations), beneath
        // the pieces: EngineTests waits for LearnEngine alone, so it compiles beside Learn
        // and LearnCourse instead of after them.
        .target(name: "EngineTesting", dependencies: ["LearnEngine"], path: "Tests/EngineTesting"),
        .testTarget(name: "EngineTests", dependencies: ["LearnEngine", "EngineTesting"], swiftSettings: cpuSettings),
        .testTarget(
            name: "UnitTests", dependencies: ["Learn", "LearnTesting", "EngineTesting"], swiftSettings: cpuSettings),
        .testTarget(
            name: "GradCheck", dependencies: ["Learn", "LearnTesting"], swiftSettings: cpuSettings + unoptimised),
        .testTarget(
            name: "Convergence", dependencies: ["Learn", "LearnCourse", "LearnTesting"], swiftSettings: cpuSettings),
        .testTarget(
            name: "CourseTests", dependencies: ["Learn", "LearnCourse", "LearnTesting"],
            swiftSettings: cpuSettings + unoptimised),
        .testTarget(
            name: "Grading", dependencies: ["Learn", "LearnCourse", "LearnTesting"], exclude: ["StressCases"],
            swiftSettings: cpuSettings + unoptimised),
    ]
)
