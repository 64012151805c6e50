import Learn

/// The lines an image classifier's chapter prints for an epoch (a2-part1-task3,
/// a2-part2-task2): its progress while it runs, and what it reached when it ends.
enum EpochLines {
    /// "  epoch   3/10", the progress line's label for the epoch after `done` of `total`.
    static func label(after done: Int, of total: Int) -> String {
        "  epoch \(String(done + 1).leftPadded(to: 3))/\(total)"
    }

    /// "step 12/1563, batch loss 0.423", while the epoch runs.
    static func step(_ step: Int, of steps: Int, loss: Float) -> String {
        "step \(step)/\(steps), batch loss \(String(format: "%.3f", loss))"
    }

    /// The losses and accuracies on both sets, when the epoch ends.
    static func summary(_ c: MLPEpoch) -> String {
        "train loss \(String(format: "%.3f", c.trainLoss))"
            + "  accuracy \(percent(c.trainAccuracy).leftPadded(to: 6))"
            + "   test loss \(String(format: "%.3f", c.testLoss))"
            + "  accuracy \(percent(c.testAccuracy).leftPadded(to: 6))"
    }
}
