import Learn

/// A picture of what a two-class network says everywhere in the plane: each pixel
/// coloured by the probability of class 1 at its centre, the boundary (probability ½)
/// drawn dark, and the data on top — training points as small squares, test points as
/// larger ones with a white outline.
struct DecisionRegions {
    /// The picture's width and height in pixels.
    let side = 400
    /// Three values a pixel, row after row from the top-left corner.
    private(set) var pixels: [UInt8]

    /// Class 0's colour and class 1's, for the points (dark) and the regions (pale).
    static let dark: [[Double]] = [[31, 90, 170], [214, 110, 20]]
    static let pale: [[Double]] = [[180, 205, 240], [250, 210, 170]]

    init(trainer: MLPTrainer) {
        let all = trainer.train.points.elements + trainer.test.points.elements
        let xs = stride(from: 0, to: all.count, by: 2).map { all[$0] }
        let ys = stride(from: 1, to: all.count, by: 2).map { all[$0] }
        // A square window round the points with a margin, so neither axis is stretched.
        let (cx, cy) = (((xs.min() ?? -1) + (xs.max() ?? 1)) / 2, ((ys.min() ?? -1) + (ys.max() ?? 1)) / 2)
        let half = max((xs.max() ?? 1) - (xs.min() ?? -1), (ys.max() ?? 1) - (ys.min() ?? -1)) / 2 + 0.3
        let n = side
        let step = 2 * half / Double(n)
        func coordinates(_ k: Int) -> (Double, Double) {
            (cx - half + (Double(k % n) + 0.5) * step, cy + half - (Double(k / n) + 0.5) * step)
        }
        let grid = Matrix<Float>(
            rows: n * n, columns: 2,
            elements: (0..<(n * n)).flatMap { k in
                let (x, y) = coordinates(k)
                return [Float(x), Float(y)]
            })
        let p = trainer.classOneProbability(at: grid)
        pixels = [UInt8](repeating: 0, count: 3 * n * n)
        for k in 0..<(n * n) {
            let q = Double(p[k])
            // Pale in the middle: the colour's strength is the network's certainty.
            let certainty = abs(2 * q - 1)
            let tint = q >= 0.5 ? Self.pale[1] : Self.pale[0]
            var colour = (0..<3).map { 255 - certainty * (255 - tint[$0]) }
            if abs(q - 0.5) < 0.015 { colour = [60, 60, 60] }  // the boundary
            for c in 0..<3 { pixels[3 * k + c] = UInt8(colour[c].rounded()) }
        }
        func pixel(_ x: Double, _ y: Double) -> (Int, Int) {
            (Int(((x - (cx - half)) / step).rounded(.down)), Int((((cy + half) - y) / step).rounded(.down)))
        }
        for (points, radius, outlined) in [(trainer.train, 2, false), (trainer.test, 3, true)] {
            for i in 0..<points.count {
                let (px, py) = pixel(points.points[i, 0], points.points[i, 1])
                let colour = Self.dark[points.labels[i]]
                if outlined { square(px, py, radius + 1, [255, 255, 255]) }
                square(px, py, radius, colour)
            }
        }
    }

    /// Fills the square of half-width `r` round (x, y), clipped to the picture.
    mutating func square(_ x: Int, _ y: Int, _ r: Int, _ colour: [Double]) {
        let (top, bottom, left, right) = (max(0, y - r), min(side - 1, y + r), max(0, x - r), min(side - 1, x + r))
        guard top <= bottom, left <= right else { return }  // wholly outside the picture
        for row in top...bottom {
            for column in left...right {
                for c in 0..<3 { pixels[3 * (row * side + column) + c] = UInt8(colour[c]) }
            }
        }
    }
}
