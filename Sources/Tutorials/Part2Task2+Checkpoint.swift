import CommandLineOptions
import Foundation
import Learn

/// `gan.checkpoint`, the file part2-task2 writes and part2-task3 reads. part2-task2
/// saves the whole training state (``GANTrainer/checkpoint()``): both networks — the
/// generator with its batch-normalisation running statistics, without which it would
/// normalise with mean 0 and variance 1 in evaluation mode and draw smudges — both
/// Adam optimisers, and the trainer's counters and random-number state, so that
/// ``GANTrainer/restore(from:)`` can continue the run exactly.
///
/// Tensor names of the networks: `generator/<layer>.<name>` and
/// `discriminator/<layer>.<name>`, as the networks name their parameters and buffers.
enum GANCheckpoint {
    /// The generator stored in `url`, with the shape of `architecture`'s generator
    /// (the template and balanced variants share it). Throws if the file is missing,
    /// damaged, holds a generator of another shape, or one with a NaN or an infinity
    /// (which would draw nothing but NaN).
    static func readGenerator(
        from url: URL, architecture: GANArchitecture = .template
    ) throws(CheckpointError) -> Generator<Float> {
        let checkpoint = try Checkpoint(contentsOf: url)
        // The initial weights are overwritten; any seed will do.
        var random = SeededGenerator(seed: 0)
        var generator: Generator<Float> = architecture.generator(using: &random)
        try checkpoint.restoreFinite(&generator, from: "generator")
        return generator
    }
}
