import CommandLineOptions
import Foundation
import Learn
import LearnCourse

/// The settings of part2-task2's runs, in one place.
enum GANRunSettings {
    /// Epochs of the default run over the 60,000 training images. At batch 64 an
    /// epoch is 937 iterations, 20–35 s on two cores (20–37 ms per iteration,
    /// measured), so ten take three to six minutes; digits are recognisable after
    /// two epochs and cleaner by ten.
    static let epochs = 10
    /// --quick: a smoke run of a few seconds on a subset, not a result.
    static let quickIterations = 300
    static let quickImages = 5_000
    /// How many generated digits the classifier judges.
    static let judgedSamples = 1_000
    /// Where each chapter's seeded streams start, apart from the training's own seed,
    /// so the noise behind the sample grids never depends on how long training ran.
    static let sampleNoiseOffset: UInt64 = 100
    static let judgeNoiseOffset: UInt64 = 200
}

/// Part II, task 2: train the GAN on MNIST and watch it learn: sample grids at the
/// start, halfway and at the end, the losses, the balance of the game, and what a
/// classifier makes of the samples.
enum Part2Task2: Chapter {
    static let name = "part2-task2"
    static let summary = "train the GAN on MNIST: samples at start, half and end; losses; balance; a judge"
    static let pieces: [Piece] = Piece.ganTraining + Piece.judge
    static let about = """
        Trains the fully connected GAN on MNIST (the bundled Fixtures/MNIST unless --data
        names another directory) with Adam (learning rate 2e-4, β₁ = 0.5) and batch 64,
        showing D's and G's losses as it goes. Writes 25 samples from one fixed noise batch
        before training, halfway and at the end (samples-start.png, samples-half.png,
        samples-end.png), the losses of every iteration (losses.csv) and a chart of them
        (losses.svg), and the trained networks (gan.checkpoint, which part2-task3 reads).
        Then judges the last stretch of the game against log 2, and lets a digit classifier
        say which digits G draws and how clearly. The default run (10 epochs) takes three
        to six minutes on two cores; --quick trains 300 iterations on 5,000 images and
        judges with a smaller one-epoch classifier (well under a minute).
        """
    static let data = Option<String>.text(
        "--data", "DIR", summary: "an MNIST directory (default: the bundled Fixtures/MNIST)")
    static let epochs = Option<Int>.integer(
        "--epochs", "N", in: 1...10_000, summary: "passes over the images (default \(GANRunSettings.epochs))")
    static let iterations = Option<Int>.integer(
        "--iterations", "N", in: 1...100_000_000, summary: "generator steps; overrides --epochs")
    static let limit = Option<Int>.integer(
        "--limit", "N", in: 2...60_000, summary: "train on the first N images (default all; --quick 5000)")
    static let architecture = Option<GANArchitecture>.choice(
        "--architecture", [("template", .template), ("balanced", .balanced)],
        summary: "the course's D, or a narrower D with dropout (default template)")
    static let generatorLoss = Option<GeneratorLoss>.choice(
        "--generator-loss", GeneratorLoss.allCases.map { ($0.rawValue, $0) },
        summary: "G's loss (default non-saturating)")
    static let k = Option<Int>.integer(
        "--k", "N", in: 1...100, summary: "discriminator steps per generator step (default 1)")
    static let learningRate = Option<Double>.number(
        "--lr", "X", in: 1e-7...1, summary: "Adam's learning rate for both networks (default 2e-4)")
    static let out = Option<String>.text("--out", "DIR", summary: "where the files go (default out/part2-task2)")
    static let resume = Option<String>.text(
        "--resume", "FILE",
        summary:
            "continue the run saved in a gan.checkpoint (same options and images); --epochs/--iterations count on from there; its files go to a directory of their own (default out/part2-task2-resumed)"
    )
    static let options = [
        data.help, epochs.help, iterations.help, limit.help, architecture.help, generatorLoss.help, k.help,
        learningRate.help, out.help, resume.help,
    ]

    /// Everything one run needs, read from the command line.
    struct Plan {
        var options = GANOptions()
        var architectureName: String
        var dataDirectory: URL?
        var limit: Int?
        var epochs: Int?
        var iterations: Int?
        var outDirectory: String
        var quick: Bool
        /// A checkpoint to continue from, if any.
        var resume: URL?

