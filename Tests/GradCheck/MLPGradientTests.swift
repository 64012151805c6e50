import Learn
import LearnTesting
import Testing

/// Finite differences for the whole MLP of Assignment 2: every weight and bias of every
/// layer, and the input, through the ReLUs (inputs and weights kept where no unit sits
/// on its kink).
@Suite("Gradient checks: the MLP")
struct MLPGradientTests {
    @Test("the MLP, widths [3, 6, 5, 2] and [2, 2]", .requires(.mlp), arguments: [[3, 6, 5, 2], [2, 2]])
    func mlp(widths: [Int]) throws {
        var random = SeededGenerator(seed: 21)
        let net = MLP<Double>(widths: widths, using: &random)
        let x = Matrix<Double>.uniform(rows: 4, columns: widths[0], bound: 2, using: &random)
        var probe = net
        let (_, cache) = probe.forward(x, mode: .training)
        // A pre-activation within 1e-3 of 0 would put a finite difference across the kink.
        let nearKink = cache.preactivations.flatMap(\.elements).map(abs).min() ?? 1
        try #require(nearKink > 1e-3, "a unit sits at its kink (\(nearKink)); pick another seed")
        var generator = SeededGenerator(seed: 22)
        expectAllPass(checker.check(net, at: x, mode: .training, using: &generator))
    }
}
