import Learn
import LearnCourse
import LearnTesting
import Testing

/// Regression goldens: the first 100 steps of seeded LSTM and GAN training must
/// reproduce the trajectories recorded in `Fixtures/goldens` within their stated
/// tolerance. A failure prints, per series, what moved and by how much; after an
/// intended numeric change, re-record with `swift run -c release Course goldens --record`.
@Suite("Regression goldens", .tags(.training))
struct GoldenTests {
    @Test(
        "a seeded run reproduces its recorded trajectory", .requires(Piece.palindromeTraining + Piece.ganTraining),
        arguments: GoldenRun.allCases)
    func reproduces(_ run: GoldenRun) throws {
        let recorded = try GoldenTrajectory.load(from: run.file)
        #expect(recorded.name == run.rawValue)
        #expect(
            recorded.series.values.allSatisfy { $0.count == GoldenRun.steps }, "\(recorded.series.mapValues(\.count))")
        let comparison = recorded.compare(with: try run.run())
        #expect(comparison.passed, "\(comparison)")
    }
}
