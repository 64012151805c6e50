import CommandLineOptions
import Foundation
import Learn

/// part2-task1's checks of whole networks: a scaled-down generator and discriminator
/// built by the same code as the real ones, and G's loss through D.
extension GANGradientChecks {
    /// The scaled-down architecture the whole-network checks run (``GANArchitecture/small``).
    static var small: GANArchitecture { .small }

    /// The batch of the whole-network checks: larger than the layers' N, because batch
    /// normalisation over a handful of rows can meet a unit whose values nearly agree,
    /// and dividing by that tiny spread magnifies rounding beyond what the checker allows.
    static let networkBatch = 8

    /// The checker for whole networks: ten times the tolerance and floor of the one for
    /// single layers. Thirteen layers of rounding, batch normalisation dividing by a
    /// batch's spread, and outputs summed over N×7 numbers leave a correct gradient with
    /// relative errors near 1e-6, and a gradient of exactly 0 measured as about ±1e-10.
    /// A wrong formula still gives errors near 1.
    static let networkChecker = GradientChecker(tolerance: 1e-5, floor: 1e-3)

    /// Whether finite differences can see `network`'s gradient at `x` (run in training
    /// mode from a fresh copy, as the checks run it).
    ///
    /// They cannot near a kink: if a rectifier's input lies within a step of 0, the two
    /// evaluations straddle the corner and measure the average of the two slopes, while
    /// the backward pass (rightly) uses one. Nor where batch normalisation divides by a
    /// feature's tiny spread over the batch: each step of h then moves its output by h
    /// divided by that spread, far enough to reach a kink further on, and the curvature
    /// grows until a central difference is no longer accurate. The checks redraw their
    /// inputs until every rectifier input is at least `margin` from 0 and every
    /// normalised feature spreads at least `spread` (standard deviation over the batch).
    static func isClear(
        _ g: Generator<Double>, at z: Matrix<Double>, margin: Double = 1e-3, spread: Double = 0.05
    ) -> Bool {
        var g = g
        var h = z
        guard clearOfKinks(g.input.linear.forward(h, mode: .training).y, margin: margin) else { return false }
        h = g.input.forward(h, mode: .training).y
        for k in g.hidden.indices {
            let a = g.hidden[k].linear.forward(h, mode: .training).y
            guard spreads(a, by: spread) else { return false }
            guard clearOfKinks(g.hidden[k].norm.forward(a, mode: .training).y, margin: margin) else { return false }
            h = g.hidden[k].forward(h, mode: .training).y
        }
        return true
    }

    /// The same for D: every
    /// LeakyReLU input at least `margin` from 0.
    static func isClear(_ d: Discriminator<Double>, at x: Matrix<Double>, margin: Double = 1e-3) -> Bool {
        var d = d
        var h = x
        for k in d.hidden.indices {
            guard clearOfKinks(d.hidden[k].linear.forward(h, mode: .training).y, margin: margin) else { return false }
            h = d.hidden[k].forward(h, mode: .training).y
        }
        return true
    }

    /// True when no element of a rectifier's input `a` lies within `margin` of 0.
    static func clearOfKinks(_ a: Matrix<Double>, margin: Double) -> Bool {
        !a.elements.contains { abs($0) < margin }
    }

    /// True when every feature (column) of `a` has a standard deviation over the batch
    /// of at least `spread`.
    static func spreads(_ a: Matrix<Double>, by spread: Double) -> Bool {
        let n = Double(a.rows)
        let mean = a.sumOverRows().map { $0 / n }
        let centred = a - Matrix(rows: a.rows, repeatingRow: mean)
        let variance = (centred * centred).sumOverRows().map { $0 / n }
        return !variance.elements.contains { $0 < spread * spread }
    }

    /// The small networks and the inputs of their three checks.
    struct NetworkExample {
        var g: Generator<Double>, d: Discriminator<Double>
        /// G's input for G alone, D's input for D alone, G's input for G through D.
        var zAlone: Matrix<Double>, x: Matrix<Double>, z: Matrix<Double>
    }

