import Foundation
import Learn
import LearnCourse
import LearnTesting
import Testing

/// The fixture-case loader under a seeded fuzz pass (see the file readers' in
/// UnitTests): mutated case files must load or throw, never trap or hang.
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
}
