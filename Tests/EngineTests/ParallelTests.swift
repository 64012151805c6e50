import Dispatch
import EngineTesting
import LearnEngine
import Synchronization
import Testing

/// The two-core runner the matrix kernel and the batch split use.
@Suite("Parallel: two halves at once")
struct ParallelTests {
    @Test("both(_:) calls each half exactly once and returns after both finish")
    func both() {
        var seen = [0, 0]
        seen.withUnsafeMutableBufferPointer { halves in
            // Each half writes only its own element.
            let base = halves.baseAddress!
            Parallel.both { half in base[half] += 1 }
        }
        #expect(seen == [1, 1])
    }

    @Test(
        "halves(of:minimum:) covers every index once; below the minimum, in one call", arguments: [0, 1, 7, 100, 101])
    func halves(_ count: Int) {
        let minimum = 100
        var visits = [Int](repeating: 0, count: count)
        let calls = Atomic<Int>(0)
        visits.withUnsafeMutableBufferPointer { visits in
            Parallel.halves(of: count, minimum: minimum) { range in
                calls.add(1, ordering: .relaxed)
                for k in range { visits[k] += 1 }
            }
        }
        #expect(visits.allSatisfy { $0 == 1 })
        #expect(calls.load(ordering: .relaxed) == (count >= minimum ? 2 : 1))
    }

    @Test("forEach(_:_:) runs every index exactly once, many times over", arguments: [0, 1, 2, 8, 33])
    func forEach(_ count: Int) {
        for _ in 0..<50 {
            var visits = [Int](repeating: 0, count: count)
            visits.withUnsafeMutableBufferPointer { visits in
                Parallel.forEach(count) { index in visits[index] += 1 }
            }
            #expect(visits.allSatisfy { $0 == 1 }, "\(visits)")
        }
    }

    @Test("two(_:_:) returns both results in order, many times over")
    func two() {
        for round in 0..<200 {
            let (a, b) = Parallel.two({ round }, { "b\(round)" })
            #expect(a == round && b == "b\(round)")
        }
    }

    /// Swift Testing runs tests in parallel, so the helper is often busy with another
    /// caller: then the caller must do both halves itself, never wait or skip.
    @Test("concurrent callers each get both halves done")
    func concurrentCallers() {
        let total = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<100 {
                Parallel.both { _ in total.add(1, ordering: .relaxed) }
            }
        }
        #expect(total.load(ordering: .relaxed) == 8 * 100 * 2)
    }
}
