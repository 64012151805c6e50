import Learn

/// What an image classifier's run writes (a2-part1-task3, a2-part2-task2): the curves
/// as a table and two charts, and the final test accuracy class by class, every file
/// named `<stem>…`.
struct ImageRunFiles {
    let directory: String
    /// The files' common start, e.g. "mlp_cifar10".
    let stem: String
    /// The charts' title, e.g. "MLP on CIFAR-10": it says when the images were
    /// synthetic, so a picture is never taken for CIFAR-10's.
    let title: String

    var curves: MLPCurves {
        MLPCurves(
            title: title, csvPath: "\(directory)/\(stem).csv", accuracyPath: "\(directory)/\(stem)_accuracy.svg",
            lossPath: "\(directory)/\(stem)_loss.svg")
    }
    var classesPath: String { "\(directory)/\(stem)_classes.csv" }
    var all: [String] { curves.all + [classesPath] }

    /// Writes every file (each atomically) for the epochs so far; the class table is the
    /// last epoch's.
    func write(_ epochs: [MLPImageEpoch], classNames: [String]) throws(OutputFileError) {
        try write(epochs.map(\.curves), classes: epochs.last?.testByClass, classNames: classNames)
    }

    /// Writes every file for the curves so far and the class table of `classes`.
    func write(_ curves: [MLPEpoch], classes: ClassAccuracy?, classNames: [String]) throws(OutputFileError) {
        try self.curves.write(curves)
        if let classes {
            try ClassAccuracyTable(classes, classNames: classNames).csv.write(to: classesPath)
        }
    }
}
