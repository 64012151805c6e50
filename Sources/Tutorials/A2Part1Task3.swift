import CommandLineOptions
import Foundation
import Learn
import LearnCourse

/// Assignment 2, Part I, task 3: the MLP of task 1 on CIFAR-10's photographs, its
/// accuracy and loss curves, and its test accuracy class by class.
enum A2Part1Task3: Chapter {
    static let name = "a2-part1-task3"
    static let summary = "the MLP on CIFAR-10 — curves (CSV, SVG) and test accuracy class by class"
    static let assignment = Assignment.two
    static let pieces: [Piece] = Piece.mlpTraining
    static let about = """
        Trains the MLP of task 1 (Linear → ReLU → … → Linear, softmax cross-entropy,
        mini-batch SGD) on CIFAR-10: 50,000 training and 10,000 test colour images of
        32×32 pixels, each read as one row of 3,072 numbers in [−1, 1], ten classes
        (airplane … truck). It prints the loss and accuracy after each epoch and the test
        accuracy of every class at the end, and writes into --out the curves
        (mlp_cifar10.csv, mlp_cifar10_accuracy.svg, mlp_cifar10_loss.svg) and the class
        table (mlp_cifar10_classes.csv). The defaults follow the course — one hidden
        layer of 256, mini-batch SGD; its reports reach about 43% test accuracy — with
        the momentum of PyTorch's CIFAR-10 tutorial (0.9), step size 0.01, batches of 64
        and 10 epochs. An epoch of the 50,000 images took 4–10 s on a shared 2-core
        machine (4.7 s of processor time), so the default run takes one to two minutes;
        the images take 190 MB.

        CIFAR-10 is not in the package: download its binary version
        (\(CIFARSource.archiveURL)), unpack it and pass the folder
        with --data. Without --data the chapter says so and stops. --quick trains 3 epochs
        on small synthetic files in CIFAR-10's format, written for the run (or, with
        --data, 2 epochs on the first 5,000 training images).
        """
    static let data = Option<String>.text(
        "--data", "DIR", summary: "the CIFAR-10 folder (cifar-10-batches-bin, or the folder holding it)")
    static let hidden = Option<[Int]>.integers(
        "--hidden", "W,W,…", in: 1...4096, summary: "hidden widths, input side first (default 256)")
    static let learningRate = Option<Double>.number(
        "--lr", "X", in: 1e-6...10, summary: "SGD step size (default 0.01)")
    static let momentum = Option<Double>.number(
        "--momentum", "X", in: 0...0.999, summary: "SGD momentum, 0 for plain SGD (default 0.9)")
    static let epochs = Option<Int>.integer(
        "--epochs", "N", in: 1...10_000, summary: "passes over the training images (default 10)")
    static let batch = Option<Int>.integer("--batch", "N", in: 1...50_000, summary: "images per step (default 64)")
    static let limit = Option<Int>.integer(
        "--limit", "N", in: 1...50_000, summary: "train on the first N training images (default all)")
    static let out = Option<String>.text("--out", "DIR", summary: "where the files go (default out/a2-part1-task3)")
    static let options = [
        data.help, hidden.help, learningRate.help, momentum.help, epochs.help, batch.help, limit.help, out.help,
    ]

    /// What the chapter does without CIFAR-10, the download guide's last lines.
    static let withoutData = [
        "  Without it, --quick trains on small synthetic files in CIFAR-10's format, written for",
        "  the run and removed after it: a few seconds, to see every step and file of the chapter.",
    ]

    /// Training images and epochs of `--quick` on the reader's own data.
    static let quickLimit = 5_000, quickEpochs = 2
    /// Epochs of `--quick` on synthetic files.
    static let syntheticEpochs = 3

