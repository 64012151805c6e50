import CommandLineOptions
import Foundation
import Learn

/// The finite-difference checks of part2-task1: both losses, every layer kind, and
/// (in Part2Task1+Networks.swift) a scaled-down generator and discriminator. Every
/// report is kept, so the chapter can end with a verdict.
///
/// A layer's output y is a matrix, so the checked scalar is s = sum(R ⊙ y) with R a
/// fixed random matrix: ∂s/∂y = R is the upstream gradient handed to the backward pass,
/// and every element of the backward pass is tested at once. Each evaluation runs a
/// fresh copy of the layer, so state that a forward pass changes (BatchNorm's running
/// statistics, Dropout's generator) is the same for every finite difference.
struct GANGradientChecks {
    let terminal: Terminal
    let checker = GradientChecker()
    /// N, the batch of every check.
    let n: Int
    var generator: SeededGenerator
    private(set) var reports: [GradientCheckReport] = []
    /// No check printed yet since the last step heading (which ends with a blank line).
    private var startOfStep = true

    init(terminal: Terminal, batch: Int, seed: UInt64) {
        (self.terminal, self.n) = (terminal, batch)
        generator = SeededGenerator(seed: seed &+ 2)
    }

    /// Uniform numbers in ±`bound`.
    mutating func random(_ rows: Int, _ columns: Int, bound: Double = 1) -> Matrix<Double> {
        .uniform(rows: rows, columns: columns, bound: bound, using: &generator)
    }

    /// Uniform numbers in ±`bound`, each at least 0.1 from 0, where the rectifiers
    /// have a kink that finite differences would straddle.
    mutating func awayFromZero(_ rows: Int, _ columns: Int) -> Matrix<Double> {
        random(rows, columns).map { $0 + ($0 < 0 ? -0.1 : 0.1) }
    }

    /// Checks a layer's input gradient and every parameter gradient through
    /// s = sum(R ⊙ layer(x)).
    mutating func check<L: Layer<Double>>(
        _ layer: L, at x: Matrix<Double>, mode: Mode, checker: GradientChecker = GradientChecker()
    ) -> [GradientCheckReport] {
        checker.check(layer, at: x, mode: mode, using: &generator)
    }

    /// Prints the heading of a check, then its reports, and keeps them.
    mutating func record(_ what: String, backward: String, _ newReports: [GradientCheckReport]) {
        if !startOfStep { terminal.say("") }
        startOfStep = false
        terminal.say("  \(what)", "  backward: \(backward)")
        for report in newReports { terminal.say("    \(report)") }
        reports += newReports
    }

    /// A step heading; the checks that follow print under it.
    mutating func step(_ title: String, _ explanation: String) {
        terminal.step(title, explanation)
        startOfStep = true
    }

    // MARK: The losses

    /// L_D's two logit gradients, and both generator losses, at moderate logits and at
    /// logits up to ±100 (where only the stable form survives).
    mutating func losses() {
        step(
            "Gradient checks: the losses",
            """
            Each loss is a scalar, so its finite differences are checked directly, for a
            batch of logits (step h = \(NumberFormat.scientific(checker.step)), tolerance \(NumberFormat.scientific(checker.tolerance)) on the relative error).
            Twice: N = \(n) random logits in ±3, and five logits as far out as ±100, where a
            naive σ-then-log would have produced log 0.
            """)
        // The extreme logits are fixed rather than random: a logit near −20 has a
        // gradient near 1e-10, which a loss of about 20 (from the logits at +100) cannot
        // resolve in Double — the check would then be testing rounding, not the formula.
        let extreme = Matrix<Double>([[-100], [-40], [0], [40], [100]])
        for (name, real, fake) in [
            ("logits in ±3", random(n, 1, bound: 3), random(n, 1, bound: 3)),
            ("logits −100, −40, 0, 40, 100", extreme, Matrix(extreme.elements.reversed().map { [$0] })),
        ] {
            let (dReal, dFake) = MinimaxLoss.discriminatorBackward(realLogits: real, fakeLogits: fake)
            record(
                "L_D, \(name)",
                backward: "∂L_D/∂ℓ_real = (σ(ℓ) − 1)/N; ∂L_D/∂ℓ_fake = σ(ℓ)/N",
                [
                    checker.check("ℓ_real", at: real, analytic: dReal) {
                        MinimaxLoss.discriminator(realLogits: $0, fakeLogits: fake).total
                    },
                    checker.check("ℓ_fake", at: fake, analytic: dFake) {
                        MinimaxLoss.discriminator(realLogits: real, fakeLogits: $0).total
                    },
                ])
            record(
                "L_G, both kinds, \(name)",
                backward: "minimax ∂L_G/∂ℓ = −σ(ℓ)/N; non-saturating ∂L_G/∂ℓ = (σ(ℓ) − 1)/N",
                [
                    checker.check("minimax ℓ_fake", at: fake, analytic: MinimaxLoss.generatorBackward(fakeLogits: fake))
                    {
                        MinimaxLoss.generator(fakeLogits: $0)
                    },
                    checker.check(
                        "non-saturating ℓ_fake", at: fake,
                        analytic: NonSaturatingLoss.generatorBackward(fakeLogits: fake)
                    ) { NonSaturatingLoss.generator(fakeLogits: $0) },
                ])
        }
        terminal.pause()
    }

