import CommandLineOptions
import Foundation
import Learn
import LearnCourse

/// Part II, task 1: the GAN, built and taken apart before it is trained. The two
/// networks layer by layer, the discriminator's loss with numbers, why the original
/// generator loss starves G early, why every loss is computed from logits, and then
/// live finite-difference checks of every loss, every layer and both whole networks.
enum Part2Task1: Chapter {
    static let name = "part2-task1"
    static let summary = "the GAN step by step: both networks, both losses with numbers, live gradient checks"
    static let pieces: [Piece] = Piece.networkLayers + [.minimaxLoss, .nonSaturatingLoss]
    static let about = """
        Builds the fully connected GAN of the course (template and balanced variants)
        and prints each network's layers with their shapes and parameter counts. Then
        equation (10) with numbers: the discriminator's loss for a guessing, a confident
        and a fooled D; a table of the saturating (minimax) and non-saturating generator
        losses and their gradients as D(G(z)) goes from 0.001 to 0.99; and the stable
        form of the losses, computed from logits. Finally, every loss, every layer kind
        and a scaled-down G and D are checked against central finite differences in
        Double. Exits with status 1 if any check fails.
        --quick checks the layers on a smaller batch.
        """
    static let options: [OptionHelp] = []

    static func run(_ arguments: Arguments, common: CommonOptions, terminal t: Terminal) throws {
        var checks = GANGradientChecks(terminal: t, batch: common.quick ? 4 : 6, seed: common.seed)
        t.chapter(
            "Part II, task 1 — the GAN, before it is trained",
            """
            A generative adversarial network is two networks in a game. The generator G
            turns noise z ~ N(0, I) into an image; the discriminator D looks at an image
            and says how likely it is to be real. D is trained to tell real from generated,
            G to fool D — equation (10):

                min_G max_D V(D, G) = E_x[log D(x)] + E_z[log(1 − D(G(z)))]

            Below: the networks, the losses with numbers, and live checks of every backward
            pass, all computed by the same library code that trains the GAN in task 2.
            """)

        showArchitecture(t, seed: common.seed)
        showDiscriminatorLoss(t)
        showSaturation(t)
        showStableForm(t)
        checks.losses()
        checks.layers()
        checks.wholeNetworks()
        try checks.summary()
    }

    // MARK: The networks

    static func showArchitecture(_ t: Terminal, seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let template = GANArchitecture.template
        let generator: Generator<Float> = template.generator(using: &random)
        let discriminator: Discriminator<Float> = template.discriminator(using: &random)
        let balanced: Discriminator<Float> = GANArchitecture.balanced.discriminator(using: &random)

        t.step(
            "The generator G",
            """
            G maps a noise vector z ∈ R^\(template.noiseSize) to an image of \(template.imageSize) = 28×28 pixels,
            widening at every layer. LeakyReLU(0.2) follows every hidden layer and batch
            normalisation the 256-, 512- and 1024-wide ones (it keeps each layer's outputs
            at a stable scale while both networks keep changing). tanh puts every pixel in
            (−1, 1), the range the MNIST images are scaled to. N is the batch (64 in training).
            """)
        t.say(layerTable(rows(generator), total: generator.parameterCount, inputWidth: template.noiseSize, input: "z"))
        t.pause()

        t.step(
            "The discriminator D, and its balanced variant",
            """
            D maps an image to one number, a logit ℓ; D(x) = σ(ℓ) is the probability that x
            is real. The network stops at ℓ on purpose: the losses apply σ themselves,
            where log σ(ℓ) can be computed without ever taking log 0 (step 5).
            """)
        t.say("  template (the course's):")
        t.say(
            layerTable(
                rows(discriminator), total: discriminator.parameterCount, inputWidth: template.imageSize, input: "x"))
        t.say(
            "",
            "  balanced (narrower, with dropout; what reports did when D overpowered G):")
        t.say(layerTable(rows(balanced), total: balanced.parameterCount, inputWidth: template.imageSize, input: "x"))
        let ratio = Double(generator.parameterCount) / Double(balanced.parameterCount)
        t.say(
            "",
            "  G has \(grouped(generator.parameterCount)) parameters; the template D has "
                + "\(grouped(discriminator.parameterCount)), the balanced D \(grouped(balanced.parameterCount)).",
            "  Telling real from fake is an easier task than drawing, so a D with a third of G's",
            "  weights can still win the game outright; the balanced D has \(String(format: "%.1f", ratio))× fewer than G,",
            "  and dropout 0.4 stops it from leaning on any one pixel pattern.",
            "  (BatchNorm's γ and β are trained; its running mean and variance are statistics",
            "  kept for evaluation and are not counted.)")
        t.pause()
    }

