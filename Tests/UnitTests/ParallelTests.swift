import Dispatch
import Learn
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
