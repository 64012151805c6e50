import Dispatch
import Foundation
import Learn

// Speed of the numeric core, measured (never asserted): milliseconds per LSTM
// training step and GFLOP/s of the matrix kernel. `Scripts/benchmark_pytorch.py`
// runs this with --json beside the same work in PyTorch and prints the ratios.

let arguments = CommandLine.arguments.dropFirst()
// Freed matrices kept for reuse, as every trainer keeps them (and PyTorch's allocator
// does): the layers measured alone below would otherwise pay for fresh pages each call.
_ = AllocatorTuning.applied
if arguments.contains("--help") || arguments.contains("-h") {
    print(
        """
        usage: Benchmarks [--json] [--quick] [--only NAME]
          Times one LSTM/RNN training step (forward + backward + clip + RMSProp) at
          batch 128, hidden 128, T = 5 and T = 20 in Float32, the matrix kernel
          (A·B, A·Bᵀ, Aᵀ·B) at 128×138×512 on both cores, and one GAN iteration
          (a D step and a G step, batch 64, the template architecture); and the
          LSTM step at T = 20 again, written against the public API from outside
          the library (it should take the trainer's time); each Conv2d shape of the
          reduced VGG (3×3, padding 1, batch 32), forward and backward, with its
          GFLOP/s; and one training step of the reduced VGG (batch 32, 32×32×3, Adam).
          --json   print one JSON object instead of a table
          --quick  fewer repetitions (a smoke run, noisier figures)
          --only NAME  run only the measures whose name contains NAME
                   (e.g. --only "lstm step T=20"), for profiling one of them
          Float products run the AVX-512 kernel where the processor has it;
          LEARN_GEMM_KERNEL=portable in the environment runs the AVX2 one instead.
        """)
    exit(0)
}
func fail(_ message: String) -> Never {
    FileHandle.standardError.write("Benchmarks: \(message) (try --help)\n".data(using: .utf8)!)
    exit(2)
}
var only: String?
var rest = Array(arguments)
while !rest.isEmpty {
    let a = rest.removeFirst()
    switch a {
    case "--json", "--quick": continue
    case "--only":
        guard let name = rest.first, !name.hasPrefix("--") else { fail("--only needs a measure name") }
        only = name
        rest.removeFirst()
    default: fail("unknown option '\(a)'")
    }
}
let json = arguments.contains("--json")
let quick = arguments.contains("--quick")
/// Whether the measure called `name` runs (all of them unless --only says otherwise).
@MainActor func selected(_ name: String) -> Bool { only.map { name.contains($0) } ?? true }

/// The median of `repeats` timings of `body`, in milliseconds, after one warm-up.
func medianMilliseconds(repeats: Int, _ body: () -> Void) -> Double {
    body()
    var times: [Double] = []
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    return times.sorted()[times.count / 2]
}

if !json { print("matrix kernel: \(GEMM.Kernel.preferred.rawValue)") }

var results: [(String, Double)] = []
@MainActor func report(_ name: String, _ value: Double, _ unit: String) {
    results.append((name, value))
    if !json {
        print("\(name.padding(toLength: 40, withPad: " ", startingAt: 0)) \(String(format: "%9.3f", value)) \(unit)")
    }
}

// The matrix kernel: C = op(A)·op(B) with m = 128, k = 138, n = 512.
let (m, k, n) = (128, 138, 512)
var generator = SeededGenerator(seed: 1)
let forms: [(String, Bool, Bool)] = [("A·B", false, false), ("A·Bᵀ", false, true), ("Aᵀ·B", true, false)]
for (name, ta, tb) in forms where selected("gemm \(name) GFLOP/s") {
    let a = Matrix<Float>.uniform(rows: ta ? k : m, columns: ta ? m : k, bound: 1, using: &generator)
    let b = Matrix<Float>.uniform(rows: tb ? n : k, columns: tb ? k : n, bound: 1, using: &generator)
    let inner = quick ? 20 : 200
    let ms = medianMilliseconds(repeats: quick ? 5 : 15) {
        for _ in 0..<inner { _ = Matrix.product(a, b, transposeA: ta, transposeB: tb) }
    }
    report("gemm \(name) GFLOP/s", 2.0 * Double(m * n * k) * Double(inner) / (ms * 1e6), "GFLOP/s")
}

// One training step of each model at batch 128, hidden 128.
for kind in [SequenceModelKind.lstm, .rnn] {
    for t in [5, 20] where selected("\(kind.rawValue) step T=\(t) ms") {
        var options = PalindromeOptions()
        options.model = kind
        options.inputLength = t
        options.datasetSize = 1024
        var trainer = try PalindromeTrainer(options: options)
        let batch = trainer.batches(trainer.data.train, shuffled: true)[0]
        let inner = quick ? 3 : 10
        let ms = medianMilliseconds(repeats: quick ? 3 : 9) {
            for _ in 0..<inner { _ = try! trainer.step(batch) }
        }
        report("\(kind.rawValue) step T=\(t) ms", ms / Double(inner), "ms")
    }
}

