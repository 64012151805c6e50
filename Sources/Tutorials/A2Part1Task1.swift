import CommandLineOptions
import Foundation
import Learn
import LearnCourse

/// Assignment 2, Part I, task 1: the MLP taken apart on four points of the moons. One
/// forward pass with every number printed, the loss, the backward pass layer by layer
/// (where the ReLU's mask stops the gradient), one SGD step that lowers the loss, and
/// live finite-difference checks of the whole network and of its loss.
enum A2Part1Task1: Chapter {
    static let name = "a2-part1-task1"
    static let summary = "the MLP step by step: forward, loss and backward with numbers, then live gradient checks"
    static let pieces: [Piece] = Piece.mlpTraining
    static let assignment = Assignment.two
    static let about = """
        A small MLP, 2 → 3 → 2, on four points of the moons: the forward pass with every
        number (z = x·Wᵀ + b, the ReLU, the scores, softmax), the cross-entropy loss, the
        backward pass layer by layer — ∂L/∂scores = (softmax − one-hot)/N, each Linear's
        ∂W, ∂b and ∂x, the ReLU's mask — and one SGD step that lowers the loss. Then the
        course's network, 2 → 20 → 20 → 2, and a network with no hidden layer, checked
        against central finite differences in Double, through Σ R ⊙ scores and through
        the loss. Exits with status 1 if any check fails.
        """
    static let options: [OptionHelp] = []

    static func run(_ arguments: Arguments, common: CommonOptions, terminal t: Terminal) throws {
        t.chapter(
            "Assignment 2, Part I, task 1 — the MLP by hand",
            """
            A multilayer perceptron is Linear layers with a ReLU between each two:

                a₀ = x,   aₖ = ReLU(aₖ₋₁·Wₖᵀ + bₖ),   scores = a_{L−1}·W_Lᵀ + b_L
                L = mean over the batch of −log softmax(scores)_y

            Below, every number of one pass through a tiny network, so that each line can
            be redone by hand, then live checks of the backward pass, all computed by the
            same library code that trains the MLP in task 2.
            """)
        // Seed 4 of the stream gives a ReLU layer with units both on and off for these points.
        var random = SeededGenerator(seed: common.seed &+ 4)
        let data = Moons.points(count: 40, noise: 0.2, using: &random).selecting([0, 11, 22, 33])
        var net = MLP<Double>(widths: [2, 3, 2], using: &random)
        let (x, labels) = (data.points, data.labels)

        t.step(
            "The network and four points",
            """
            Two inputs (a point's coordinates), one hidden layer of 3, two class scores. W is
            out×in, as PyTorch's nn.Linear keeps it; each row of x is one point.
            """)
        t.say(show("x (N×2)", x), "  labels = \(labels)", "")
        t.say(show("W₀ (3×2)", net.layers[0].w), show("b₀ (1×3)", net.layers[0].b))
        t.say(show("W₂ (2×3)", net.layers[1].w), show("b₂ (1×2)", net.layers[1].b))
        t.pause()

        t.step(
            "Forward: Linear, ReLU, Linear",
            """
            z = x·W₀ᵀ + b₀ for every point; the ReLU keeps the positive entries and sets the
            others to 0 — those units say nothing about this point, and (next step) pass no
            gradient back. The last layer gives the scores, with no ReLU: softmax takes
            every real number, and a negative score is information.
            """)
        let (scores, cache) = net.forward(x, mode: .training)
        t.say(show("z (N×3)", cache.preactivations[0]), show("a = ReLU(z)", cache.inputs[1].map { $0 + 0 }))  // + 0: −0 prints as 0
        t.say(show("scores (N×2)", scores))
        let (loss, lossCache) = SoftmaxCrossEntropy.forward(scores, labels: labels)
        t.say(show("softmax", SoftmaxCrossEntropy.softmax(scores)), "  L = \(short(loss))")
        t.pause()

        t.step(
            "Backward: from the loss to every weight",
            """
            ∂L/∂scores = (softmax − one-hot)/N. The last Linear turns it into ∂L/∂a and adds
            ∂W₂ = (∂L/∂scores)ᵀ·a and ∂b₂ = the column sums. The ReLU passes ∂L/∂a through
            where z > 0 and stops it where z ≤ 0; the first Linear does as the last.
            """)
        let dScores = SoftmaxCrossEntropy.backward(cache: lossCache)
        var grads = net.zeroed()
        let dX = net.backward(into: &grads, dScores, cache: cache)
        t.say(show("∂L/∂scores", dScores), show("∂L/∂W₂", grads.layers[1].w), show("∂L/∂b₂", grads.layers[1].b))
        let mask = cache.preactivations[0].map { $0 > 0 ? 1.0 : 0 }
        t.say(show("ReLU's mask (z > 0)", mask))
        t.say(show("∂L/∂W₀", grads.layers[0].w), show("∂L/∂b₀", grads.layers[0].b), show("∂L/∂x", dX))
        t.pause()

        t.step(
            "One SGD step",
            """
            θ ← θ − η·∂L/∂θ for every weight and bias, with η = 0.5 here so the change shows.
            The loss on the same four points goes down: the gradient pointed uphill.
            """)
        var sgd = SGD<MLP<Double>>(learningRate: 0.5, momentum: 0)
        sgd.step(&net, gradients: grads)
        let after = SoftmaxCrossEntropy.forward(net.forward(x, mode: .training).y, labels: labels).loss
        t.say("  L before: \(short(loss))   after one step: \(short(after))")
        t.pause()

        try gradientChecks(t, seed: common.seed)
    }

