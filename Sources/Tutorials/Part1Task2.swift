import CommandLineOptions
import Foundation
import Learn
import LearnCourse

/// The LSTM's training settings, in one place because they decide whether long
/// sequences are learnt at all.
enum LSTMSettings {
    /// b_f starts at 1 instead of a small random number. Then f = σ(1) ≈ 0.73 at the
    /// start of training, so the cell keeps most of its memory from step to step and
    /// the gradient of the last step's loss still reaches the first digit, the one the
    /// model must remember. With b_f near 0, f ≈ 0.5 halves that gradient at every
    /// step: along the cell alone, T = 20 steps shrink it about a million-fold (0.5²⁰).
    static let forgetBias = 1.0
    /// RMSProp's step size: the course default. With the forget bias at 1 it learns
    /// every T from 5 to 30 (seed 0: 99.5% test accuracy within 1,500 steps each).
    static let learningRate = 1e-3
    /// The most optimiser steps at input length T. Longer sequences may need more
    /// steps, so the budget grows with T. Runs stop early at the target accuracy; the
    /// six default lengths take about five minutes on two cores, and under ten even
    /// if no run stopped early.
    static func stepBudget(inputLength t: Int) -> Int {
        1_000 + 150 * t
    }
}

/// Settings shared by both models.
enum RunSettings {
    /// Stop a run once its test accuracy reaches this: the task is solved, and more
    /// steps would only spend time.
    static let targetAccuracy = 0.995
    /// Measure the test accuracy every this many steps (each measurement runs the
    /// whole test set, so not too often).
    static let evaluationInterval = 250
    /// The input lengths of the full run.
    static let lengths = [5, 10, 15, 20, 25, 30]

    /// --quick: two short lengths, a small data set and step budget, frequent checks;
    /// a smoke run of a few seconds, not a result.
    static let quickLengths = [5, 10]
    static let quickSteps = 300
    static let quickDatasetSize = 10_000
    static let quickEvaluationInterval = 50
}

/// Part I, task 2: train the LSTM and the vanilla RNN at growing input lengths and
/// see where each stops remembering the first digit.
enum Part1Task2: Chapter {
    static let name = "part1-task2"
    static let summary = "LSTM vs RNN across input lengths: training, accuracy table, CSV and SVG chart"
    static let pieces: [Piece] = Piece.palindromeTraining
    static let about = """
        Trains the LSTM and the vanilla RNN on palindromes at each input length T
        (default 5, 10, …, 30), shows the test accuracy as training goes, then prints an
        accuracy table and writes lstm_vs_rnn.csv and lstm_vs_rnn.svg into --out.
        A run stops early at 99.5% test accuracy. The full run takes five to ten minutes
        on two cores; --quick trains T = 5 and 10 briefly (well under a minute).
        """
    static let lengths = Option<[Int]>.integers(
        "--lengths", "T,T,…", in: 1...200, summary: "input lengths to train (default 5,10,15,20,25,30)")
    static let steps = Option<Int>.integer(
        "--steps", "N", in: 1...10_000_000, summary: "max optimiser steps per run (default 1000 + 150·T)")
    static let hidden = Option<Int>.integer("--hidden", "H", in: 1...1024, summary: "hidden units (default 128)")
    static let batch = Option<Int>.integer("--batch", "N", in: 1...4096, summary: "batch size (default 128)")
    static let learningRate = Option<Double>.number(
        "--lr", "X", in: 1e-6...1, summary: "RMSProp learning rate, both models (default 1e-3)")
    static let datasetSize = Option<Int>.integer(
        "--dataset-size", "N", in: 10...10_000_000, summary: "distinct palindromes, 80% train (default 100000)")
    static let forgetBias = Option<Double>.number(
        "--forget-bias", "X", in: -10...10, summary: "initial LSTM forget-gate bias b_f (default 1)")
    static let out = Option<String>.text("--out", "DIR", summary: "where the CSV and SVG go (default out/part1-task2)")
    static let options = [
        lengths.help, steps.help, hidden.help, batch.help, learningRate.help, datasetSize.help,
        forgetBias.help, out.help,
    ]