// The same LSTM step written against the public API, as code outside Learn would:
// split-batch loss and gradients, clipping, RMSProp. Learn is compiled without
// cross-module optimisation (Package.swift: so that an edit to a piece recompiles
// Learn alone), so this runs Learn's generic code over the engine's specialised
// kernels: the price a loop of one's own pays, against the trainer's step above.
if selected("lstm step T=20, public API ms") {
    var random = SeededGenerator(seed: 5)
    var model = LSTM<Float>(inputSize: 10, hiddenSize: 128, classes: 10, forgetBias: 1, using: &random)
    var optimizer = RMSProp<LSTM<Float>>(learningRate: 1e-3)
    let xs = (0..<20).map { _ in
        var x = Matrix<Float>(rows: 128, columns: 10)
        for row in 0..<128 { x[row, random.integer(below: 10)] = 1 }
        return x
    }
    let labels = (0..<128).map { _ in random.integer(below: 10) }
    let inner = quick ? 3 : 10
    let ms = medianMilliseconds(repeats: quick ? 3 : 9) {
        for _ in 0..<inner {
            var (_, gradients) = model.lossAndGradientsSplittingBatch(xs, labels: labels)
            clipGlobalNorm(&gradients, maxNorm: 10)
            optimizer.step(&model, gradients: gradients)
        }
    }
    report("lstm step T=20, public API ms", ms / Double(inner), "ms")
}

// One GAN iteration (one D step + one G step), batch 64, the template architecture.
// Random images stand in for MNIST: the arithmetic is the same.
if selected("gan iteration ms") {
    var random = SeededGenerator(seed: 3)
    let images = Matrix<Float>.uniform(rows: 1024, columns: 784, bound: 1, using: &random)
    var trainer = try GANTrainer(images: images)
    let inner = quick ? 3 : 10
    let ms = medianMilliseconds(repeats: quick ? 3 : 9) {
        for _ in 0..<inner { _ = try! trainer.step() }
    }
    report("gan iteration ms", ms / Double(inner), "ms")
}

// Each Conv2d shape of the reduced VGG, forward and backward (dW, db and dX), Float32:
// 3×3 kernel, padding 1, batch 32. Its three matrix products (patches·Wᵀ, dYᵀ·patches,
// dY·W) are 3 × 2·(32·side²)·cout·(cin·9) FLOPs (64 → 128 at 16×16: 3.6 GFLOP).
let vggConvolutions = [
    (3, 64, 32), (64, 128, 16), (128, 256, 8), (256, 256, 8), (256, 512, 4), (512, 512, 4), (512, 512, 2),
]
for (cin, cout, side) in vggConvolutions {
    let name = "conv2d \(cin)→\(cout) \(side)×\(side) batch 32"
    guard selected("\(name) ms") else { continue }
    var random = SeededGenerator(seed: 7)
    var conv = Conv2d<Float>(inputChannels: cin, outputChannels: cout, kernelSize: 3, padding: 1, using: &random)
    let x = FeatureMaps(
        unflattening: Matrix<Float>.uniform(rows: 32, columns: cin * side * side, bound: 1, using: &random),
        channels: cin, height: side, width: side)
    let dY = FeatureMaps(
        unflattening: Matrix<Float>.uniform(rows: 32, columns: cout * side * side, bound: 1, using: &random),
        channels: cout, height: side, width: side)
    var grads = conv.zeroed()
    let inner = side <= 4 ? (quick ? 5 : 20) : 1
    let ms = medianMilliseconds(repeats: quick ? 3 : 9) {
        for _ in 0..<inner {
            let (_, cache) = conv.forward(x, mode: .training)
            _ = conv.backward(into: &grads, dY, cache: cache)
        }
    }
    let flops = 3 * 2 * Double(32 * side * side * cout * cin * 9)
    report("\(name) ms", ms / Double(inner), "ms")
    report("\(name) GFLOP/s", flops / (ms / Double(inner) * 1e6), "GFLOP/s")
}

// One training step of the reduced VGG at the course's widths: forward, softmax
// cross-entropy, backward, Adam(1e-4), on a batch of 32 random 32×32×3 images (the
// trainer's own step, as CIFAR-10 training takes it).
if selected("cnn step ms") {
    var random = SeededGenerator(seed: 3)
    let count = 64
    let bytes = (0..<count * 3072).map { _ in UInt8.random(in: 0...255, using: &random) }
    let data = ImageClassificationData(
        images: ImageBytes(bytes: bytes, rows: count, columns: 3072), labels: (0..<count).map { $0 % 10 },
        classNames: (0..<10).map { "class \($0)" }, channels: 3)
    var trainer = try CNNTrainer(options: CNNOptions(), train: data, test: data)
    let batch = Array(0..<32)
    let ms = medianMilliseconds(repeats: quick ? 3 : 7) { _ = try! trainer.step(rows: batch) }
    report("cnn step ms", ms, "ms")
}

if let only, results.isEmpty { fail("no measure's name contains '\(only)'") }
if json {
    let body = results.map { "\"\($0.0)\": \(String(format: "%.4f", $0.1))" }.joined(separator: ", ")
    print("{\"kernel\": \"\(GEMM.Kernel.preferred.rawValue)\", \(body)}")
}