    /// Draws weights and inputs until every check's inputs are clear (see ``isClear``):
    /// usually the first or second draw. Whether a batch-normalised unit spreads
    /// depends on the weights as much as on the inputs, so both are redrawn.
    mutating func networkExample() -> NetworkExample {
        let (a, n) = (Self.small, Self.networkBatch)
        var example: NetworkExample
        var attempts = 0
        repeat {
            var weights = SeededGenerator(seed: generator.next())
            let g: Generator<Double> = a.generator(using: &weights)
            let d: Discriminator<Double> = a.discriminator(using: &weights)
            example = NetworkExample(
                g: g, d: d, zAlone: random(n, a.noiseSize, bound: 2), x: random(n, a.imageSize),
                z: random(n, a.noiseSize))
            attempts += 1
        } while attempts < 1000
            && !(Self.isClear(example.g, at: example.zAlone) && Self.isClear(example.d, at: example.x)
                && Self.isClear(example.g, at: example.z)
                && Self.isClear(example.d, at: Self.generate(example.g, example.z)))
        return example
    }

    /// G(z) in training mode, from a fresh copy of G.
    static func generate(_ g: Generator<Double>, _ z: Matrix<Double>) -> Matrix<Double> {
        var copy = g
        return copy.forward(z, mode: .training).y
    }

    /// The whole of G, the whole of D, and G's loss through D — the gradient G's
    /// training step uses.
    mutating func wholeNetworks() {
        let a = Self.small
        let n = Self.networkBatch
        let example = networkExample()
        let (gNet, dNet) = (example.g, example.d)
        step(
            "Gradient checks: a whole generator and discriminator",
            """
            The real networks have 2 million parameters — too many for finite differences,
            each of which needs two forward passes. The same code at a smaller size is just
            as good a test: G is \(a.noiseSize) → \(a.generatorWidths.map(String.init).joined(separator: " → ")) → \(a.imageSize), with batch normalisation
            and LeakyReLU as in the real G and a tanh output (\(gNet.parameterCount) parameters), and D is
            \(a.imageSize) → \(a.discriminatorWidths.map(String.init).joined(separator: " → ")) → 1 with LeakyReLU and dropout \(short(a.dropout)) (\(dNet.parameterCount) parameters), on a batch
            of N = \(n). Each network's backward pass calls its blocks' backward passes in
            reverse order, and each block its layers', unwinding the caches the forward pass
            kept. Parameter names are "<layer>.<name>", numbered as PyTorch numbers the
            layers of an nn.Sequential. Inputs are drawn so that no LeakyReLU input lies within 0.001
            of its kink at 0, where a finite difference would straddle the corner, and no
            normalised unit is nearly constant over the batch (weights and inputs are redrawn
            until both hold).

            Expect larger errors than for single layers: every forward pass rounds at each
            of a dozen layers, and batch normalisation divides by the batch's spread. Some
            gradients are exactly 0 — a bias just before batch normalisation (2.b, 5.b in G)
            is cancelled by the mean the normalisation subtracts — and their finite
            differences are pure rounding noise, about ±1e-10. So these checks allow a
            relative error of \(NumberFormat.scientific(Self.networkChecker.tolerance)) with a floor of \(NumberFormat.scientific(Self.networkChecker.floor)) (ten times the layers'); a
            wrong formula still gives errors near 1.
            """)
        record(
            "G alone, s = sum(R ⊙ G(z)), batch normalisation in training mode",
            backward: "each layer's backward, last to first",
            check(gNet, at: example.zAlone, mode: .training, checker: Self.networkChecker))
        record(
            "D alone, s = sum(R ⊙ ℓ(x)), dropout masks fixed by D's own generator",
            backward: "each layer's backward, last to first",
            check(dNet, at: example.x, mode: .training, checker: Self.networkChecker))

        // G's loss through D: what G's training step differentiates. D's weights only
        // carry the gradient back to the image; only G's gradients are checked.
        let z = example.z
        func loss(_ g: Generator<Double>) -> Double {
            var d = dNet
            return NonSaturatingLoss.generator(fakeLogits: d.forward(Self.generate(g, z), mode: .training).y)
        }
        var (gRun, dRun) = (gNet, dNet)
        let (fake, gCache) = gRun.forward(z, mode: .training)
        let (logits, dCache) = dRun.forward(fake, mode: .training)
        let dFake = dNet.inputGradient(NonSaturatingLoss.generatorBackward(fakeLogits: logits), cache: dCache)
        var gGrads = gNet.zeroed()
        _ = gNet.backward(into: &gGrads, dFake, cache: gCache)
        record(
            "G's non-saturating loss through D, L_G = −mean log σ(D(G(z)))",
            backward: "∂L_G/∂ℓ; D's input gradient alone (D is not being trained); then G's backward",
            Self.networkChecker.check(gNet, gradients: gGrads, loss))
        terminal.pause()
    }
}
