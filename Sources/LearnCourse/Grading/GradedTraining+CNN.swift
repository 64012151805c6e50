import Foundation
import Learn

/// The graded CNN run of Assignment 2, Part II, task 2: the quick run on MNIST padded to
/// 32×32 (`CNNOptions.quick`). The pieces train and hand over the network as a
/// checkpoint; the grader scores MNIST's test digits with its own arithmetic — the
/// engine's unfolding and product, its own batch norm, ReLU and max-pool — so the points
/// go to a network that classifies, not to a reported number, and the student's layers
/// never run in the judgement.
extension GradedTraining {
    /// The required test accuracy on MNIST's 10,000 test digits: the quick run's mark.
    static let cnnRequired = 0.97
    /// The check's worth.
    static let cnnPoints = 16

    /// The padded digits the run trains on and the ones it is judged on.
    static func paddedMNIST(_ split: MNIST.Split, limit: Int?) throws -> ImageClassificationData {
        ImageClassificationData(padding: try MNIST.load(split: split, limit: limit))
    }

    /// Trains `CNNOptions.quick` on the first 30,000 padded training digits; ≥ 97% of the
    /// 10,000 test digits right earns the check's 16 points.
    static let cnnLearns = GradedWork<NoQuestion, Trained>(
        ask: { _ in NoQuestion() },
        answer: { _ in
            let train = try paddedMNIST(.train, limit: CNNOptions.quickTrainingImages)
            // The trainer measures its test curve on a few digits only: the grader measures all.
            let test = try paddedMNIST(.test, limit: 100)
            var trainer = try CNNTrainer(options: .quick, train: train, test: test)
            _ = try trainer.run()
            var checkpoint = Checkpoint()
            checkpoint.store(trainer.model)
            return Trained(checkpoint: bytes(checkpoint), steps: trainer.steps)
        },
        judge: { _, trained, _ in
            let settings = CNNOptions.quick
            let network = try JudgedCNN(
                decode(trained.checkpoint, what: "CNN"), widths: settings.widths, pooledAfter: settings.pooledAfter)
            let accuracy = network.accuracy(on: try paddedMNIST(.test, limit: nil))
            guard accuracy >= cnnRequired else {
                return [
                    Deduction(
                        points: cnnPoints,
                        reason: "test accuracy \(percent(accuracy)) on MNIST's 10,000 test digits padded to 32×32, "
                            + "after \(trained.steps) steps (\(settings.epochs) epochs of "
                            + "\(CNNOptions.quickTrainingImages) digits, seed 0, Adam \(settings.learningRate) ×\(settings.learningRateDecay) "
                            + "an epoch, batch "
                            + "\(settings.batchSize), the course's VGG 8× narrower); at least \(percent(cnnRequired)) "
                            + "is needed. Run `Tutorials a2-part2-task2 --quick` to watch the curves")
                ]
            }
            return []
        })
}

/// A trained VGG as the grader scores it, read from a checkpoint: each block's
/// Conv2d 3×3/1/1 → BatchNorm2d in evaluation (running statistics, ε = 1e-5) → ReLU, a
/// 3×3/2/1 max-pool after the blocks `pooledAfter` names, and the Linear layer on the
/// flattened features. Written with the engine only, never with a student's layers.
struct JudgedCNN {
    /// A conv block with its batch norm folded into the convolution: evaluation's
    /// BN(y) = γ(y − μ)/√(σ² + ε) + β is y·s + (β − μ·s) with s = γ/√(σ² + ε), so
    /// filter o is scaled by s_o and b_o becomes (b_o − μ_o)·s_o + β_o.
    struct Block {
        var w: Matrix<Float>, b: Matrix<Float>

        init(w: Matrix<Float>, b: Matrix<Float>, gamma: [Float], beta: [Float], mean: [Float], variance: [Float]) {
            let s = (0..<w.rows).map { gamma[$0] / (variance[$0] + 1e-5).squareRoot() }
            var folded = w
            for o in 0..<w.rows {
                for k in 0..<w.columns { folded[o, k] *= s[o] }
            }
            self.w = folded
            self.b = Matrix(
                rows: 1, columns: w.rows, elements: (0..<w.rows).map { (b[0, $0] - mean[$0]) * s[$0] + beta[$0] })
        }
    }
    var blocks: [Block]
    let pooledAfter: Set<Int>
    var w: Matrix<Float>, b: Matrix<Float>

