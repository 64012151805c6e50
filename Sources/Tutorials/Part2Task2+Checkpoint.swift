import Foundation
import Learn

/// `gan.checkpoint`, the file part2-task2 writes and part2-task3 reads: the generator's
/// and the discriminator's state — their parameters, and the generator's
/// batch-normalisation running statistics (its buffers), without which a generator in
/// evaluation mode would normalise with mean 0 and variance 1 and draw smudges.
///
/// Tensor names: `generator/<layer>.<name>` and `discriminator/<layer>.<name>`, as the
/// networks name their parameters and buffers.
enum GANCheckpoint {
    /// Writes both networks to `url`, atomically.
    static func write(
        generator: Sequential<Float>, discriminator: Sequential<Float>, to url: URL
    ) throws(CheckpointError) {
        var checkpoint = Checkpoint()
        checkpoint.store(generator, as: "generator")
        checkpoint.store(discriminator, as: "discriminator")
        try checkpoint.write(to: url)
    }

    /// The generator stored in `url`, with the shape of `architecture`'s generator
    /// (the template and balanced variants share it). Throws if the file is missing,
    /// damaged, or holds a generator of another shape.
    static func readGenerator(
        from url: URL, architecture: GANArchitecture = .template
    ) throws(CheckpointError) -> Sequential<Float> {
        let checkpoint = try Checkpoint(contentsOf: url)
        // The initial weights are overwritten; any seed will do.
        var random = SeededGenerator(seed: 0)
        var generator: Sequential<Float> = architecture.generator(using: &random)
        try checkpoint.restore(&generator, from: "generator")
        return generator
    }
}
