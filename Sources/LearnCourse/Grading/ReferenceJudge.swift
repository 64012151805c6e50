import Foundation
import Learn

/// The grader's judge of generated digits: the reference `DigitClassifier`, trained
/// once and kept in `Fixtures/judge/digit-classifier.checkpoint`, run here by the
/// grader's own arithmetic.
///
///     h = ReLU(x·W₀ᵀ + b₀),    p = softmax(h·W₂ᵀ + b₂)
///
/// A student's classifier earns its own points (`judge.accuracy`) but never judges the
/// student's GAN: with it, one wrong layer would cost points twice, and a classifier
/// that calls everything confidently a digit would buy the GAN's. Storing the judge
/// also spares every grading a five-epoch training. `Course judge --record` writes it
/// from the reference solution; `Course judge` compares a fresh training with it.
public struct ReferenceJudge: Sendable {
    /// The hidden layer's weights (H×784) and bias (1×H).
    let w0: Matrix<Float>, b0: Matrix<Float>
    /// The output layer's weights (10×H) and bias (1×10).
    let w2: Matrix<Float>, b2: Matrix<Float>

    /// Where the stored judge lives in the package.
    public static var file: URL { PackageDirectory.appending("Fixtures/judge/digit-classifier.checkpoint") }

    /// The least accuracy on MNIST's 10,000 test images a stored judge must have.
    public static let requiredAccuracy = 0.97

    /// The judge stored at `url` (by default ``file``).
    ///
    /// - Throws: `CheckpointError` when the file is missing, damaged, or holds another
    ///   network than 784 → H → 10, or a number that is not finite.
    public init(contentsOf url: URL = ReferenceJudge.file) throws(CheckpointError) {
        let checkpoint = try Checkpoint(contentsOf: url)
        try self.init(checkpoint)
    }

    /// The judge held by `checkpoint` (as `DigitClassifier.checkpoint()` writes one).
    public init(_ checkpoint: Checkpoint) throws(CheckpointError) {
        func tensor(_ name: String, _ rows: Int?, _ columns: Int) throws(CheckpointError) -> Matrix<Float> {
            let m = try checkpoint.matrix("classifier/" + name, as: Float.self)
            guard m.rows == (rows ?? m.rows), m.columns == columns else {
                throw CheckpointError(
                    file: checkpoint.source,
                    problem: .shapeMismatch(
                        tensor: "classifier/" + name, expected: [rows ?? m.rows, columns], found: [m.rows, m.columns]))
            }
            guard m.elements.allSatisfy(\.isFinite) else {
                throw CheckpointError(
                    file: checkpoint.source, problem: .malformed("classifier/\(name) holds a number that is not finite")
                )
            }
            return m
        }
        w0 = try tensor("0.w", nil, 784)
        let hidden = w0.rows
        b0 = try tensor("0.b", 1, hidden)
        w2 = try tensor("2.w", 10, hidden)
        b2 = try tensor("2.b", 1, 10)
    }

    /// The class probabilities of each image, N×10 (in chunks of 1,000 images, so a
    /// large set never needs one huge activation matrix).
    public func probabilities(_ images: some ImageRows) -> Matrix<Float> {
        var rows: [Float] = []
        rows.reserveCapacity(images.rows * 10)
        for start in stride(from: 0, to: images.rows, by: 1000) {
            let x = images.selectingRows(Array(start..<min(start + 1000, images.rows)))
            let h = Matrix.product(x, w0, transposeB: true).addingRow(b0).map { max($0, 0) }
            let scores = Matrix.product(h, w2, transposeB: true).addingRow(b2)
            for n in 0..<scores.rows { rows += Self.softmax(scores.row(n)) }
        }
        return Matrix(rows: images.rows, columns: 10, elements: rows)
    }

    /// A softmax that cannot overflow: the largest score is subtracted first.
    static func softmax(_ scores: [Float]) -> [Float] {
        let top = scores.max() ?? 0
        let e = scores.map { Foundation.exp($0 - top) }
        let total = e.reduce(0, +)
        return e.map { $0 / total }
    }

    /// The most probable class of each image.
    public func predict(_ images: some ImageRows) -> [Int] {
        let p = probabilities(images)
        return (0..<p.rows).map { Self.best(p.row($0)) }
    }

    /// The fraction of `images` whose predicted class is the label.
    public func accuracy(_ images: some ImageRows, labels: [Int]) -> Double {
        Double(zip(predict(images), labels).filter { $0 == $1 }.count) / Double(max(labels.count, 1))
    }

    /// How a set of generated images spreads over the ten digits.
    public struct Verdict: Sendable, Equatable {
        /// The number of images predicted as each digit 0…9.
        public var histogram: [Int]
        /// The mean probability of the predicted class: near 1 for clear digits, about
        /// 0.5 for uniform noise.
        public var meanConfidence: Double
        /// How many digits appear at all (mode collapse shows as fewer than 10).
        public var classesPresent: Int { histogram.filter { $0 > 0 }.count }
    }

    /// The class histogram and the mean confidence over `images`.
    public func assess(_ images: some ImageRows) -> Verdict {
        let p = probabilities(images)
        var histogram = [Int](repeating: 0, count: 10)
        var confidence = 0.0
        for n in 0..<p.rows {
            let row = p.row(n)
            let best = Self.best(row)
            histogram[best] += 1
            confidence += Double(row[best])
        }
        return Verdict(histogram: histogram, meanConfidence: confidence / Double(max(p.rows, 1)))
    }

    /// The index of the largest probability, ties broken as `DigitClassifier` breaks them.
    static func best(_ row: [Float]) -> Int { row.indices.max { row[$0] < row[$1] } ?? 0 }
}