    /// One layer of a network, as a table shows it: what it does, how wide its output
    /// is and how many trainable numbers it has.
    struct LayerRow {
        var kind: String
        var width: Int
        var parameters = 0
    }

    static func row(_ l: Linear<Float>) -> LayerRow {
        LayerRow(kind: "Linear \(l.w.columns) → \(l.w.rows)", width: l.w.rows, parameters: l.w.count + l.b.count)
    }

    static func row(_ a: LeakyReLU<Float>, width: Int) -> LayerRow {
        LayerRow(kind: "LeakyReLU(\(short(Double(a.slope))))", width: width)
    }

    /// A block's layers: Linear, LeakyReLU and, when it has one, Dropout.
    static func rows(_ block: DenseBlock<Float>) -> [LayerRow] {
        let width = block.linear.w.rows
        let dropout = block.dropout.map {
            LayerRow(kind: "Dropout(p = \(short(Double($0.probability))))", width: width)
        }
        return [row(block.linear), row(block.activation, width: width)] + (dropout.map { [$0] } ?? [])
    }

    /// G's layers, first to last, numbered as its parameters are.
    static func rows(_ g: Generator<Float>) -> [LayerRow] {
        var rows = rows(g.input)
        for block in g.hidden {
            let width = block.linear.w.rows
            rows += [
                row(block.linear),
                LayerRow(
                    kind: "BatchNorm (γ, β per unit)", width: width,
                    parameters: block.norm.gamma.count + block.norm.beta.count),
                row(block.activation, width: width),
            ]
        }
        return rows + [row(g.output), LayerRow(kind: "tanh", width: g.output.w.rows)]
    }

    /// D's layers, first to last, numbered as its parameters are.
    static func rows(_ d: Discriminator<Float>) -> [LayerRow] {
        d.hidden.flatMap(rows) + [row(d.output)]
    }

    /// One line per layer: its index (as in the checkpoint's parameter names), what it
    /// does, the shape it outputs and its trainable parameters.
    static func layerTable(_ rows: [LayerRow], total: Int, inputWidth: Int, input: String) -> String {
        var lines = [
            "    #  layer                       output      parameters",
            "       input \(input)".padding(toLength: 35, withPad: " ", startingAt: 0) + "N×\(inputWidth)",
        ]
        for (k, row) in rows.enumerated() {
            lines.append(
                String(k).leftPadded(to: 5) + "  " + row.kind.padding(toLength: 28, withPad: " ", startingAt: 0)
                    + "N×\(row.width)".padding(toLength: 10, withPad: " ", startingAt: 0)
                    + (row.parameters > 0 ? grouped(row.parameters) : "–").leftPadded(to: 12))
        }
        lines.append(
            "       total".padding(toLength: 45, withPad: " ", startingAt: 0) + grouped(total).leftPadded(to: 12))
        return lines.joined(separator: "\n")
    }

    // MARK: The losses with numbers

