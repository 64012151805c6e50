import CommandLineOptions
import Foundation
import Learn
import LearnCourse

/// Assignment 2, Part II, task 2: the reduced VGG trained with Adam — on the reader's
/// CIFAR-10, on the package's MNIST padded to 32×32, or on synthetic files in
/// CIFAR-10's format — with its curves and its test accuracy class by class.
enum A2Part2Task2: Chapter {
    static let name = "a2-part2-task2"
    static let summary =
        "the CNN trained with Adam — CIFAR-10 (--data), padded MNIST or synthetic files; curves, classes"
    static let assignment = Assignment.two
    static let pieces: [Piece] = Piece.cnnTraining
    static let about = """
        Trains the reduced VGG of task 1 — eight conv blocks (Conv2d 3×3 → BatchNorm2d →
        ReLU), five max-pools, Linear 512 → 10 — with Adam and softmax cross-entropy on
        batches of 32. It prints the loss and accuracy after each epoch and the test
        accuracy of every class, and writes into --out the curves (<stem>.csv,
        <stem>_accuracy.svg, <stem>_loss.svg) and the class table (<stem>_classes.csv),
        the stem saying the data: cnn_cifar10 or cnn_mnist.

        The images: with --data, CIFAR-10 from the reader's folder (the course's run:
        Adam 1e-4, 10 epochs; see a2-part1-task3 for where to get it). Without it, the
        package's MNIST, each 28×28 digit padded with zeros to 32×32 (one channel), so
        the network is the course's with one input channel. --quick on padded MNIST is
        the course's network 8× narrower, Adam 1e-3 then 3e-4, 2 epochs of 30,000 digits, measured
        on 2,000 test digits: its mark is 97%. --synthetic trains on small synthetic
        files in CIFAR-10's format (three channels) instead, written for the run.
        """
    static let data = Option<String>.text(
        "--data", "DIR", summary: "the CIFAR-10 folder (cifar-10-batches-bin, or the folder holding it)")
    static let synthetic = Option<Bool>.flag(
        "--synthetic", summary: "train on synthetic files in CIFAR-10's format (3 channels), written for the run")
    static let narrow = Option<Int>.integer(
        "--narrow", "N", in: 1...64, summary: "divide every block's width by N (default 1; 8 with --quick)")
    static let learningRate = Option<Double>.number(
        "--lr", "X", in: 1e-7...1, summary: "Adam's step size (default 1e-4; 1e-3 with --quick)")
    static let decay = Option<Double>.number(
        "--decay", "G", in: 1e-3...1,
        summary: "multiply the step size by G after every epoch (default 1; 0.3 with --quick)")
    static let epochs = Option<Int>.integer(
        "--epochs", "N", in: 1...10_000, summary: "passes over the training images (default 10; 2 with --quick)")
    static let limit = Option<Int>.integer(
        "--limit", "N", in: 1...60_000,
        summary: "train on the first N training images (default all; 30,000 with --quick)")
    static let out = Option<String>.text(
        "--out", "DIR", summary: "where the files go (default out/a2-part2-task2, or out/a2-part2-task2-resumed)")
    static let resume = Option<String>.text(
        "--resume", "FILE",
        summary:
            "continue the run saved in a cnn_….checkpoint (same options and images); --epochs counts on from there; its files go to a directory of their own"
    )
    static let options = [
        data.help, synthetic.help, narrow.help, learningRate.help, decay.help, epochs.help, limit.help, out.help,
        resume.help,
    ]

    /// The quick run's mark on padded MNIST.
    static let quickTarget = 0.97

