/// How many examples of each class a classifier got right, and the accuracies that
/// follow: each class's (the table CIFAR-10's reports print, airplane … truck) and the
/// overall one.
///
///     accuracy of class k = correct_k / total_k
///     overall             = Σ_k correct_k / Σ_k total_k
///
/// The overall accuracy weighs each class by its number of examples, so it is the mean
/// of the per-class accuracies only when the classes are balanced (CIFAR-10's test set
/// is: 1,000 images a class). An example counts for its true class: a cat taken for a
/// dog lowers the cats' accuracy, not the dogs'.
///
/// Shapes: K classes; ``correct`` and ``total`` K counts each.
/// See also: ``MLPImageEpoch``, which holds one for the test set.
public struct ClassAccuracy: Sendable, Equatable {
    /// correct_k: the examples of class k predicted as k.
    public private(set) var correct: [Int]
    /// total_k: the examples of class k.
    public private(set) var total: [Int]

    /// No examples yet, of `classes` classes.
    public init(classes: Int) {
        ensure(classes >= 1, "ClassAccuracy needs at least one class, got \(classes)")
        correct = [Int](repeating: 0, count: classes)
        total = correct
    }

    /// The counts of `predicted` against `labels`, one of each per example.
    public init(predicted: [Int], labels: [Int], classes: Int) {
        self.init(classes: classes)
        add(predicted: predicted, labels: labels)
    }

    /// Counts more examples: `predicted[n]` is the class given to the example whose
    /// true class is `labels[n]`.
    public mutating func add(predicted: [Int], labels: [Int]) {
        ensure(
            predicted.count == labels.count,
            "ClassAccuracy: \(predicted.count) predictions for \(labels.count) labels")
        for (guess, label) in zip(predicted, labels) {
            ensure(total.indices.contains(label), "ClassAccuracy: label \(label) is outside 0..<\(classes)")
            ensure(total.indices.contains(guess), "ClassAccuracy: prediction \(guess) is outside 0..<\(classes)")
            total[label] += 1
            if guess == label { correct[label] += 1 }
        }
    }

    /// K, the number of classes.
    public var classes: Int { total.count }

    /// Σ_k total_k, the examples counted.
    public var examples: Int { total.reduce(0, +) }

    /// Σ_k correct_k, the examples predicted right.
    public var correctExamples: Int { correct.reduce(0, +) }

    /// Σ_k correct_k / Σ_k total_k: the fraction of all examples predicted right (0 when
    /// there are none).
    public var overall: Double {
        examples == 0 ? 0 : Double(correctExamples) / Double(examples)
    }

    /// correct_k / total_k, or nil when there is no example of class k to count.
    public func accuracy(ofClass k: Int) -> Double? {
        ensure(total.indices.contains(k), "ClassAccuracy: class \(k) is outside 0..<\(classes)")
        return total[k] == 0 ? nil : Double(correct[k]) / Double(total[k])
    }

    /// Every class's accuracy, class 0 first (nil for a class with no examples).
    public var perClass: [Double?] { total.indices.map { accuracy(ofClass: $0) } }
}
