import Learn

/// Assignment 2's own kind: the whole MLP. (Its layers, loss and optimisers are the
/// kinds Assignment 3 shares with it.)
extension FixtureRunner {
    /// An MLP of `options.widths` = [inputs, hidden…, classes], x → scores, loaded with
    /// the case's parameters (`0.w`, `0.b`, `2.w`, … as `nn.Sequential` numbers them),
    /// forward then backward from R.
    static func mlp(_ r: inout FixtureReading) throws -> Computation {
        let widths = try r.counts("widths")
        guard widths.count >= 2 else {
            throw r.failure("options.widths must list at least the input and the output width, got \(widths)")
        }
        // Sized before it is built, so that a typo such as a width of 10⁸ is an error
        // rather than gigabytes of random weights.
        let needed = zip(widths, widths.dropFirst()).reduce(0.0) { $0 + Double($1.0) * Double($1.1) + Double($1.1) }
        let held = r.fixture.parameters.values.reduce(0) { $0 + $1.count }
        guard needed <= Double(held) else {
            throw r.failure(
                "options.widths \(widths) describe an MLP of \(Int(min(needed, 1e18))) parameters, "
                    + "but the case's parameters hold only \(held) numbers")
        }
        let x = try r.input("x", "N", .fixed(widths[0]))
        var random = SeededGenerator(seed: 0)
        let net = try r.load(MLP<Double>(widths: widths, using: &random))
        return try layerStep(net, x: x, y: try r.output("scores", "N", .fixed(widths[widths.count - 1])), &r)
    }
}