    static func run(_ arguments: Arguments, common: CommonOptions, terminal t: Terminal) throws {
        let folder = try arguments.value(data)
        var options = MLPImageOptions()
        options.seed = common.seed
        options.hiddenWidths = try arguments.value(hidden, default: options.hiddenWidths)
        options.learningRate = Float(try arguments.value(learningRate, default: Double(options.learningRate)))
        options.momentum = Float(try arguments.value(momentum, default: Double(options.momentum)))
        let quickRun = folder == nil ? syntheticEpochs : quickEpochs
        options.epochs = try arguments.value(epochs, default: common.quick ? quickRun : options.epochs)
        options.batchSize = try arguments.value(batch, default: options.batchSize)
        try options.validate()
        let trainLimit = try arguments.value(limit) ?? (common.quick && folder != nil ? quickLimit : nil)
        let directory = try arguments.value(out, default: "out/a2-part1-task3")

        t.chapter(
            "Assignment 2, Part I, task 3 — an MLP looks at photographs",
            """
            The MLP that drew curved boundaries through moons and circles now reads CIFAR-10:
            small colour photographs of ten kinds of thing. It sees an image as one row of
            3,072 numbers (red plane, green plane, blue plane) and nothing tells it which
            pixels are neighbours: moving the object by one pixel gives it a different input
            altogether. So it learns colours and rough layouts — blue sky behind planes and
            water under ships — and reaches about 43% on the test images, against 10% by
            guessing. Part II's convolutional network, which looks at neighbourhoods, does
            far better.
            """)

        let source: CIFARSource
        if let folder {
            source = .folder(folder)
        } else if common.quick {
            source = try .synthetic(seed: common.seed, chapter: name)
        } else {
            t.say("  No --data given: this chapter needs CIFAR-10's images.", "")
            t.say(CIFARSource.downloadGuide(chapter: name, without: withoutData).joined(separator: "\n"))
            return
        }
        defer { source.removeIfSynthetic() }
        let sets: (train: ImageClassificationData, test: ImageClassificationData)
        do {
            sets = try source.load(limit: trainLimit)
        } catch {
            // A damaged folder is an error; a folder without the data is advice.
            guard CIFARSource.meansNoData(error) else { throw error }
            t.say("  \(error)", "")
            t.say(CIFARSource.downloadGuide(chapter: name, without: withoutData).joined(separator: "\n"))
            return
        }
        try Part1Task2.prepareOutput(directory)
        describe(source, sets, terminal: t)

        var trainer = try MLPImageTrainer(options: options, train: sets.train, test: sets.test)
        introduceTraining(trainer, directory: directory, terminal: t)
        let files = ImageRunFiles(
            directory: directory, stem: "mlp_cifar10",
            title: source.isSynthetic ? "MLP on synthetic CIFAR-10 files" : "MLP on CIFAR-10")
        var epochs: [MLPImageEpoch] = []
        let start = DispatchTime.now().uptimeNanoseconds
        while trainer.epoch < options.epochs {
            let progress = t.progress(EpochLines.label(after: trainer.epoch, of: options.epochs))
            let steps = trainer.stepsPerEpoch
            let record = try trainer.trainEpoch { step, loss in
                progress.update(EpochLines.step(step, of: steps, loss: loss))
            }
            progress.finish(EpochLines.summary(record.curves))
            epochs.append(record)
            // Saved after every epoch, so an interrupted run keeps the curves it reached.
            try files.write(epochs, classNames: sets.train.classNames)
            if record.epoch == 1 && options.epochs > 1 {
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                let whole = duration(seconds * Double(options.epochs))
                t.say("        (at this pace the \(options.epochs) epochs take \(whole))")
            }
        }
        let trainingSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        t.pause()

        guard let last = epochs.last else { return }
        t.step(
            "Test accuracy class by class",
            """
            Each test image counts for its true class: a cat taken for a dog lowers the
            cats' accuracy, not the dogs'. On CIFAR-10 an MLP does best on the classes that
            colour and layout give away (ships and planes against sea or sky, cars and
            trucks) and worst on the animals, which share backgrounds and colours (cats,
            birds and dogs).
            """)
        if source.isSynthetic { t.say("On the synthetic files each class is a colour, so every class is easy.", "") }
        t.say(ClassAccuracyTable(last.testByClass, classNames: sets.train.classNames).lines.joined(separator: "\n"))
        t.pause()

        t.step(
            "Files, and what a full run costs",
            """
            The curves show where the MLP stops learning anything that carries over to new
            images: the training accuracy climbs on while the test accuracy flattens. Each
            batch costs three matrix products per layer (forward, the weights' gradient, the
            input's gradient), about 2.4 million multiply-adds an image for 3,072 → 256 → 10,
            so an epoch's time grows with the training images and the first hidden width: on
            a shared 2-core machine an epoch of all 50,000 took 4–10 s, the default 10
            epochs one to two minutes.
            """)
        t.say(
            "  written: " + files.all.joined(separator: ", "),
            "  this run: \(trainer.epoch) epochs of \(grouped(sets.train.count)) images in \(duration(trainingSeconds))"
                + (source.isSynthetic ? " (synthetic files, now removed)" : ""))
    }