    /// The course's network and a linear classifier, through Σ R ⊙ scores and through
    /// the loss; throws when a check fails.
    static func gradientChecks(_ t: Terminal, seed: UInt64) throws {
        let checker = GradientChecker()
        t.step(
            "Gradient checks: the whole network",
            """
            Each backward pass against central finite differences of the forward pass (step
            h = \(NumberFormat.scientific(checker.step)), tolerance \(NumberFormat.scientific(checker.tolerance)) on the relative error), on 6 random
            points: first through s = Σ R ⊙ scores (R random, so every element of the
            backward pass is weighed differently), then through the loss itself.
            """)
        var random = SeededGenerator(seed: seed &+ 1)
        var reports: [GradientCheckReport] = []
        for widths in [[2, 20, 20, 2], [2, 2]] {
            let net = MLP<Double>(widths: widths, using: &random)
            let x = Matrix<Double>.uniform(rows: 6, columns: 2, bound: 2, using: &random)
            let labels = (0..<6).map { $0 % 2 }
            t.say("  \(widths.map(String.init).joined(separator: " → ")), through Σ R ⊙ scores:")
            let weighted = checker.check(net, at: x, mode: .training, using: &random)
            t.say(weighted.map { "    \($0)" }.joined(separator: "\n"))
            func loss(_ m: MLP<Double>, _ x: Matrix<Double>) -> Double {
                var copy = m
                return SoftmaxCrossEntropy.forward(copy.forward(x, mode: .training).y, labels: labels).loss
            }
            var probe = net
            let (scores, cache) = probe.forward(x, mode: .training)
            var grads = net.zeroed()
            let dX = net.backward(
                into: &grads,
                SoftmaxCrossEntropy.backward(cache: SoftmaxCrossEntropy.forward(scores, labels: labels).cache),
                cache: cache)
            let throughLoss =
                [checker.check("x", at: x, analytic: dX) { loss(net, $0) }]
                + checker.check(net, gradients: grads) { loss($0, x) }
            t.say("  \(widths.map(String.init).joined(separator: " → ")), through the loss:")
            t.say(throughLoss.map { "    \($0)" }.joined(separator: "\n"), "")
            reports += weighted + throughLoss
        }
        let failed = reports.filter { !$0.passed }
        guard failed.isEmpty else { throw ChecksFailed(count: failed.count) }
        t.say("All \(reports.count) checks pass: the backward pass agrees with the forward. Task 2 trains the MLP.")
    }
}
