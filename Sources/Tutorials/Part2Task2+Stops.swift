import Foundation
import Learn

// How a part2-task2 run ends when it cannot finish as planned: each error names what
// went wrong and what of the run was kept.

/// The checkpoint could not be written after training; what else was saved is named.
struct CheckpointNotWritten: Error, CustomStringConvertible {
    let cause: any Error
    let outDirectory: String
    let lossFilesWritten: Bool

    var description: String {
        "\(cause); the sample grids" + (lossFilesWritten ? " and the losses (losses.csv, losses.svg)" : "")
            + " of this run are in \(outDirectory)"
    }
}

/// Training ended with a NaN or ∞ in a network's weights (a step's checks of its loss
/// and gradients let it through): nothing is saved that would draw NaN.
struct SpoiledWeights: Error, CustomStringConvertible {
    let iteration: Int
    let outDirectory: String
    var description: String {
        "after iteration \(iteration) a network holds a NaN or infinite weight, so no checkpoint was written"
            + " (an earlier gan.checkpoint in \(outDirectory) is left as it was); the losses are in"
            + " \(outDirectory)/losses.csv. Try a smaller --lr."
    }
}

/// Training met a NaN or ∞ and stopped before it reached the weights.
struct TrainingStopped: Error, CustomStringConvertible {
    let cause: NonFiniteError
    let outDirectory: String
    var description: String {
        "\(cause.what) became NaN or infinite at iteration \(cause.step), so training stopped before"
            + " the weights were spoiled. No checkpoint was written (an earlier gan.checkpoint in"
            + " \(outDirectory) is left as it was); the losses up to that point are in"
            + " \(outDirectory)/losses.csv. Try a smaller --lr."
    }
}

/// Writes `images` (one per row, pixels in [−1, 1]) as a `rows × columns` grid PNG,
/// each digit drawn twice its size.
func writeImageGrid(_ images: Matrix<Float>, rows: Int, columns: Int, to path: String) throws {
    let grid = ImageGrid(rows: rows, columns: columns, scale: 2)
    try grid.render(images).writePNG(to: URL(fileURLWithPath: path))
}
