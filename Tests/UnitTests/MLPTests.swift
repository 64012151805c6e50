import Learn
import LearnTesting
import Testing

/// The MLP: Linear → ReLU → … → Linear, named as PyTorch's nn.Sequential, its forward
/// pass the composition of its layers and nothing more.
@Suite("The MLP")
struct MLPTests {
    func network(_ widths: [Int], seed: UInt64 = 1) -> MLP<Double> {
        var random = SeededGenerator(seed: seed)
        return MLP(widths: widths, using: &random)
    }

    @Test("widths [2, 20, 20, 2] give three layers named 0, 2 and 4, with 502 parameters")
    func shapes() {
        let net = network([2, 20, 20, 2])
        #expect(net.layers.map(\.w.shapeDescription) == ["20×2", "20×20", "2×20"])
        #expect(net.parameters.map(\.name) == ["0.w", "0.b", "2.w", "2.b", "4.w", "4.b"])
        #expect(net.parameterCount == 2 * 20 + 20 + 20 * 20 + 20 + 20 * 2 + 2)
        #expect(net.widths == [2, 20, 20, 2])
    }

    @Test(
        "forward is Linear, ReLU, Linear, ReLU, Linear: the layers composed, no ReLU on the scores",
        .requires(.mlp))
    func composition() {
        var net = network([3, 4, 5, 2])
        net.layers[2].b = Matrix(rows: 1, columns: 2, elements: [-10, -10])  // scores below 0, unless a ReLU follows
        var x = SeededGenerator(seed: 2)
        let input = Matrix<Double>.uniform(rows: 6, columns: 3, bound: 2, using: &x)
        let relu: (Matrix<Double>) -> Matrix<Double> = { $0.map { max($0, 0) } }
        func affine(_ a: Matrix<Double>, _ layer: Linear<Double>) -> Matrix<Double> {
            Matrix.product(a, layer.w, transposeB: true).addingRow(layer.b)
        }
        let expected = affine(relu(affine(relu(affine(input, net.layers[0])), net.layers[1])), net.layers[2])
        let scores = net.forward(input, mode: .training).y
        let worst = zip(scores.elements, expected.elements).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < 1e-12, "largest difference \(worst)")
        #expect(scores.elements.contains { $0 < 0 }, "no negative score: is a ReLU applied to the output?")
    }

    @Test("one layer is a linear classifier: widths [2, 2]", .requires(.mlp))
    func oneLayer() {
        var net = network([2, 2])
        #expect(net.layers.count == 1)
        let x = Matrix<Double>(rows: 1, columns: 2, elements: [1, -1])
        let y = net.forward(x, mode: .evaluation).y
        let layer = net.layers[0]
        #expect(abs(y[0, 0] - (layer.w[0, 0] - layer.w[0, 1] + layer.b[0, 0])) < 1e-12)
    }

}
