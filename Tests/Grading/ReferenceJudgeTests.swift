import Foundation
import Learn
import LearnCourse
import LearnTesting
import Testing

/// The stored judge of the GAN's samples (``ReferenceJudge``): fit to judge, the same
/// classifier the library would run from the same weights, and a clear error when its
/// file is damaged.
@Suite("The stored judge")
struct ReferenceJudgeTests {
    @Test("the stored judge reaches 97% on MNIST's 10,000 test images")
    func accurate() throws {
        let test = try MNIST.load(split: .test)
        let accuracy = try ReferenceJudge().accuracy(test.images, labels: test.labels)
        #expect(accuracy >= ReferenceJudge.requiredAccuracy, "the stored judge's test accuracy is \(accuracy)")
    }

    /// The grader's own forward pass and the library's, on the same weights: the judge is
    /// the reference classifier, not an approximation of it.
    @Test("its probabilities are the library classifier's from the same weights, within 1e-5", .requires(Piece.judge))
    func sameAsLibrary() throws {
        let checkpoint = try Checkpoint(contentsOf: ReferenceJudge.file)
        let judge = try ReferenceJudge(checkpoint)
        let library = try DigitClassifier(restoring: checkpoint)
        let images = try MNIST.load(split: .test, limit: 500).images
        let (p, q) = (judge.probabilities(images), library.probabilities(images))
        let worst = zip(p.elements, q.elements).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 1e-5, "largest difference \(worst)")
        #expect(judge.predict(images) == library.predict(images))
    }

    @Test("noise is judged unsure and a single repeated image is one class: the verdict sees mode collapse")
    func verdicts() throws {
        let judge = try ReferenceJudge()
        var random = SeededGenerator(seed: 3)
        let noise = Matrix<Float>.uniform(rows: 200, columns: 784, bound: 1, using: &random)
        #expect(judge.assess(noise).meanConfidence < 0.65)
        let one = try MNIST.load(split: .test, limit: 1).images.selectingRows([Int](repeating: 0, count: 50))
        let collapsed = judge.assess(one)
        #expect(collapsed.classesPresent == 1 && collapsed.histogram.reduce(0, +) == 50)
    }

    @Test("a damaged, reshaped or missing judge file is a CheckpointError naming the file")
    func damaged() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("judge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let bytes = try Data(contentsOf: ReferenceJudge.file)
        let cut = directory.appendingPathComponent("cut.checkpoint")
        try bytes.prefix(bytes.count / 2).write(to: cut)
        #expect(throws: CheckpointError.self) { try ReferenceJudge(contentsOf: cut) }
        var wrong = Checkpoint()
        wrong.store(
            Matrix<Float>(rows: 256, columns: 100, elements: .init(repeating: 0, count: 25_600)), as: "classifier/0.w")
        #expect(throws: CheckpointError.self) { try ReferenceJudge(wrong) }
        do {
            _ = try ReferenceJudge(contentsOf: directory.appendingPathComponent("none.checkpoint"))
            Issue.record("a missing judge file was read")
        } catch {
            #expect(error.description.contains("none.checkpoint"), "\(error)")
        }
    }
}