        /// The generator steps to take, given the steps in one pass over the images.
        func iterationCount(perEpoch: Int) -> Int {
            if let iterations { return iterations }
            if quick && epochs == nil { return GANRunSettings.quickIterations }
            return max(1, (epochs ?? GANRunSettings.epochs) * perEpoch)
        }
    }

    static func run(_ arguments: Arguments, common: CommonOptions, terminal t: Terminal) throws {
        let plan = try readPlan(arguments, common: common)
        if plan.resume != nil { try refuseEarlierRun(in: plan.outDirectory) }
        try Part1Task2.prepareOutput(plan.outDirectory)
        t.chapter(
            "Part II, task 2 — training the GAN on MNIST",
            """
            G starts by drawing noise. Each iteration, D is shown a batch of real digits and
            a batch of G's drawings and learns to tell them apart; then G learns, through
            the freshly updated D, to draw what D takes for real. If neither wins, G's
            drawings drift towards digits.
            """)
        let data = try loadData(plan, terminal: t)
        var trainer = try GANTrainer(images: data.ganImages, options: plan.options)
        if let resume = plan.resume {
            // Everything must match, or nothing is restored and the error names the tensor.
            try trainer.restore(from: Checkpoint(contentsOf: resume))
            t.say(
                "  resumed from \(resume.path): \(grouped(trainer.iteration)) iterations done"
                    + " (epoch \(trainer.epoch + 1)); the networks, both optimisers and the batch order continue")
        }
        let iterationCount = plan.iterationCount(perEpoch: trainer.iterationsPerEpoch)
        introduceRun(plan, trainer: trainer, iterations: iterationCount, terminal: t)

        let history = try train(&trainer, iterations: iterationCount, plan: plan, terminal: t)
        showTrajectory(history, plan: plan, terminal: t)
        judgeBalance(history, plan: plan, terminal: t)

        t.step(
            "What does G draw? A classifier's verdict",
            """
            Whether the samples look like digits is easy to see and hard to measure. The
            library's digit classifier, trained on the real images, gives a number: which
            digit it sees in each of \(grouped(GANRunSettings.judgedSamples)) samples, and how sure it is. A generator
            that draws only a few digits (mode collapse) shows as missing bars.
            """)
        let judge = DigitJudge.train(
            on: data.train, testDirectory: plan.dataDirectory, quick: plan.quick, seed: plan.options.seed, terminal: t)
        var noise = SeededGenerator(seed: plan.options.seed &+ GANRunSettings.judgeNoiseOffset)
        let z = Matrix<Float>.normal(
            rows: GANRunSettings.judgedSamples, columns: plan.options.architecture.noiseSize, using: &noise)
        t.say("", judge.report(trainer.generate(z), seed: plan.options.seed))
        t.pause()

        t.step("Files", "Everything the run produced, in \(plan.outDirectory)/:")
        t.say(
            "  samples-start.png, samples-half.png, samples-end.png   25 samples each, same noise",
            "  losses.csv, losses.svg                                  every iteration's losses; the chart",
            "  gan.checkpoint                                          G, D, both optimisers: part2-task3 reads G")
        let next =
            plan.outDirectory == "out/part2-task2"
            ? "" : " --checkpoint \(plan.outDirectory)/gan.checkpoint"
        t.say("", "Next: swift run -c release Tutorials part2-task3\(next)")
    }

