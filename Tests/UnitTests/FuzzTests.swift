import Foundation
import Learn
import LearnTesting
import Testing

/// A seeded fuzz pass over the readers of untrusted files: thousands of almost-valid
/// inputs each, every one of which must end in a thrown error or a success. A trap
/// kills the child process the loop runs in (and fails the test), a hang is ended by a
/// 60-second alarm, and unbounded memory by an 8 GiB address-space limit.
@Suite("Fuzzing the file readers")
struct FuzzTests {
    static let rounds = 100_000

    @Test("gzip and IDX: mutated compressed and raw files")
    func gzipAndIDX() async {
        await #expect(processExitsWith: .success) {
            limitFuzzingChild()
            var mutator = Mutator(seed: 1)
            let raw = try! Gzip.decompress(dynamicHuffmanImages)
            for _ in 0..<FuzzTests.rounds {
                if let inflated = try? Gzip.decompress(mutator.mutate(dynamicHuffmanImages)) {
                    _ = try? IDXFile(parsing: inflated, dimensionCount: 3, file: "fuzz")
                }
                _ = try? IDXFile(parsing: mutator.mutate(raw), dimensionCount: 3, file: "fuzz")
                _ = try? IDXFile(parsing: mutator.mutate(raw), dimensionCount: 1, file: "fuzz")
            }
        }
    }

    @Test("checkpoints: mutated files, and mutated contents under a valid checksum")
    func checkpoints() async {
        await #expect(processExitsWith: .success) {
            limitFuzzingChild()
            var random = SeededGenerator(seed: 2)
            let model = Prediction<Float>(hiddenSize: 3, classes: 4, using: &random)
            var checkpoint = Checkpoint()
            checkpoint.store(model, as: "p")
            checkpoint.store(count: 12, as: "trainer/iteration")
            checkpoint.store(random, as: "trainer/random")
            let file = checkpoint.encoded()
            var mutator = Mutator(seed: 3)
            for round in 0..<FuzzTests.rounds {
                var bytes = mutator.mutate(file)
                if round.isMultiple(of: 2) && file.count > 24 {
                    // Reseal: mutate the payload only, then write a header and checksum
                    // that fit it, so the table of contents itself is what gets tested.
                    let payload = mutator.mutate(Array(file[20..<(file.count - 4)]))
                    let littleEndian = { (v: UInt64, n: Int) in (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) }
                    }
                    bytes =
                        Array(file[0..<12]) + littleEndian(UInt64(payload.count), 8) + payload
                        + littleEndian(UInt64(Checksum.crc32(payload)), 4)
                }
                guard let decoded = try? Checkpoint(decoding: bytes, source: "fuzz") else { continue }
                var restored = model
                try? decoded.restore(&restored, from: "p")
                _ = try? decoded.count("trainer/iteration")
                _ = try? decoded.generator("trainer/random")
            }
        }
    }
}
