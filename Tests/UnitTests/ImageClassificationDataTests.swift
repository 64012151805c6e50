import Foundation
import Learn
import LearnTesting
import Testing

/// Images with a class each, as the MLP reads them: bytes until a batch, then Float in
/// [−1, 1], one image per row.
@Suite("ImageClassificationData")
struct ImageClassificationDataTests {
    /// Three images of two pixels: (0, 255), (255, 0), (51, 204), of classes 1, 0, 1.
    static let data = ImageClassificationData(
        images: ImageBytes(bytes: [0, 255, 255, 0, 51, 204], rows: 3, columns: 2), labels: [1, 0, 1],
        classNames: ["left", "right"])

    @Test("a batch is the rows asked for, in that order, scaled as x/127.5 − 1, with their labels")
    func batch() {
        let (x, labels) = Self.data.batch([2, 0])
        #expect(x.rows == 2 && x.columns == 2)
        let expected: [Float] = [51 / 127.5 - 1, 204 / 127.5 - 1, -1, 1]
        #expect(x.elements == expected)
        #expect(labels == [1, 1])
    }

    @Test("count, width, classes, the images per class and a prefix")
    func sizes() {
        #expect(Self.data.count == 3 && Self.data.width == 2 && Self.data.classes == 2)
        #expect(Self.data.classCounts == [1, 2])
        let first = Self.data.prefix(2)
        #expect(first.labels == [1, 0] && first.images.bytes == [0, 255, 255, 0])
        #expect(Self.data.prefix(10).count == 3)
    }

    @Test("a CIFAR-10 set becomes 3,072-wide images with its labels and its folder's class names")
    func fromCIFAR() throws {
        let folder = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try CIFAR10.writeSynthetic(to: folder, recordsPerFile: 20, seed: 3)
        let set = try CIFAR10.load(split: .test, from: folder, recordsPerFile: 20)
        let data = ImageClassificationData(set)
        #expect(data.width == 3_072 && data.count == 20 && data.classes == 10)
        #expect(data.labels == set.labels && data.classNames == CIFAR10.classNames)
        #expect(data.classCounts == [Int](repeating: 2, count: 10))
        let (x, _) = data.batch([0])
        #expect(x.elements.allSatisfy { (-1...1).contains($0) })
    }
}