    static func run(_ arguments: Arguments, common: CommonOptions, terminal t: Terminal) throws {
        let folder = try arguments.value(data)
        let isSynthetic = arguments.isSet(synthetic)
        if folder != nil && isSynthetic {
            throw UsageError(message: "--data and --synthetic choose different images: give one")
        }
        let defaults = common.quick ? CNNOptions.quick : CNNOptions()
        var options = defaults
        options.seed = common.seed
        options.widths = CNNOptions().narrowed(by: try arguments.value(narrow, default: common.quick ? 8 : 1)).widths
        options.learningRate = Float(try arguments.value(learningRate, default: Double(defaults.learningRate)))
        options.learningRateDecay = Float(try arguments.value(decay, default: Double(defaults.learningRateDecay)))
        options.epochs = try arguments.value(epochs, default: defaults.epochs)
        try options.validate()
        let trainLimit = try arguments.value(limit) ?? (common.quick ? CNNOptions.quickTrainingImages : nil)
        let resumed = try arguments.value(resume).map { URL(fileURLWithPath: $0) }
        let directory = try arguments.value(
            out, default: resumed == nil ? "out/a2-part2-task2" : "out/a2-part2-task2-resumed")

        t.chapter(
            "Assignment 2, Part II, task 2 — a convolutional network learns to see",
            """
            The MLP read an image as one long row of numbers and had to learn every pixel's
            neighbours from scratch. A convolution slides the same small filter over every
            position, so what it learns about an edge here serves everywhere; pooling lets
            the next layers see wider regions at a coarser scale. The reduced VGG stacks
            eight such blocks and ends in one Linear layer over 512 features. On CIFAR-10 it
            leaves the MLP's ~43% far behind.
            """)

        let images: CNNImages
        if let folder {
            images = .cifar10(.folder(folder))
        } else if isSynthetic {
            images = .cifar10(try .synthetic(seed: common.seed, chapter: name))
        } else {
            images = .paddedMNIST
        }
        defer { images.removeIfSynthetic() }
        let sets: (train: ImageClassificationData, test: ImageClassificationData)
        do {
            sets = try images.load(limit: trainLimit, testLimit: common.quick ? CNNOptions.quickTestImages : nil)
        } catch let error as CIFAR10Error {
            guard CIFARSource.meansNoData(error) else { throw error }
            t.say("  \(error)", "")
            t.say(CIFARSource.downloadGuide(chapter: name, without: withoutData).joined(separator: "\n"))
            return
        }
        let files = ImageRunFiles(directory: directory, stem: images.stem, title: images.title)
        let checkpointPath = "\(directory)/\(images.stem).checkpoint"
        // A resumed run writes a directory of its own: in its predecessor's it would
        // replace that run's files.
        if resumed != nil {
            try Part2Task2.refuseEarlierRun(
                in: directory, files: (files.all + [checkpointPath]).map { String($0.dropFirst(directory.count + 1)) })
        }
        try Part1Task2.prepareOutput(directory)
        images.describe(sets, terminal: t)

        var trainer = try CNNTrainer(options: options, train: sets.train, test: sets.test)
        if let resumed {
            try trainer.restore(from: Checkpoint(contentsOf: resumed))
            guard trainer.epoch < options.epochs else {
                throw UsageError(
                    message: "\(resumed.path) holds \(trainer.epoch) epochs already: give --epochs N with N above "
                        + "\(trainer.epoch) to continue it")
            }
            t.say("  resumed from \(resumed.path): \(trainer.epoch) epochs (\(grouped(trainer.steps)) steps) done")
        }
        introduceTraining(trainer, directory: directory, terminal: t)
        var epochs: [MLPImageEpoch] = []
        let start = DispatchTime.now().uptimeNanoseconds
        let firstEpoch = trainer.epoch
        while trainer.epoch < options.epochs {
            let progress = t.progress(EpochLines.label(after: trainer.epoch, of: options.epochs))
            let steps = trainer.stepsPerEpoch
            let record = try trainer.trainEpoch { step, loss in
                progress.update(EpochLines.step(step, of: steps, loss: loss))
            }
            progress.finish(EpochLines.summary(record.curves))
            epochs.append(record)
            // Saved after every epoch, so an interrupted run keeps the curves it reached
            // and can be continued from its last epoch. The curves first: if the
            // checkpoint cannot be written (a full disk), they are already saved.
            try files.write(trainer.history, classes: record.testByClass, classNames: sets.train.classNames)
            try trainer.checkpoint().write(to: URL(fileURLWithPath: checkpointPath))
            if record.epoch == firstEpoch + 1 && options.epochs > record.epoch {
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                let whole = A2Part1Task3.duration(seconds * Double(options.epochs - firstEpoch))
                t.say("        (at this pace the \(options.epochs - firstEpoch) epochs take \(whole))")
            }
        }
        let trainingSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        t.pause()

        guard let last = epochs.last else { return }
        t.step(
            "Test accuracy class by class",
            """
            Each test image counts for its true class. On CIFAR-10 the network still finds
            the animals hardest (cats against dogs above all) and the vehicles easiest; on
            padded MNIST the digits that share strokes (4 and 9, 3 and 5, 7 and 1) are the
            ones it mixes up.
            """)
        t.say(ClassAccuracyTable(last.testByClass, classNames: sets.train.classNames).lines.joined(separator: "\n"))
        t.pause()

        t.step(
            "Files, and what a run costs",
            """
            A step costs three matrix products per convolution (forward, the weights'
            gradient, the input's gradient) on its unfolded patches: at the course's widths
            about 0.3 GFLOP an image for the forward pass alone, ten times an MLP's work, so
            the full network takes minutes an epoch on two cores. `swift run -c release
            Benchmarks --only cnn` times one step here.
            """)
        let pace = trainingSeconds / Double(max(trainer.epoch - firstEpoch, 1))
        t.say(
            "  written: " + (files.all + [checkpointPath]).joined(separator: ", "),
            "  (--resume \(checkpointPath) --epochs N continues this run to epoch N)",
            "  this run: \(trainer.epoch - firstEpoch) epochs of \(grouped(sets.train.count)) images in "
                + "\(A2Part1Task3.duration(trainingSeconds)) (\(A2Part1Task3.duration(pace)) an epoch)"
                + (images.isSynthetic ? " (synthetic files, now removed)" : ""))
        if common.quick && images.isPaddedMNIST {
            let reached = last.curves.testAccuracy
            t.say(
                "  the quick run's mark: \(percent(quickTarget)) test accuracy; reached \(percent(reached))"
                    + (reached >= quickTarget ? "" : ": below the mark (the reference reaches about 98% here)"))
        }
    }

