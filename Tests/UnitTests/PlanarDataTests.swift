import Foundation
import Learn
import Testing

/// Moons and circles as scikit-learn makes them: the noiseless points pinned to its
/// (`Fixtures/datasets`, written by `Fixtures/datasets.py`), the noise and the split Learn's own.
@Suite("Moons and circles")
struct PlanarDataTests {
    /// One case of a fixture file: the points scikit-learn gave for `samples`.
    struct Case: Decodable {
        var samples: Int
        var points: [[Double]]
        var labels: [Int]
    }

    /// A fixture file: its cases and the generator it came from.
    struct File: Decodable {
        var generator: String
        var cases: [Case]
    }

    static func fixture(_ name: String) throws -> File {
        try JSONDecoder().decode(
            File.self, from: Data(contentsOf: PackageDirectory.appending("Fixtures/datasets/\(name)")))
    }

    /// Every point within 1e-12 of scikit-learn's, in its order, with its label.
    func expectPinned(_ learn: LabelledPoints, to fixture: Case, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(learn.labels == fixture.labels, sourceLocation: sourceLocation)
        #expect(learn.count == fixture.points.count, sourceLocation: sourceLocation)
        for (n, point) in fixture.points.enumerated() where n < learn.count {
            let (x1, x2) = (learn.points[n, 0], learn.points[n, 1])
            #expect(
                abs(x1 - point[0]) <= 1e-12 && abs(x2 - point[1]) <= 1e-12,
                "point \(n) of \(fixture.samples): Learn (\(x1), \(x2)), scikit-learn (\(point[0]), \(point[1]))",
                sourceLocation: sourceLocation)
        }
    }

    @Test("noiseless moons are scikit-learn's make_moons, point by point, odd counts too")
    func moons() throws {
        let file = try Self.fixture("moons.json")
        #expect(file.generator == "sklearn.datasets.make_moons")
        #expect(file.cases.map(\.samples).sorted() == [2, 7, 1000])
        for fixture in file.cases { expectPinned(Moons.noiseless(count: fixture.samples), to: fixture) }
    }

    @Test("noiseless circles are scikit-learn's make_circles with factor 0.8, point by point, odd counts too")
    func circles() throws {
        let file = try Self.fixture("circles.json")
        #expect(file.generator == "sklearn.datasets.make_circles")
        for fixture in file.cases { expectPinned(Circles.noiseless(count: fixture.samples), to: fixture) }
    }

    @Test("noise moves every coordinate by a normal of the asked standard deviation", arguments: [0.2, 0.05])
    func noise(sigma: Double) {
        var random = SeededGenerator(seed: 1)
        let clean = Moons.noiseless(count: 10_000)
        let noisy = clean.addingNoise(sigma, using: &random)
        let moves = zip(noisy.points.elements, clean.points.elements).map { $0 - $1 }
        let mean = moves.reduce(0, +) / Double(moves.count)
        let sd = (moves.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(moves.count)).squareRoot()
        #expect(abs(mean) < 0.01 * 4 * sigma && abs(sd - sigma) < 0.02 * sigma, "mean \(mean), sd \(sd)")
        #expect(noisy.labels == clean.labels)
    }

    @Test("the course's data: 1,000 points, 800 to train and 200 to test, disjoint, both classes in each, seeded")
    func split() {
        for dataset in PlanarDataset.allCases {
            var a = SeededGenerator(seed: 5)
            var b = SeededGenerator(seed: 5)
            let points = dataset.points(count: 1_000, noise: dataset.defaultNoise, using: &a)
            let (train, test) = points.split(using: &a)
            #expect(train.count == 800 && test.count == 200)
            #expect(Set(train.labels) == [0, 1] && Set(test.labels) == [0, 1])
            let again = dataset.points(count: 1_000, noise: dataset.defaultNoise, using: &b).split(using: &b)
            #expect(again.train.points == train.points && again.test.labels == test.labels, "not reproducible")
            // Every point lands in exactly one part.
            let all = (train.points.elements + test.points.elements)
            #expect(all.sorted() == points.points.elements.sorted())
        }
    }

    @Test("NumPy's linspace: with the end point the last value is exactly the stop, without it one step short")
    func linspace() {
        #expect(LabelledPoints.linspace(0, .pi, 3, endpoint: true) == [0, .pi / 2, .pi])
        #expect(LabelledPoints.linspace(0, 1, 4, endpoint: false) == [0, 0.25, 0.5, 0.75])
        #expect(LabelledPoints.linspace(2, 3, 1, endpoint: true) == [2])
        #expect(LabelledPoints.linspace(2, 3, 0, endpoint: true).isEmpty)
    }
}