    /// Reads every option and checks the GAN's settings, so a mistake is reported
    /// before any data is loaded.
    static func readPlan(_ arguments: Arguments, common: CommonOptions) throws -> Plan {
        let chosen = try arguments.value(architecture, default: .template)
        var plan = Plan(
            architectureName: chosen == .balanced ? "balanced" : "template",
            dataDirectory: try arguments.value(data).map { URL(fileURLWithPath: $0) },
            limit: try arguments.value(limit) ?? (common.quick ? GANRunSettings.quickImages : nil),
            epochs: try arguments.value(epochs),
            iterations: try arguments.value(iterations),
            // A resumed run writes a directory of its own (see refuseEarlierRun).
            outDirectory: try arguments.value(
                out, default: try arguments.value(resume) == nil ? "out/part2-task2" : "out/part2-task2-resumed"),
            quick: common.quick,
            resume: try arguments.value(resume).map { URL(fileURLWithPath: $0) })
        plan.options.architecture = chosen
        plan.options.generatorLoss = try arguments.value(generatorLoss, default: .nonSaturating)
        plan.options.discriminatorSteps = try arguments.value(k, default: 1)
        let rate = Float(try arguments.value(learningRate, default: 2e-4))
        (plan.options.generatorLearningRate, plan.options.discriminatorLearningRate) = (rate, rate)
        plan.options.seed = common.seed
        do {
            try plan.options.validate()
        } catch {
            throw UsageError(message: error.description)
        }
        let needed = plan.options.batchSize * plan.options.discriminatorSteps
        if let limit = plan.limit, limit < needed {
            throw UsageError(
                message: "--limit must be at least one batch per discriminator step (64 × k = \(needed)), got \(limit)")
        }
        return plan
    }

    /// The images the GAN trains on, and the training set the judge learns from.
    struct TrainingData {
        /// The classifier's training set: all of it.
        let train: MNIST
        /// The GAN's images, N×784 in [−1, 1]: the first --limit of `train`.
        let ganImages: ImageBytes
    }

    static func loadData(_ plan: Plan, terminal t: Terminal) throws -> TrainingData {
        let source = plan.dataDirectory?.path ?? "the bundled Fixtures/MNIST"
        t.step(
            "The data",
            """
            MNIST's training images from \(source), 28×28 pixels each, flattened
            to rows of 784 and scaled from 0…255 to [−1, 1], the range of G's tanh output, so
            real and generated images differ only in what they show.
            """)
        let start = Date()
        // All of it, even under --quick: the file is read and checked in full anyway,
        // and the classifier that judges the samples learns from every image.
        let train = try MNIST.load(directory: plan.dataDirectory, split: .train)
        let images = plan.limit.map { train.images.prefix($0) } ?? train.images
        t.say(
            "  loaded \(grouped(train.count)) images in \(String(format: "%.1f", Date().timeIntervalSince(start))) s;"
                + " the GAN trains on \(images.rows == train.count ? "all of them" : "the first \(grouped(images.rows))")"
        )
        t.pause()
        return TrainingData(train: train, ganImages: images)
    }

    /// The step that lists the run's settings.
    static func introduceRun(_ plan: Plan, trainer: GANTrainer, iterations: Int, terminal t: Terminal) {
        let o = plan.options
        let epochs = Double(iterations) / Double(max(trainer.iterationsPerEpoch, 1))
        t.step(
            "The game",
            """
            One iteration: k times, sample z and draw G(z) once, then update D on a real batch
            and on G(z), held constant; then update G through the freshly updated D.
            """)
        t.say(
            "  architecture        \(plan.architectureName) (D \(MNIST.pixelCount) → "
                + o.architecture.discriminatorWidths.map(String.init).joined(separator: " → ") + " → 1"
                + (o.architecture.dropout > 0 ? ", dropout \(short(o.architecture.dropout)))" : ")"),
            "  generator loss      \(o.generatorLoss.rawValue)",
            "  k                   \(o.discriminatorSteps) discriminator step(s) per generator step",
            "  Adam                learning rate \(String(format: "%g", Double(o.generatorLearningRate)))"
                + " (G and D), β₁ = \(short(Double(o.beta1))), batch \(o.batchSize)",
            "  iterations          \(grouped(iterations)) (\(String(format: "%.1f", epochs)) epochs of"
                + " \(grouped(trainer.iterationsPerEpoch)) iterations)" + (plan.quick ? "  --quick" : ""),
            "  seed                \(o.seed)",
            "  files go to         \(plan.outDirectory)/")
        t.pause()
    }