    // MARK: The layers

    /// Every kind of layer the networks are built from, on an N×5 input.
    mutating func layers() {
        let features = 5
        step(
            "Gradient checks: every kind of layer",
            """
            Each layer on an N×\(features) input (N = \(n)), through s = sum(R ⊙ y) for a fixed
            random R, which is also the upstream gradient handed to the backward pass. Both
            the input gradient dx and every parameter gradient are checked.
            """)
        var linear = SeededGenerator(seed: generator.next())
        record(
            "Linear \(features) → 3, y = x·Wᵀ + b",
            backward: "dW = Rᵀ·x; db = Σ_rows R; dx = R·W",
            check(
                Linear<Double>(inputs: features, outputs: 3, using: &linear), at: random(n, features), mode: .training))
        record(
            "LeakyReLU(0.2) (inputs kept 0.1 away from the kink at 0)",
            backward: "dx = R ⊙ (x > 0 ? 1 : 0.2)",
            check(LeakyReLU<Double>(slope: 0.2), at: awayFromZero(n, features), mode: .training))
        record(
            "ReLU (the digit classifier's activation)",
            backward: "dx = R ⊙ (x > 0 ? 1 : 0)",
            check(ReLU<Double>(), at: awayFromZero(n, features), mode: .training))
        record(
            "tanh (G's output)", backward: "dx = R ⊙ (1 − y²)",
            check(Tanh<Double>(), at: random(n, features, bound: 3), mode: .training))
        record(
            "σ", backward: "dx = R ⊙ y(1 − y)",
            check(Sigmoid<Double>(), at: random(n, features, bound: 3), mode: .training))

        var norm = BatchNorm<Double>(features: features)
        norm.gamma = random(1, features).map { 1 + $0 }
        norm.beta = random(1, features)
        record(
            "BatchNorm in training mode: μ and σ² are this batch's, so they depend on x",
            backward: "dγ = Σ_rows R ⊙ x̂; dβ = Σ_rows R; dx̂ = R ⊙ γ;\n"
                + "            dx = (N dx̂ − Σ_rows dx̂ − x̂ ⊙ Σ_rows(dx̂ ⊙ x̂)) / (N √(σ² + ε))",
            check(norm, at: random(n, features, bound: 2), mode: .training))
        norm.runningMean = random(1, features)
        norm.runningVariance = random(1, features).map { 1.5 + $0 }
        record(
            "BatchNorm in evaluation mode: the running statistics are constants",
            backward: "dγ, dβ as above; dx = R ⊙ γ / √(running σ² + ε)",
            check(norm, at: random(n, features), mode: .evaluation))

        let dropout = Dropout<Double>(probability: 0.4, seed: generator.next())
        record(
            "Dropout(p = 0.4) while training (the copy in each evaluation draws the same mask)",
            backward: "dx = R ⊙ m, with m the scaled mask (0 or 1/(1 − p))",
            check(dropout, at: random(n, features), mode: .training))
        record(
            "Dropout in evaluation: the identity",
            backward: "dx = R",
            check(dropout, at: random(n, features), mode: .evaluation))
        terminal.pause()
    }

    /// The verdict over every check made; throws when any failed.
    func summary() throws {
        let failed = reports.filter { !$0.passed }
        let elements = reports.reduce(0) { $0 + $1.count }
        // The worst error under each tolerance in use, tightest first.
        let worst = Set(reports.map(\.tolerance)).sorted().map { tolerance in
            let error = reports.filter { $0.tolerance == tolerance }.map(\.worstError).max() ?? 0
            return "\(NumberFormat.scientific(error)) against a tolerance of \(NumberFormat.scientific(tolerance))"
        }
        terminal.step(
            "Summary",
            """
            \(reports.count) matrices checked, \(elements) numbers in all. The worst relative error was
            \(worst.joined(separator: ",\n"))\(worst.count > 1 ? " (the whole networks)" : "").
            """)
        if failed.isEmpty {
            terminal.say("Every backward pass agrees with finite differences. Task 2 trains these networks.")
        } else {
            for report in failed { terminal.say("  \(report)") }
            throw ChecksFailed(count: failed.count)
        }
    }
}