    static func showDiscriminatorLoss(_ t: Terminal) {
        t.step(
            "The discriminator's loss",
            """
            D ascends (10): it wants log D(x) high on real images and log(1 − D(G(z))) high on
            generated ones. As a loss to minimise, over a batch:

                L_D = −mean log D(x) − mean log(1 − D(G(z)))        (two terms: real, fake)

            Each term is a cross-entropy: the real term is small when D(x) ≈ 1, the fake
            term when D(G(z)) ≈ 0. Three situations, computed by MinimaxLoss from logits:
            """)
        t.say("  situation                  D(x)   D(G(z))   real term   fake term   L_D")
        let cases: [(String, Double, Double)] = [
            ("D cannot tell (guesses)", 0.5, 0.5),
            ("D is confident and right", 0.99, 0.01),
            ("D is fooled", 0.2, 0.9),
        ]
        for (name, real, fake) in cases {
            let terms = MinimaxLoss.discriminator(
                realLogits: Matrix([[logit(real)]]), fakeLogits: Matrix([[logit(fake)]]))
            t.say(
                "  " + name.padding(toLength: 25, withPad: " ", startingAt: 0)
                    + short(real).leftPadded(to: 6) + short(fake).leftPadded(to: 10)
                    + short(terms.real).leftPadded(to: 12) + short(terms.fake).leftPadded(to: 12)
                    + short(terms.total).leftPadded(to: 8))
        }
        t.say(
            "",
            "  When D guesses, each term is −log 0.5 = log 2 = \(short(Foundation.log(2.0))), so L_D = 2 log 2 = "
                + "\(short(2 * Foundation.log(2.0))).",
            "  That is the balanced game's signature: if G's images were indistinguishable from",
            "  real ones, the best D could do is answer 0.5, and its loss would sit at log 2 per term.",
            "  During training, both terms hovering near log 2 means neither network is winning;",
            "  both terms falling towards 0 means D has won, and G learns little from then on.",
            "",
            "  The gradients D descends, with D = σ(ℓ): ∂L_D/∂ℓ_real = (σ(ℓ) − 1)/N, ∂L_D/∂ℓ_fake = σ(ℓ)/N.")
        t.pause()
    }

    /// The logit ℓ with σ(ℓ) = p.
    static func logit(_ p: Double) -> Double {
        Foundation.log(p / (1 - p))
    }

    static func showSaturation(_ t: Terminal) {
        t.step(
            "Why the original generator loss starves G early",
            """
            In (10), G minimises log(1 − D(G(z))): the minimax, or *saturating*, loss. In
            practice G instead maximises log D(G(z)): the *non-saturating* loss. Both push
            D(G(z)) up and both are at rest at the same point, but their gradients differ
            where it matters. Early in training G draws noise, D rejects it easily and
            D(G(z)) is near 0. Here are both losses and their gradient with respect to D's
            logit ℓ for one sample (N = 1), computed by MinimaxLoss and NonSaturatingLoss:
            """)
        t.say(
            "                         minimax (saturating)        non-saturating",
            "  D(G(z))   logit ℓ    L_G = log(1−D)  ∂L_G/∂ℓ    L_G = −log D  ∂L_G/∂ℓ    ratio")
        for d in [0.001, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99] {
            let l = Matrix([[logit(d)]])
            let minimax = (MinimaxLoss.generator(fakeLogits: l), MinimaxLoss.generatorBackward(fakeLogits: l)[0, 0])
            let nonSaturating = (
                NonSaturatingLoss.generator(fakeLogits: l), NonSaturatingLoss.generatorBackward(fakeLogits: l)[0, 0]
            )
            t.say(
                short(d).leftPadded(to: 9) + short(logit(d)).leftPadded(to: 10)
                    + short(minimax.0).leftPadded(to: 16) + short(minimax.1).leftPadded(to: 10)
                    + short(nonSaturating.0).leftPadded(to: 15) + short(nonSaturating.1).leftPadded(to: 10)
                    + (String(format: "%.3g", nonSaturating.1 / minimax.1) + "×").leftPadded(to: 9))
        }
        t.say(
            "",
            "  ∂L_G/∂ℓ is −D for the minimax loss and −(1 − D) for the non-saturating one. While D",
            "  rejects the samples (D(G(z)) = 0.001) the minimax gradient is −0.001: a thousand times",
            "  weaker than the non-saturating −0.999. Every gradient G receives passes through this",
            "  number, so under the minimax loss G barely moves exactly when it is worst. The ratio",
            "  (1 − D)/D falls to 1 at D(G(z)) = 0.5, the balanced game, where the two agree.",
            "",
            "  Task 2 trains with either (--generator-loss minimax). Do not expect a dramatic stall",
            "  there: with batch normalisation in G and Adam, which rescales small gradients, D(G(z))",
            "  starts near 0.5 and seldom stays near 0, so both losses learn. The saturation is a",
            "  risk whenever D races ahead — the reason the non-saturating loss is the default.")
        t.pause()
    }

