import Learn
import Testing

/// Per-class accuracy: each class's correct over its own examples, the overall one over
/// all, an example counted for its true class.
@Suite("ClassAccuracy")
struct ClassAccuracyTests {
    /// Three classes, unbalanced: class 0 has 4 examples (3 right), class 1 has 2 (none
    /// right: both taken for class 0), class 2 has 1 (right).
    static let counted = ClassAccuracy(predicted: [0, 0, 0, 2, 0, 0, 2], labels: [0, 0, 0, 0, 1, 1, 2], classes: 3)

    @Test("counts per true class: correct [3, 0, 1] of total [4, 2, 1]")
    func counts() {
        #expect(Self.counted.correct == [3, 0, 1])
        #expect(Self.counted.total == [4, 2, 1])
        #expect(Self.counted.examples == 7 && Self.counted.correctExamples == 4 && Self.counted.classes == 3)
    }

    @Test("each class's accuracy is its correct over its total: 3/4, 0/2, 1/1")
    func perClass() {
        #expect(Self.counted.perClass == [0.75, 0, 1])
        #expect(Self.counted.accuracy(ofClass: 1) == 0)
    }

    @Test("overall is Σ correct / Σ total = 4/7, not the mean of the per-class accuracies (7/12)")
    func overall() {
        #expect(Self.counted.overall == 4.0 / 7.0)
        let mean = Self.counted.perClass.compactMap { $0 }.reduce(0, +) / 3
        #expect(abs(mean - 7.0 / 12.0) < 1e-15 && abs(Self.counted.overall - mean) > 0.01)
    }

    @Test("a wrong guess lowers the true class's accuracy, never the guessed one's")
    func trueClassCounts() {
        let one = ClassAccuracy(predicted: [1], labels: [0], classes: 2)
        #expect(one.total == [1, 0] && one.correct == [0, 0])
        #expect(one.perClass == [0, nil])
    }

    @Test("with balanced classes the overall accuracy is the mean of the per-class ones")
    func balanced() {
        let labels = [0, 0, 1, 1, 2, 2, 3, 3]
        let counted = ClassAccuracy(predicted: [0, 1, 1, 1, 0, 0, 3, 2], labels: labels, classes: 4)
        #expect(counted.perClass == [0.5, 1, 0, 0.5])
        #expect(counted.overall == 0.5)
    }

    @Test("adding in parts gives the counts of adding all at once")
    func incremental() {
        var parts = ClassAccuracy(classes: 3)
        parts.add(predicted: [0, 0, 0], labels: [0, 0, 0])
        parts.add(predicted: [2, 0, 0, 2], labels: [0, 1, 1, 2])
        #expect(parts == Self.counted)
    }

    @Test("no examples: overall 0, and no accuracy for a class never seen")
    func empty() {
        let none = ClassAccuracy(classes: 10)
        #expect(none.overall == 0 && none.examples == 0)
        #expect(none.perClass == [Double?](repeating: nil, count: 10))
    }
}
