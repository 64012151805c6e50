/// Ready-made checks for the two kinds of piece whose backward pass returns an input
/// gradient as well as parameter gradients: a layer and a recurrent gate.
///
/// A piece with a matrix output y is checked through the scalar
///
///     s = Σ R ⊙ y        (R a random matrix of y's shape)
///
/// whose gradient with respect to y is exactly R; so R is also the upstream gradient
/// handed to the backward pass, and one check tests every element of that pass, each
/// weighted by a different number — not just a vector of ones.
extension GradientChecker {
    /// s = Σ R ⊙ y, the objective above.
    public static func weightedSum(_ y: Matrix<Double>, by r: Matrix<Double>) -> Double {
        (y * r).sum()
    }

    /// Checks a layer's ∂s/∂x and every parameter gradient at `x`, with R drawn
    /// uniform in ±1 from `generator`. Each evaluation runs a fresh copy of the layer,
    /// so its state (running statistics, the dropout generator) is the same every time.
    public func check<L: Layer<Double>>(
        _ layer: L, at x: Matrix<Double>, mode: Mode, using generator: inout SeededGenerator
    ) -> [GradientCheckReport] {
        var probe = layer
        let (y, cache) = probe.forward(x, mode: mode)
        let r = Matrix<Double>.uniform(rows: y.rows, columns: y.columns, bound: 1, using: &generator)
        var grads = layer.zeroed()
        let dX = layer.backward(into: &grads, r, cache: cache)
        func s(_ l: L, _ x: Matrix<Double>) -> Double {
            var copy = l
            return Self.weightedSum(copy.forward(x, mode: mode).y, by: r)
        }
        return [check("x", at: x, analytic: dX) { s(layer, $0) }] + check(layer, gradients: grads) { s($0, x) }
    }

    /// Checks a gate's three parameter gradients and its two input gradients, ∂s/∂x(t)
    /// and ∂s/∂h(t−1), with R drawn uniform in ±1 from `generator`.
    public func check<Gate: RecurrentGate<Double>>(
        _ gate: Gate, x: Matrix<Double>, prevH: Matrix<Double>, using generator: inout SeededGenerator
    ) -> [GradientCheckReport] {
        let (y, cache) = gate.forward(x: x, prevH: prevH)
        let r = Matrix<Double>.uniform(rows: y.rows, columns: y.columns, bound: 1, using: &generator)
        var grads = gate.zeroed()
        let (dX, dPrevH) = gate.backward(into: &grads, r, cache: cache)
        func s(_ g: Gate, _ x: Matrix<Double>, _ prevH: Matrix<Double>) -> Double {
            Self.weightedSum(g.forward(x: x, prevH: prevH).y, by: r)
        }
        return check(gate, gradients: grads) { s($0, x, prevH) }
            + [
                check("x", at: x, analytic: dX) { s(gate, $0, prevH) },
                check("h(t−1)", at: prevH, analytic: dPrevH) { s(gate, x, $0) },
            ]
    }
}

extension GradientChecker {
    /// Checks an image layer's ∂s/∂x and every parameter gradient at `x`, as
    /// ``check(_:at:mode:using:)-(L,_,_,_)`` does a layer's: s = Σ R ⊙ y with R drawn uniform
    /// in ±1 from `generator`, each evaluation on a fresh copy of the layer. The input and
    /// its gradient are compared as N × (C·H·W) matrices (`FeatureMaps/flattened()`),
    /// so the report's (row, column) is (image, element within the image in CHW order).
    public func check<L: FeatureMapLayer<Double>>(
        _ layer: L, at x: FeatureMaps<Double>, mode: Mode, using generator: inout SeededGenerator
    ) -> [GradientCheckReport] {
        var probe = layer
        let (y, cache) = probe.forward(x, mode: mode)
        let r = Matrix<Double>.uniform(
            rows: y.batchSize, columns: y.count / max(y.batchSize, 1), bound: 1, using: &generator)
        let dY = FeatureMaps(unflattening: r, channels: y.channels, height: y.height, width: y.width)
        var grads = layer.zeroed()
        let dX = layer.backward(into: &grads, dY, cache: cache)
        func s(_ l: L, _ x: FeatureMaps<Double>) -> Double {
            var copy = l
            return Self.weightedSum(copy.forward(x, mode: mode).y.flattened(), by: r)
        }
        let images = { (m: Matrix<Double>) in
            FeatureMaps(unflattening: m, channels: x.channels, height: x.height, width: x.width)
        }
        return [check("x", at: x.flattened(), analytic: dX.flattened()) { s(layer, images($0)) }]
            + check(layer, gradients: grads) { s($0, x) }
    }
}
