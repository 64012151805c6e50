import Learn

/// The test accuracy class by class, as a2-part1-task3 prints it at the end and saves
/// it: one row a class (its name, its test images, how many were right, the accuracy),
/// then the whole test set.
struct ClassAccuracyTable {
    let accuracy: ClassAccuracy
    let classNames: [String]

    init(_ accuracy: ClassAccuracy, classNames: [String]) {
        ensure(
            accuracy.classes == classNames.count,
            "ClassAccuracyTable: \(accuracy.classes) classes but \(classNames.count) names")
        (self.accuracy, self.classNames) = (accuracy, classNames)
    }

    /// The table for the terminal, the classes' accuracies drawn as bars too.
    var lines: [String] {
        let nameWidth = max(10, (classNames.map(\.count).max() ?? 0) + 2)
        let header =
            "  " + "class".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "test images".leftPadded(to: 12)
            + "correct".leftPadded(to: 9) + "accuracy".leftPadded(to: 10)
        func row(_ name: String, _ total: Int, _ correct: Int, _ fraction: Double?, bar: Bool) -> String {
            let shown = fraction.map(percent) ?? "—"
            let drawn = bar ? "  " + String(repeating: "█", count: Int(((fraction ?? 0) * 30).rounded())) : ""
            return "  " + name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                + grouped(total).leftPadded(to: 12)
                + grouped(correct).leftPadded(to: 9) + shown.leftPadded(to: 10) + drawn
        }
        let classes = classNames.indices.map { k in
            row(classNames[k], accuracy.total[k], accuracy.correct[k], accuracy.accuracy(ofClass: k), bar: true)
        }
        return [header] + classes
            + [row("all", accuracy.examples, accuracy.correctExamples, accuracy.overall, bar: false)]
    }

    /// The same rows as a CSV table (the accuracy as a fraction; empty for a class with
    /// no test images), without the total.
    var csv: CSVTable {
        var table = CSVTable(header: ["class", "name", "test_images", "correct", "accuracy"])
        for k in classNames.indices {
            let fraction = accuracy.accuracy(ofClass: k).map { "\($0)" } ?? ""
            table.append(["\(k)", classNames[k], "\(accuracy.total[k])", "\(accuracy.correct[k])", fraction])
        }
        return table
    }
}
