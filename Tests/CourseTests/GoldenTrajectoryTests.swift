import Foundation
import Learn
import LearnCourse
import Testing

/// The comparison behind the regression goldens: what counts as moved, and how it is told.
@Suite("Golden trajectories")
struct GoldenTrajectoryTests {
    let recorded = GoldenTrajectory(
        name: "toy", description: "three steps", seed: 0,
        tolerance: .init(relative: 1e-4, floor: 1e-3),
        series: ["loss": [2.0, 1.0, 0.5], "accuracy": [0.1, 0.2, 0.3]])

    @Test("an identical run is identical; a move within the tolerance passes but is counted")
    func identicalAndWithin() {
        #expect(recorded.compare(with: recorded).identical)
        var near = recorded
        near.series["loss"]![1] = 1.00005  // relative 5e-5 ≤ 1e-4
        let comparison = recorded.compare(with: near)
        #expect(comparison.passed && !comparison.identical)
        #expect(
            "\(comparison)".contains("loss: 1 of 3 values changed, largest at step 2: 1.0 → 1.00005"), "\(comparison)")
    }

    @Test("a move beyond the tolerance fails, naming the series, the step and both values")
    func beyond() {
        var moved = recorded
        moved.series["loss"]![2] = 0.6
        moved.series["loss"]![1] = 1.001
        let comparison = recorded.compare(with: moved)
        #expect(!comparison.passed)
        let text = "\(comparison)"
        for fragment in [
            "toy: CHANGED", "largest at step 3: 0.5 → 0.6", "2 beyond tolerance, the first at step 2",
            "accuracy: all 3 values identical",
        ] {
            #expect(text.contains(fragment), "missing \"\(fragment)\" in:\n\(text)")
        }
    }

    @Test("NaN, a missing series, a new series and another length all fail")
    func structuralChanges() {
        var nan = recorded
        nan.series["accuracy"]![0] = .nan
        #expect(!recorded.compare(with: nan).passed)
        var missing = recorded
        missing.series["accuracy"] = nil
        #expect(recorded.compare(with: missing).problems == ["series accuracy is missing from the new run"])
        var added = recorded
        added.series["gLoss"] = [1, 2, 3]
        #expect(recorded.compare(with: added).problems == ["series gLoss is new (not in the recording)"])
        var shorter = recorded
        shorter.series["loss"] = [2, 1]
        #expect(!recorded.compare(with: shorter).passed)
    }

    @Test("save and load give back the same trajectory, bit for bit; a broken file is a clear error")
    func roundTrip() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("golden-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        var exact = recorded
        exact.series["loss"] = [0.1, 2.302_585_092_994_046, 1e-300]
        try exact.save(to: url)
        #expect(try GoldenTrajectory.load(from: url) == exact)
        try Data("{\"name\": 1}".utf8).write(to: url)
        #expect {
            try GoldenTrajectory.load(from: url)
        } throws: { error in
            "\(error)".hasPrefix(url.path + ": is not a golden trajectory")
        }
    }
}
