import CommandLineOptions
import Foundation
import Learn
import LearnCourse

/// Part II, task 3: the generator's latent space. Two samples of different digits are
/// joined by a straight line in z, and the nine images along it are drawn; then latent
/// vector arithmetic, z₆ + (z₇ − z₁). A digit classifier says what each image shows.
enum Part2Task3: Chapter {
    static let name = "part2-task3"
    static let summary = "latent space: interpolate between two digits in 9 steps, then z₆ + (z₇ − z₁)"
    static let pieces: [Piece] = Piece.judge + Piece.networkLayers + [.latentInterpolation]
    static let about = """
        Loads the generator trained by part2-task2 (--checkpoint, default
        out/part2-task2/gan.checkpoint) and a digit classifier trained here. Searches a
        seeded batch of noise vectors for two samples the classifier assigns to
        different digits with high confidence, walks the straight line between them in
        7 intermediate steps and writes the 9 images as interpolation.png, with the
        classifier's verdict on each. Then latent arithmetic: finds vectors drawn as 6,
        7 and 1, generates z₆ + (z₇ − z₁) and writes the four images as arithmetic.png.
        Without a checkpoint it stops with the command to run first, unless --quick is
        given: then it trains a short GAN itself (300 iterations, about 15 s).
        """
    static let checkpoint = Option<String>.text(
        "--checkpoint", "FILE", summary: "the trained GAN (default out/part2-task2/gan.checkpoint)")
    static let data = Option<String>.text(
        "--data", "DIR", summary: "MNIST for the classifier (default: the bundled Fixtures/MNIST)")
    static let out = Option<String>.text("--out", "DIR", summary: "where the images go (default out/part2-task3)")
    static let options = [checkpoint.help, data.help, out.help]

    static let defaultCheckpoint = "out/part2-task2/gan.checkpoint"

    /// Everything one run needs, read from the command line.
    struct Plan {
        var checkpoint: String
        var dataDirectory: URL?
        var outDirectory: String
        var seed: UInt64
        var quick: Bool
        /// Noise vectors searched for confident digits.
        var searchSize: Int { quick ? 300 : 1_000 }
    }

    static func run(_ arguments: Arguments, common: CommonOptions, terminal t: Terminal) throws {
        let plan = Plan(
            checkpoint: try arguments.value(checkpoint, default: defaultCheckpoint),
            dataDirectory: try arguments.value(data).map { URL(fileURLWithPath: $0) },
            outDirectory: try arguments.value(out, default: "out/part2-task3"),
            seed: common.seed, quick: common.quick)
        let found = FileManager.default.fileExists(atPath: plan.checkpoint)
        if !found && !plan.quick { throw MissingCheckpoint(path: plan.checkpoint) }
        try Part1Task2.prepareOutput(plan.outDirectory)

        t.chapter(
            "Part II, task 3 — walking through the latent space",
            """
            G turns every point z of R¹⁰⁰ into an image. Nearby points give similar images,
            so a path through z-space is a path through images. Where does the straight
            line from a 3 to an 8 go — does it pass through digits, or through smudges?
            """)
        let train = try loadTrainingImages(plan, terminal: t)
        let generator = try loadGenerator(plan, found: found, train: train, terminal: t)

        t.step(
            "The judge",
            """
            Deciding by eye which digit an image shows does not scale, and it is not a test.
            The library's digit classifier, trained on the real images, decides instead.
            """)
        let judge = DigitJudge.train(
            on: train, testDirectory: plan.dataDirectory, quick: plan.quick, seed: plan.seed, terminal: t)
        t.pause()

        var latent = LatentSpace(generator: generator, judge: judge, plan: plan, terminal: t)
        let pair = latent.searchPair()
        try latent.interpolate(pair)
        try latent.arithmetic()
        t.step("Files", "In \(plan.outDirectory)/:")
        t.say(
            "  interpolation.png   the 9 images from one digit to the other (1×9)",
            "  arithmetic.png      z₆, z₇, z₁ and z₆ + (z₇ − z₁) (1×4)")
    }

    /// The training images the classifier learns from.
    static func loadTrainingImages(_ plan: Plan, terminal t: Terminal) throws -> MNIST {
        try MNIST.load(directory: plan.dataDirectory, split: .train)
    }

    /// The generator: from the checkpoint, or under --quick without one, from a short
    /// training run here.
    static func loadGenerator(_ plan: Plan, found: Bool, train: MNIST, terminal t: Terminal) throws -> SampleSource {
        if found {
            t.step(
                "The generator",
                "Read from \(plan.checkpoint), written by part2-task2:\nG's weights and its batch-normalisation statistics."
            )
            let network = try GANCheckpoint.readGenerator(from: URL(fileURLWithPath: plan.checkpoint))
            t.say("  G: \(grouped(network.parameterCount)) parameters, z ∈ R¹⁰⁰ → 28×28 image")
            t.pause()
            return .loaded(network)
        }
        t.step(
            "The generator (trained here: there is no checkpoint)",
            """
            No checkpoint at \(plan.checkpoint).
            Under --quick this chapter trains its own short GAN (\(GANRunSettings.quickIterations) iterations on
            \(grouped(GANRunSettings.quickImages)) images) so it can run anywhere. Its digits are rough: for the real
            thing run part2-task2 first.
            """)
        var options = GANOptions()
        options.seed = plan.seed
        // The first quickImages images, or all there are of a smaller --data set.
        let images = train.images.prefix(GANRunSettings.quickImages)
        var trainer = try GANTrainer(images: images, options: options)
        let progress = t.progress("  GAN")
        for i in 1...GANRunSettings.quickIterations {
            let r = try trainer.step()
            progress.update(
                "iter \(i)/\(GANRunSettings.quickIterations)  D(x) \(Part2Task2.f3(r.meanDReal))"
                    + "  D(G(z)) \(Part2Task2.f3(r.meanDFake))", milestone: i % 25 == 0)
        }
        progress.finish("\(GANRunSettings.quickIterations) iterations")
        t.pause()
        return .trained(trainer)
    }
}

/// A generator to draw from: a trainer's (fast, specialised for Float inside the
/// library) or one read from a checkpoint.
enum SampleSource {
    case trained(GANTrainer)
    case loaded(Generator<Float>)

    /// G(z) with batch normalisation in evaluation mode, one image per row of z.
    func callAsFunction(_ z: Matrix<Float>) -> Matrix<Float> {
        switch self {
        case .trained(let trainer):
            return trainer.generate(z)
        case .loaded(let network):
            return GANTrainer.generate(z, with: network)
        }
    }
}

/// There is no checkpoint to read, and --quick was not given.
struct MissingCheckpoint: Error, CustomStringConvertible {
    let path: String
    var description: String {
        "no checkpoint at \(path). Train the GAN first: swift run -c release Tutorials part2-task2"
            + " (or name another file with --checkpoint FILE, or add --quick to train a short GAN here)"
    }
}
