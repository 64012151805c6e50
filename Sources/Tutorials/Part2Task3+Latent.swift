import CommandLineOptions
import Foundation
import Learn

/// The walks through G's latent space of part2-task3: a seeded batch of noise vectors
/// with the classifier's verdict on each image, the interpolation between two of them,
/// and the arithmetic z₆ + (z₇ − z₁).
struct LatentSpace {
    let generator: SampleSource
    let judge: DigitJudge
    let plan: Part2Task3.Plan
    let terminal: Terminal
    /// Confidence above which a digit counts as clearly drawn.
    static let confident = 0.9

    /// The noise vectors searched so far, one per row, and the classifier's
    /// probabilities for the image each one draws (one row of 10 per vector).
    private(set) var z: Matrix<Float>
    private(set) var probabilities: [[Float]] = []
    /// The most probable digit of each image, and its probability.
    private(set) var verdicts: [(digit: Int, confidence: Double)] = []
    var random: SeededGenerator

    init(generator: SampleSource, judge: DigitJudge, plan: Part2Task3.Plan, terminal: Terminal) {
        (self.generator, self.judge, self.plan, self.terminal) = (generator, judge, plan, terminal)
        random = SeededGenerator(seed: plan.seed &+ GANRunSettings.sampleNoiseOffset)
        z = Matrix(rows: 0, columns: GANArchitecture.template.noiseSize)
        searchMore()
    }

    /// Draws another seeded batch of noise vectors and classifies their images.
    mutating func searchMore() {
        let batch = Matrix<Float>.normal(rows: plan.searchSize, columns: z.columns, using: &random)
        let p = judge.classifier.probabilities(generator(batch))
        for n in 0..<p.rows {
            let row = p.row(n)
            let digit = row.indices.max { row[$0] < row[$1] } ?? 0
            probabilities.append(row)
            verdicts.append((digit, Double(row[digit])))
        }
        z = Matrix(rows: z.rows + batch.rows, columns: z.columns, elements: z.elements + batch.elements)
    }

    /// Row `i` of ``z``, as a 1×100 matrix.
    func vector(_ i: Int) -> Matrix<Float> {
        Matrix(rows: 1, columns: z.columns, elements: z.row(i))
    }

    /// The searched vector whose image the classifier most confidently calls `digit`.
    func best(_ digit: Int) -> Int? {
        verdicts.indices.filter { verdicts[$0].digit == digit }.max {
            verdicts[$0].confidence < verdicts[$1].confidence
        }
    }

    /// The searched vector whose image has the highest probability of `digit`, even if
    /// the classifier's first choice for it is another digit.
    func mostLike(_ digit: Int) -> Int {
        probabilities.indices.max { probabilities[$0][digit] < probabilities[$1][digit] } ?? 0
    }

    /// The two searched vectors drawn most confidently as two different digits.
    mutating func searchPair() -> (Int, Int) {
        let t = terminal
        t.step(
            "Two digits of different classes",
            """
            \(grouped(z.rows)) noise vectors z ~ N(0, I), seeded, each drawn by G and read by the
            classifier. For each digit, how many samples it saw and its most confident one:
            """)
        t.say("  digit  samples  most confident")
        for digit in 0..<10 {
            let count = verdicts.filter { $0.digit == digit }.count
            let top = best(digit).map { percent(verdicts[$0].confidence) } ?? "–"
            t.say("      \(digit)" + String(count).leftPadded(to: 9) + top.leftPadded(to: 16))
        }
        let ranked = (0..<10).compactMap(best).sorted { verdicts[$0].confidence > verdicts[$1].confidence }
        // G always draws something, so at least one digit is found; a second one may not be.
        let pair = (ranked[0], ranked.count > 1 ? ranked[1] : ranked[0])
        let (a, b) = (verdicts[pair.0], verdicts[pair.1])
        t.say(
            "",
            "  The two most confident of different digits: a \(a.digit) (\(percent(a.confidence)))"
                + " and a \(b.digit) (\(percent(b.confidence))).")
        if min(a.confidence, b.confidence) < Self.confident {
            t.say(
                "  Not both are above \(percent(Self.confident)): the generator's digits are not yet clear"
                    + (plan.quick ? " (expected after a --quick run)." : "; train longer in part2-task2."))
        }
        t.pause()
        return pair
    }