    /// What the chapter does without CIFAR-10, the download guide's last lines.
    static let withoutData = [
        "  Without --data the chapter trains on the package's MNIST padded to 32×32 (one channel);",
        "  --synthetic on small synthetic files in CIFAR-10's format (three channels).",
    ]

    /// The second step's heading: the network and the settings.
    static func introduceTraining(_ trainer: CNNTrainer, directory: String, terminal t: Terminal) {
        let o = trainer.options
        let measured = min(trainer.train.count, o.trainEvaluationSize ?? trainer.train.count)
        let which = measured == trainer.train.count ? "all \(grouped(measured))" : "the first \(grouped(measured))"
        t.step(
            "Training",
            """
            Every line is an epoch's end: one pass over the training images in a fresh
            random order, 32 at a time, then the mean cross-entropy and the accuracy on
            training images and on the test images. The measurements run in evaluation
            mode: BatchNorm2d normalises with its running statistics, as a network in use
            does, not with each batch's own.
            """)
        t.say(
            "  network              \(trainer.model.blocks.count) conv blocks of "
                + o.widths.map(String.init).joined(separator: ", ") + " channels, pools after blocks "
                + o.pooledAfter.sorted().map { String($0 + 1) }.joined(separator: ", ")
                + ", Linear → \(trainer.train.classes); \(grouped(trainer.model.parameterCount)) parameters",
            "  training             Adam, step size \(String(format: "%g", Double(o.learningRate)))"
                + (o.learningRateDecay == 1 ? "" : " ×\(String(format: "%g", Double(o.learningRateDecay))) an epoch")
                + ", batch \(o.batchSize),"
                + " \(o.epochs) epoch\(o.epochs == 1 ? "" : "s") of \(grouped(trainer.stepsPerEpoch)) steps, seed \(o.seed)",
            "  measured on          \(which) training images, all \(grouped(trainer.test.count)) test images",
            "  results go to        \(directory)/", "")
    }
}