    /// The first step: where the images come from, how many, and what a network reads.
    static func describe(
        _ source: CIFARSource, _ sets: (train: ImageClassificationData, test: ImageClassificationData),
        terminal t: Terminal
    ) {
        t.step(
            "The images",
            source.isSynthetic
                ? """
                No CIFAR-10 folder was given, so --quick wrote small synthetic files in its
                format: each image a square of its class's colour on a gray background, with
                noise. They are far easier than photographs (the colour alone gives the class
                away), so expect nearly every image right; the steps and files are those of a
                real run.
                """
                : """
                Read from the folder's batch files: each record a label byte, then the red,
                green and blue planes of 32×32 bytes. The bytes become numbers in [−1, 1]
                (x/127.5 − 1, PyTorch's ToTensor and Normalize(0.5, 0.5)) a batch at a time,
                so the images take 3 KB each in memory.
                """)
        let counts = sets.test.classCounts.map(grouped).joined(separator: ", ")
        t.say(
            "  folder               \(source.isSynthetic ? "(synthetic, temporary) " : "")\(source.folder.path)",
            "  training images      \(grouped(sets.train.count))",
            "  test images          \(grouped(sets.test.count)) (per class: \(counts))",
            "  classes              " + sets.train.classNames.joined(separator: ", "),
            "  one image            \(grouped(sets.train.width)) numbers: 3 colour planes × 32 rows × 32 columns")
        t.pause()
    }

    /// The second step's heading: the network and the settings.
    static func introduceTraining(_ trainer: MLPImageTrainer, directory: String, terminal t: Terminal) {
        let o = trainer.options
        let measured = min(trainer.train.count, o.trainEvaluationSize ?? trainer.train.count)
        let which = measured == trainer.train.count ? "all \(grouped(measured))" : "the first \(grouped(measured))"
        t.step(
            "Training",
            """
            Every line is an epoch's end: one pass over the training images in a fresh
            random order, a batch at a time, then the mean cross-entropy and the accuracy
            on training images and on the test images, which training never sees. The loss
            starts near ln 10 ≈ 2.30, a uniform guess over ten classes.
            """)
        t.say(
            "  network              " + trainer.model.widths.map(String.init).joined(separator: " → ")
                + " (ReLU between layers, softmax cross-entropy), \(grouped(trainer.model.parameterCount)) parameters",
            "  training             SGD, step size \(String(format: "%g", Double(o.learningRate))),"
                + " momentum \(String(format: "%g", Double(o.momentum))), batch \(o.batchSize),"
                + " \(o.epochs) epoch\(o.epochs == 1 ? "" : "s") of \(grouped(trainer.stepsPerEpoch)) steps,"
                + " seed \(o.seed)",
            "  measured on          \(which) training images, all \(grouped(trainer.test.count)) test images",
            "  results go to        \(directory)/", "")
    }

    /// Seconds as a reader says them: "4.2 s", "3 min 10 s", "1 h 5 min".
    static func duration(_ seconds: Double) -> String {
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let s = Int(seconds.rounded())
        if s < 3600 { return "\(s / 60) min \(s % 60) s" }
        return "\(s / 3600) h \(s % 3600 / 60) min"
    }
}
