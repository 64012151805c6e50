import Learn

/// What an a2-part1-task3 run writes: the curves as a table and two charts, and the
/// final test accuracy class by class.
struct CIFARRunFiles {
    let directory: String
    /// The charts say when the images were synthetic, so a picture is never taken for
    /// CIFAR-10's.
    let isSynthetic: Bool

    var curves: MLPCurves {
        MLPCurves(
            title: isSynthetic ? "MLP on synthetic CIFAR-10 files" : "MLP on CIFAR-10",
            csvPath: "\(directory)/mlp_cifar10.csv", accuracyPath: "\(directory)/mlp_cifar10_accuracy.svg",
            lossPath: "\(directory)/mlp_cifar10_loss.svg")
    }
    var classesPath: String { "\(directory)/mlp_cifar10_classes.csv" }
    var all: [String] { curves.all + [classesPath] }

    /// Writes every file (each atomically) for the epochs so far; the class table is the
    /// last epoch's.
    func write(_ epochs: [MLPImageEpoch], classNames: [String]) throws(OutputFileError) {
        try curves.write(epochs.map(\.curves))
        if let last = epochs.last {
            try ClassAccuracyTable(last.testByClass, classNames: classNames).csv.write(to: classesPath)
        }
    }
}