    /// The straight line from one vector to the other in 7 intermediate steps.
    func interpolate(_ pair: (Int, Int)) throws {
        let t = terminal
        let (za, zb) = (vector(pair.0), vector(pair.1))
        let zs = LatentInterpolation.line(from: za, to: zb, steps: 7)
        let images = generator(zs)
        let read = judge.classify(images)
        try writeImageGrid(images, rows: 1, columns: 9, to: plan.outDirectory + "/interpolation.png")

        t.step(
            "Interpolation: \(read[0].digit) to \(read[8].digit) in 7 steps",
            """
            z(α) = (1 − α) z_a + α z_b for α = 0, 1/8, …, 1: nine images including both ends,
            written left to right to interpolation.png. What the classifier sees in each:
            """)
        t.say("  step      α   digit  confidence     |z|")
        for k in 0...8 {
            let norm = Double(zs.row(k).reduce(0) { $0 + $1 * $1 }).squareRoot()
            t.say(
                String(k).leftPadded(to: 6) + String(format: "%.3f", Double(k) / 8).leftPadded(to: 7)
                    + String(read[k].digit).leftPadded(to: 8) + percent(read[k].confidence).leftPadded(to: 12)
                    + String(format: "%.1f", norm).leftPadded(to: 8))
        }
        let digits = read.map(\.digit)
        var changes: [String] = []
        for k in 1...8 where digits[k] != digits[k - 1] {
            changes.append("\(digits[k - 1]) → \(digits[k]) between steps \(k - 1) and \(k)")
        }
        let weakest = read.indices.min { read[$0].confidence < read[$1].confidence } ?? 0
        t.say(
            "",
            "  The classifier's answer changes " + (changes.isEmpty ? "nowhere" : changes.joined(separator: ", "))
                + ".",
            "  Its least confident image is step \(weakest) (\(percent(read[weakest].confidence))): there the drawing is",
            "  between shapes. A smooth morph — strokes bending from one digit into the other,",
            "  with few detours through a third — is the sign that G learnt a continuous map",
            "  rather than memorised isolated images.",
            "",
            "  Note |z| in the middle: a typical z has |z| ≈ √100 = 10, but the midpoint of two",
            "  independent ones is shorter (about 7), a region G rarely saw in training. Spherical",
            "  interpolation (slerp), which keeps |z| near 10, is a common alternative.")
        t.pause()
    }

    /// z₆ + (z₇ − z₁): the analogy "6 is to ? as 1 is to 7", in noise space.
    mutating func arithmetic() throws {
        let t = terminal
        t.step(
            "Latent arithmetic: z₆ + (z₇ − z₁)",
            """
            Word vectors famously satisfy king − man + woman ≈ queen, and DCGAN's faces did
            something similar. Here: take vectors drawn as 6, 7 and 1, and generate z₆ + (z₇ − z₁).
            If z₇ − z₁ meant "what turns a 1 into a 7", the result would be a 6 with that change.
            """)
        // Search further seeded batches until each digit has been drawn (or give up).
        for _ in 0..<5 where [6, 7, 1].contains(where: { best($0) == nil }) { searchMore() }
        let (i6, i7, i1) = (best(6) ?? mostLike(6), best(7) ?? mostLike(7), best(1) ?? mostLike(1))
        let missing = [6, 7, 1].filter { best($0) == nil }
        if !missing.isEmpty {
            t.say(
                "  Among \(grouped(z.rows)) samples none is drawn as \(missing.map(String.init).joined(separator: " or ")):"
                    + " this generator does not (yet) draw every digit",
                "  (mode collapse, or too little training). In its place: the sample with the highest",
                "  probability of that digit, though the classifier's first choice for it is another.",
                "")
        }
        let (z6, z7, z1) = (vector(i6), vector(i7), vector(i1))
        let result = z6.elements.indices.map { z6.elements[$0] + z7.elements[$0] - z1.elements[$0] }
        let zs = Matrix(rows: 4, columns: z.columns, elements: z6.elements + z7.elements + z1.elements + result)
        let images = generator(zs)
        try writeImageGrid(images, rows: 1, columns: 4, to: plan.outDirectory + "/arithmetic.png")
        let read = judge.classify(images)
        let probabilities = judge.classifier.probabilities(images).row(3)
        let top = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }.prefix(3)

        for (k, name) in ["z₆", "z₇", "z₁", "z₆ + (z₇ − z₁)"].enumerated() {
            let norm = Double(zs.row(k).reduce(0) { $0 + $1 * $1 }).squareRoot()
            t.say(
                "  " + name.padding(toLength: 16, withPad: " ", startingAt: 0)
                    + "drawn as \(read[k].digit) (\(percent(read[k].confidence)))".padding(
                        toLength: 22, withPad: " ", startingAt: 0)
                    + "|z| = \(String(format: "%.1f", norm))")
        }
        let scaled = Matrix(rows: 1, columns: z.columns, elements: result.map { $0 * 10 / Self.norm(result) })
        let rescaled = judge.classify(generator(scaled))[0]
        t.say(
            "",
            "  For the result the classifier's top three: "
                + top.map { "\($0) (\(percent(Double(probabilities[$0]))))" }.joined(separator: ", ") + ".",
            "  Rescaled to the typical |z| = 10, the same direction is drawn as \(rescaled.digit)"
                + " (\(percent(rescaled.confidence))).",
            "  The four images, left to right, are in arithmetic.png.",
            "",
            "  What to expect, honestly: very little. This G was never told which digit to draw,",
            "  so no direction of z means \"7 rather than 1\"; z₇ − z₁ is the difference of two",
            "  random points that happen to be drawn as 7 and 1. The sum is also √3 times longer",
            "  than a typical z, off where G was trained. The result is often one of the",
            "  ingredients, a blend, or a new digit altogether, and it changes with --seed.",
            "  Analogies in DCGAN worked on averages of several vectors per concept and on faces",
            "  with shared attributes; a conditional GAN, given the digit as input, makes \"change",
            "  the digit, keep the style\" an explicit operation.")
        t.pause()
    }

    static func norm(_ v: [Float]) -> Float {
        v.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }
}