    /// Everything one run of the chapter needs, read from the command line.
    struct Plan {
        var lengths: [Int]
        var steps: Int?
        var base = PalindromeOptions()
        var outDirectory: String
        var quick: Bool

        /// The options of one training run.
        func options(_ model: SequenceModelKind, inputLength t: Int) -> PalindromeOptions {
            var o = base
            o.model = model
            o.inputLength = t
            o.maxSteps = steps ?? (quick ? RunSettings.quickSteps : LSTMSettings.stepBudget(inputLength: t))
            if model == .rnn { o.forgetBias = nil }
            return o
        }
    }

    static func run(_ arguments: Arguments, common: CommonOptions, terminal t: Terminal) throws {
        let plan = try readPlan(arguments, common: common)
        try prepareOutput(plan.outDirectory)
        introduce(plan, terminal: t)
        var results = Results(outDirectory: plan.outDirectory)
        t.step(
            "Training",
            """
            Each line is one run. The loss starts near ln 10 ≈ 2.30 (a uniform guess over
            ten digits). Every \(plan.base.evaluationInterval) steps the test accuracy is measured on
            palindromes never seen in training, so memorising the training set cannot win it.
            """)
        for length in plan.lengths {
            let lstm = try train(plan.options(.lstm, inputLength: length), terminal: t)
            let rnn = try train(plan.options(.rnn, inputLength: length), terminal: t)
            results.rows.append(Results.Row(inputLength: length, lstm: lstm, rnn: rnn))
            // Saved after every length, so an interrupted run keeps what it finished.
            try results.write()
        }
        t.pause()

        t.step(
            "Results",
            """
            Test accuracy after training (chance is 10%). Look for the length at which each
            model stops remembering the first digit.
            """)
        t.say(results.table)
        t.pause()

        t.step("Files", "The same numbers, for a spreadsheet and for the eye:")
        t.say("  \(results.csvPath)", "  \(results.svgPath)")
        // A run that diverged is a failed experiment: the table above shows it, and the
        // exit status says so (as part2-task2's does).
        let diverged = results.rows.flatMap { row in
            [("LSTM", row.lstm), ("RNN", row.rnn)].filter { $0.1.accuracy == nil }.map {
                "the \($0.0) at T = \(row.inputLength)"
            }
        }
        if !diverged.isEmpty {
            throw RunsDiverged(runs: diverged, results: results.csvPath)
        }
    }

    /// Reads every option and checks the whole plan against the trainer's limits, so a
    /// mistake is reported before any training starts.
    static func readPlan(_ arguments: Arguments, common: CommonOptions) throws -> Plan {
        let quick = common.quick
        var plan = Plan(
            lengths: try arguments.value(lengths, default: quick ? RunSettings.quickLengths : RunSettings.lengths),
            steps: try arguments.value(steps),
            outDirectory: try arguments.value(out, default: "out/part1-task2"),
            quick: quick)
        plan.base.hiddenSize = try arguments.value(hidden, default: 128)
        plan.base.batchSize = try arguments.value(batch, default: 128)
        plan.base.learningRate = Float(try arguments.value(learningRate, default: LSTMSettings.learningRate))
        plan.base.datasetSize = try arguments.value(
            datasetSize, default: quick ? RunSettings.quickDatasetSize : 100_000)
        plan.base.forgetBias = Float(try arguments.value(forgetBias, default: LSTMSettings.forgetBias))
        plan.base.seed = common.seed
        plan.base.targetAccuracy = RunSettings.targetAccuracy
        plan.base.evaluationInterval = quick ? RunSettings.quickEvaluationInterval : RunSettings.evaluationInterval
        for length in plan.lengths {
            for model in SequenceModelKind.allCases {
                do {
                    try plan.options(model, inputLength: length).validate()
                } catch {
                    throw UsageError(message: error.description)
                }
            }
        }
        return plan
    }

    /// Creates the output directory and proves it writable, so a run cannot train for
    /// ten minutes and then fail to save. A real write is the only sure test: file
    /// permissions do not stop root, and a read-only disk passes every permission check.
    static func prepareOutput(_ directory: String) throws(OutputFileError) {
        try TextFile.createDirectory(directory)
        for name in BinaryFile.removeStaleTemporaries(in: directory) {
            print("  removed \(directory)/\(name), left by a save that was interrupted (the file it was for is intact)")
        }
        let probe = directory + "/.write-test"
        do {
            try TextFile.write("", to: probe)
            unlink(probe)
        } catch {
            throw OutputFileError(path: directory, reason: error.reason)
        }
    }