    /// The network `checkpoint` holds, with every tensor's shape checked against the
    /// blocks of `widths` on one-channel 32×32 images.
    init(_ checkpoint: Checkpoint, widths: [Int], pooledAfter: Set<Int>) throws {
        func tensor(_ name: String, _ rows: Int, _ columns: Int) throws -> Matrix<Float> {
            let m: Matrix<Float>
            do {
                m = try checkpoint.matrix(name, as: Float.self)
            } catch {
                throw GradingError(problem: "the trained CNN has no usable tensor \(name): \(error)")
            }
            guard m.rows == rows, m.columns == columns, m.elements.allSatisfy(\.isFinite) else {
                throw GradingError(
                    problem: "the trained CNN's \(name) is \(m.shapeDescription), expected \(rows)×\(columns) "
                        + "of finite numbers")
            }
            return m
        }
        var (inputs, side) = (1, 32)
        blocks = []
        for (k, width) in widths.enumerated() {
            let row = { (name: String) in try tensor("\(k).norm.\(name)", 1, width).elements }
            let variance = try row("runningVariance")
            guard variance.allSatisfy({ $0 >= 0 }) else {
                throw GradingError(problem: "the trained CNN's \(k).norm.runningVariance holds a negative number")
            }
            blocks.append(
                Block(
                    w: try tensor("\(k).conv.w", width, inputs * 9), b: try tensor("\(k).conv.b", 1, width),
                    gamma: try row("gamma"), beta: try row("beta"), mean: try row("runningMean"), variance: variance))
            if pooledAfter.contains(k) { side = (side - 1) / 2 + 1 }
            inputs = width
        }
        self.pooledAfter = pooledAfter
        w = try tensor("output.w", 10, inputs * side * side)
        b = try tensor("output.b", 1, 10)
    }

    /// The classes of the images `x`: the larger of the ten scores.
    func classes(_ x: FeatureMaps<Float>) -> [Int] {
        var a = x
        for (k, block) in blocks.enumerated() {
            let window = SlidingWindow(
                kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1, inputHeight: a.height, inputWidth: a.width,
                for: "the judged CNN's block \(k)")
            let rows = Matrix.product(a.patches(window), block.w, transposeB: true).rectified(addingRow: block.b)
            a = FeatureMaps(pixelRows: rows, batchSize: a.batchSize, height: a.height, width: a.width)
            if pooledAfter.contains(k) { a = Self.maxPool(a) }
        }
        let scores = Matrix.product(a.flattened(), w, transposeB: true).addingRow(b)
        return (0..<scores.rows).map { n in
            let row = scores.row(n)
            return row.indices.max { row[$0] < row[$1] } ?? 0
        }
    }

    /// The 3×3, stride 2, padding 1 max-pool: the largest number under each window,
    /// padding never the largest.
    static func maxPool(_ x: FeatureMaps<Float>) -> FeatureMaps<Float> {
        let window = SlidingWindow(
            kernelHeight: 3, kernelWidth: 3, stride: 2, padding: 1, inputHeight: x.height, inputWidth: x.width,
            for: "the judged CNN's max-pool")
        return FeatureMaps(
            batchSize: x.batchSize, channels: x.channels, height: window.outputHeight, width: window.outputWidth,
            elements: x.patchesPerChannel(window, padding: -.infinity).rowMaxima())
    }

    /// The fraction of `data` classified right, 256 images at a time.
    func accuracy(on data: ImageClassificationData) -> Double {
        var correct = 0
        for start in stride(from: 0, to: data.count, by: 256) {
            let (inputs, labels) = data.batch(Array(start..<min(start + 256, data.count)))
            let x = FeatureMaps(unflattening: inputs, channels: 1, height: 32, width: 32)
            correct += zip(classes(x), labels).filter { $0 == $1 }.count
        }
        return Double(correct) / Double(max(data.count, 1))
    }
}
