/// Points in the plane with a class each: the data of Assignment 2's MLP (``Moons``,
/// ``Circles``).
///
/// Shapes: `points` N×2, one point (x₁, x₂) per row; `labels` N classes in 0..<2.
public struct LabelledPoints: Sendable {
    /// The points, N×2.
    public var points: Matrix<Double>
    /// The class of each point.
    public var labels: [Int]

    /// Points and their classes; there must be one label per row.
    public init(points: Matrix<Double>, labels: [Int]) {
        ensure(points.columns == 2, "LabelledPoints: points must be N×2, got \(points.shapeDescription)")
        ensure(points.rows == labels.count, "LabelledPoints: \(points.rows) points but \(labels.count) labels")
        (self.points, self.labels) = (points, labels)
    }

    /// The number of points.
    public var count: Int { labels.count }

    /// The points as the network reads them, in Float.
    public var inputs: Matrix<Float> {
        Matrix(rows: points.rows, columns: 2, elements: points.elements.map(Float.init))
    }

    /// The points at `indices`, in that order.
    public func selecting(_ indices: [Int]) -> LabelledPoints {
        LabelledPoints(
            points: Matrix(rows: indices.count, columns: 2, elements: indices.flatMap { points.row($0) }),
            labels: indices.map { labels[$0] })
    }

    /// Every coordinate moved by Gaussian noise of standard deviation `noise`, drawn from
    /// `random` point by point (x₁ then x₂), as scikit-learn adds it.
    public func addingNoise(_ noise: Double, using random: inout SeededGenerator) -> LabelledPoints {
        ensure(noise >= 0 && noise.isFinite, "noise must be a finite standard deviation ≥ 0, got \(noise)")
        var moved = self
        if noise > 0 {
            for k in 0..<moved.points.count { moved.points.elements[k] += noise * random.normal() }
        }
        return moved
    }

    /// The points shuffled by `random` and cut in two: the first `trainFraction` of them
    /// (rounded to the nearest point) for training, the rest for testing — scikit-learn's
    /// `train_test_split(test_size = 1 − trainFraction)`. Both parts keep at least one point.
    public func split(
        trainFraction: Double = 0.8, using random: inout SeededGenerator
    ) -> (
        train: LabelledPoints, test: LabelledPoints
    ) {
        ensure(count >= 2, "a split needs at least 2 points, got \(count)")
        ensure(trainFraction > 0 && trainFraction < 1, "trainFraction must lie in (0, 1), got \(trainFraction)")
        var order = Array(0..<count)
        random.shuffle(&order)
        let cut = min(max(Int((Double(count) * trainFraction).rounded()), 1), count - 1)
        return (selecting(Array(order[..<cut])), selecting(Array(order[cut...])))
    }

    /// NumPy's `linspace(start, stop, n, endpoint)`: n evenly spaced values, the last one
    /// exactly `stop` when the end point is included.
    public static func linspace(_ start: Double, _ stop: Double, _ n: Int, endpoint: Bool) -> [Double] {
        guard n > 1 else { return n == 1 ? [start] : [] }
        let step = (stop - start) / Double(endpoint ? n - 1 : n)
        var values = (0..<n).map { start + Double($0) * step }
        if endpoint { values[n - 1] = stop }
        return values
    }

    /// Two classes of points: the first `first.count` of class 0, then the second's of class 1.
    static func classes(_ first: [(Double, Double)], _ second: [(Double, Double)]) -> LabelledPoints {
        let all = first + second
        return LabelledPoints(
            points: Matrix(rows: all.count, columns: 2, elements: all.flatMap { [$0.0, $0.1] }),
            labels: [Int](repeating: 0, count: first.count) + [Int](repeating: 1, count: second.count))
    }
}