    /// Trains for `iterations`, writing the three sample grids and, if training ends
    /// with finite weights, the checkpoint.
    static func train(
        _ trainer: inout GANTrainer, iterations: Int, plan: Plan, terminal t: Terminal
    ) throws -> GANHistory {
        let out = plan.outDirectory
        t.step(
            "Training",
            """
            D's loss is shown per term, on real images and on samples: each is log 2 ≈ 0.693
            when D cannot tell them apart. D(x) and D(G(z)) are D's mean outputs, near 0.5 in a
            balanced game. samples-start.png is written now: 25 samples from a fixed noise
            batch, drawn by the untrained G — noise. The same noise is drawn again halfway
            and at the end, so each cell shows the same z becoming a digit.
            """)
        var noise = SeededGenerator(seed: plan.options.seed &+ GANRunSettings.sampleNoiseOffset)
        let z = Matrix<Float>.normal(rows: 25, columns: plan.options.architecture.noiseSize, using: &noise)
        try writeImageGrid(trainer.generate(z), rows: 5, columns: 5, to: out + "/samples-start.png")

        var history = GANHistory()
        let half = max(1, iterations / 2)
        let progress = t.progress("  GAN")
        do {
            for i in 1...iterations {
                let r = try trainer.step()
                history.append(r, at: progress.elapsed)
                let recent = history.means(max(0, i - 25)..<i)
                progress.update(
                    "iter \(i)/\(iterations)  D real \(f3(r.discriminatorReal)) fake \(f3(r.discriminatorFake))"
                        + "  G \(f3(r.generator))  D(x) \(f3(r.meanDReal))  D(G(z)) \(f3(r.meanDFake))"
                        + "  \(String(format: "%.0f", recent.milliseconds)) ms/iter",
                    milestone: i % 25 == 0)
                if i == half {
                    try writeImageGrid(trainer.generate(z), rows: 5, columns: 5, to: out + "/samples-half.png")
                }
            }
        } catch let error as NonFiniteError {
            progress.finish("stopped at iteration \(trainer.iteration)")
            try? history.write(to: out)
            throw TrainingStopped(cause: error, outDirectory: out)
        }
        try writeImageGrid(trainer.generate(z), rows: 5, columns: 5, to: out + "/samples-end.png")
        // The steps check their losses and gradients; the weights themselves are checked
        // here too, so that no checkpoint ever holds a network that draws NaN.
        guard trainer.generator.isFinite && trainer.discriminator.isFinite else {
            try? history.write(to: out)
            throw SpoiledWeights(iteration: trainer.iteration, outDirectory: out)
        }
        // The loss files first: if the checkpoint cannot be written (a full disk), the
        // run's record is kept all the same.
        var lossFiles: OutputFileError?
        do { try history.write(to: out) } catch { lossFiles = error }
        do {
            try trainer.checkpoint().write(to: URL(fileURLWithPath: out + "/gan.checkpoint"))
        } catch {
            throw CheckpointNotWritten(cause: error, outDirectory: out, lossFilesWritten: lossFiles == nil)
        }
        if let lossFiles { throw lossFiles }
        let m = history.means(0..<history.records.count)
        progress.finish(
            "\(grouped(iterations)) iterations, \(String(format: "%.1f", m.milliseconds)) ms each;"
                + " wrote samples-start/half/end.png and gan.checkpoint")
        t.pause()
        return history
    }

    /// The files a run writes into its directory.
    static let runFiles = [
        "samples-start.png", "samples-half.png", "samples-end.png", "losses.csv", "losses.svg", "gan.checkpoint",
    ]

    /// A resumed run writes a directory of its own: in its predecessor's it would replace
    /// that run's losses with its own iterations only, and its start grid with a trained
    /// G's drawing.
    static func refuseEarlierRun(in directory: String, files: [String] = runFiles) throws(UsageError) {
        let earlier = files.filter { FileManager.default.fileExists(atPath: directory + "/" + $0) }
        guard earlier.isEmpty else {
            throw UsageError(
                message: "--out \(directory) holds an earlier run's files (\(earlier.joined(separator: ", "))), "
                    + "which a resumed run would replace; give the resumed run a directory of its own, "
                    + "e.g. --out \(directory)-resumed")
        }
    }

    /// Three decimals, for the progress line.
    static func f3(_ x: Double) -> String { String(format: "%.3f", x) }
}

extension Option {
    /// One of a fixed set of words, e.g. "template" or "balanced".
    static func choice(_ name: String, _ choices: [(word: String, value: Value)], summary: String) -> Option {
        let words = choices.map(\.word)
        return Option(
            name: name, placeholder: words.joined(separator: "|"), summary: summary,
            allowed: "one of " + words.joined(separator: ", ")
        ) { text in choices.first { $0.word == text }?.value }
    }
}