    static func showStableForm(_ t: Terminal) {
        t.step(
            "The stable form: losses from logits",
            """
            Computed literally, −log D = −log σ(ℓ) breaks down: in Float (training's type)
            σ(ℓ) rounds to exactly 1 once ℓ passes about 17, so 1 − σ(ℓ) = 0 and log(1 − D) is
            log 0 = −∞; far enough the other way σ(ℓ) underflows to 0. A confident D reaches
            such logits in real training, and one ∞ turns every weight into NaN. The library
            never forms σ(ℓ) inside a log. With softplus(z) = log(1 + eᶻ),

                −log σ(ℓ) = softplus(−ℓ)       −log(1 − σ(ℓ)) = softplus(ℓ)

            and softplus(z) = max(z, 0) + log(1 + e^(−|z|)): the exponential is at most 1 and
            the log's argument lies in (1, 2]. Each loss term, both ways, in Float:
            """)
        t.say(
            "      ℓ          σ(ℓ)   −log σ(ℓ) naive  softplus(−ℓ)   −log(1−σ(ℓ)) naive  softplus(ℓ)")
        for l: Float in [-200, -100, -20, 0, 20, 100] {
            let s = Float.sigmoid(l)
            t.say(
                shortFloat(l).leftPadded(to: 7) + String(format: "%.3g", Double(s)).leftPadded(to: 14)
                    + shortFloat(-Float.log(s)).leftPadded(to: 17) + shortFloat(Softplus.value(-l)).leftPadded(to: 14)
                    + shortFloat(-Float.log(1 - s)).leftPadded(to: 21)
                    + shortFloat(Softplus.value(l)).leftPadded(to: 13))
        }
        let extreme = Matrix<Float>([[100], [-100]])
        let terms = MinimaxLoss.discriminator(realLogits: extreme, fakeLogits: extreme)
        let (dReal, dFake) = MinimaxLoss.discriminatorBackward(realLogits: extreme, fakeLogits: extreme)
        t.say(
            "",
            "  The library's L_D on logits ±100 (both batches [100, −100]): real term "
                + "\(shortFloat(terms.real)), fake term \(shortFloat(terms.fake)) —",
            "  large, as a D that is completely wrong on half the batch deserves, but finite.",
            "  Its gradients stay finite too: ∂L_D/∂ℓ_real = [\(shortFloat(dReal[0, 0])), \(shortFloat(dReal[1, 0]))],"
                + " ∂L_D/∂ℓ_fake = [\(shortFloat(dFake[0, 0])), \(shortFloat(dFake[1, 0]))]",
            "  (σ(ℓ)/N and (σ(ℓ) − 1)/N, each bounded by 1/N whatever ℓ is).")
        t.pause()
    }

    /// A Float as short as it reads; "inf" and "nan" as such.
    static func shortFloat(_ x: Float) -> String {
        x.isFinite ? short(Double(x)) : "\(x)"
    }
}

/// `n` with thousands separators: 1,510,032.
func grouped(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (k, c) in digits.enumerated() {
        if k > 0 && (digits.count - k) % 3 == 0 { out += "," }
        out.append(c)
    }
    return (n < 0 ? "-" : "") + out
}
