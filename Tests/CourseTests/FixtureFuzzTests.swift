import Foundation
import Learn
import LearnCourse
import LearnTesting
import Testing

/// The case and answers loaders under a seeded fuzz pass (see the file readers' in
/// UnitTests): mutated files must load or throw, never trap or hang.
@Suite("Fuzzing the case loader")
struct FixtureFuzzTests {
    @Test("mutated case files load or throw a FixtureError")
    func caseFiles() async {
        await #expect(processExitsWith: .success) {
            alarm(60)
            let files = ["equations/hidden-state.json", "models/lstm-T3-H4.json", "optimizers/adam-gan.json"].map {
                [UInt8](
                    FileManager.default.contents(
                        atPath: FixtureCase.defaultDirectory.appendingPathComponent($0).path) ?? Data())
            }
            var mutator = Mutator(seed: 4)
            for round in 0..<20_000 {
                let bytes = mutator.mutate(files[round % files.count])
                _ = try? FixtureCase(data: Data(bytes), source: "fuzz")
            }
        }
    }

    @Test("mutated answers files decode or throw a FixtureError")
    func answersFiles() async {
        await #expect(processExitsWith: .success) {
            alarm(60)
            let answers = Array(
                """
                {"cases": {"layers/linear-worked-example": {
                   "outputs":   {"y": {"shape": [1, 2], "values": [-1.25, 1.5]}},
                   "gradients": {"x": {"shape": [1, 2], "values": [4.5, -1.0]},
                                 "w": {"shape": [2, 2], "values": [1.0, 2.0, 2.0, "NaN"]},
                                 "b": {"shape": [1, 2], "values": [1.0, 2.0]}}},
                  "equations/cell-state": {"outputs": {"c": {"shape": [1, 1], "values": [1e308]}}}}}
                """.utf8)
            var mutator = Mutator(seed: 5)
            for _ in 0..<20_000 {
                _ = try? AnswersFile(data: Data(mutator.mutate(answers)), source: "fuzz")
            }
        }
    }
}