    /// The first step: what will be trained and with which settings.
    static func introduce(_ plan: Plan, terminal t: Terminal) {
        let b = plan.base
        let lengths = plan.lengths.map(String.init).joined(separator: ", ")
        t.chapter(
            "Part I, task 2 — how far back can each model remember?",
            """
            Both models read T digits of a palindrome and must predict the next one, which
            equals the first. The RNN carries the first digit through T squashings by
            tanh and T multiplications by W_hh, so its gradient fades as T grows; the LSTM's
            cell state passes it on through the forget gate alone.
            """)
        t.step(
            "The experiment",
            """
            For each input length T, train one LSTM and one RNN from the same seed on the
            same palindromes, with RMSProp and gradient-norm clipping (the course's set-up).
            """)
        let budget =
            plan.steps.map { "\($0) per run" }
            ?? (plan.quick ? "\(RunSettings.quickSteps) per run (--quick)" : "1000 + 150·T per run")
        t.say(
            "  input lengths T      \(lengths)",
            "  palindromes          \(b.datasetSize) distinct per T (fewer exist for small T),"
                + " 80% train / 20% test",
            "  hidden, batch        H = \(b.hiddenSize), N = \(b.batchSize)",
            "  learning rate        \(String(format: "%g", Double(b.learningRate))) (RMSProp),"
                + " clip norm \(String(format: "%g", Double(b.clipNorm)))",
            "  LSTM forget bias     \(short(Double(b.forgetBias ?? 0))) (RNN: no forget gate)",
            "  steps                at most \(budget);"
                + " stop at \(short(RunSettings.targetAccuracy * 100))% test accuracy",
            "  seed                 \(b.seed)",
            "  results go to        \(plan.outDirectory)/")
        t.pause()
    }

    /// One training run with live progress; nil accuracy if it diverged.
    static func train(_ options: PalindromeOptions, terminal t: Terminal) throws -> Results.Run {
        var trainer = try PalindromeTrainer(options: options)
        let model = options.model == .lstm ? "LSTM" : "RNN "
        let label = "  \(model) T=" + String(options.inputLength).padding(toLength: 3, withPad: " ", startingAt: 0)
        // Both models get the same data, so one note per input length is enough.
        if let warning = trainer.data.warning, options.model == .lstm { t.say("  note: \(warning)") }
        let progress = t.progress(label)
        let budget = options.maxSteps ?? 0
        var accuracy = "–"
        do {
            let result = try trainer.train { record in
                if let a = record.testAccuracy { accuracy = percent(a) }
                progress.update(
                    "step \(record.step)/\(budget)  loss \(String(format: "%.3f", record.loss))  test \(accuracy)",
                    milestone: record.testAccuracy != nil)
            }
            let stop = result.testAccuracy >= RunSettings.targetAccuracy ? "  (reached target)" : ""
            progress.finish("test \(percent(result.testAccuracy)) after \(result.steps) steps\(stop)")
            return Results.Run(accuracy: result.testAccuracy, steps: result.steps, seconds: progress.elapsed)
        } catch {
            progress.finish("stopped: \(error)")
            return Results.Run(accuracy: nil, steps: trainer.steps, seconds: progress.elapsed)
        }
    }
}

/// An accuracy as a percentage with one decimal, e.g. "99.5%".
func percent(_ fraction: Double) -> String {
    NumberFormat.percent(fraction, decimals: 1)
}

/// Training stopped on a NaN or an infinity in some runs; the others' results were kept.
struct RunsDiverged: Error, CustomStringConvertible {
    let runs: [String]
    let results: String

    var description: String {
        "training diverged (a NaN or an infinity) for \(runs.joined(separator: ", ")); the results of every run, "
            + "those marked \"diverged\", are in \(results). Try a smaller --lr; if the default one diverges too, "
            + "a piece likely computes a NaN or an infinity (swift run -c release Course grade names it)."
    }
}
