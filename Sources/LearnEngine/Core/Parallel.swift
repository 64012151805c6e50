import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs two halves of a job at once: one on the calling thread, one on a helper
/// thread that stays awake between jobs.
///
/// Why not `DispatchQueue.concurrentPerform`? Waking a sleeping thread costs tens of
/// microseconds on a small virtual machine — as long as a whole 128×128×128 multiply.
/// An LSTM step makes hundreds of such multiplies back to back, so the helper spins
/// (checks for work in a tight loop) for a short while after each job and only sleeps
/// when no work has come for ``Parallel/spinTime``.
///
/// Spinning must never make things worse than one core. So the second half is up for
/// grabs: if the helper has not taken it by the time the caller finishes the first
/// half (the machine is busy and the helper is not running), the caller does it too.
/// And if the helper is already working for another thread (parallel tests), the
/// caller simply does both halves itself.
public enum Parallel {
    /// How long the helper keeps spinning after its last job before it sleeps.
    public static let spinTime: UInt64 = 2_000_000  // 2 ms, in nanoseconds

    /// Calls `body(0)` and `body(1)`, in parallel when a second core is free.
    ///
    /// Like `DispatchQueue.concurrentPerform`, it returns only when both calls have
    /// finished, so `body` may capture local variables — each half must write to
    /// different ones.
    @inlinable
    public static func both(_ body: (Int) -> Void) {
        guard let helper = Helper.shared, helper.claim() else {
            body(0)
            body(1)
            return
        }
        withoutActuallyEscaping(body) { body in
            // Safe to hand to the helper: `waitUntilDone` returns before `body` does.
            helper.start(unsafeBitCast(body, to: (@Sendable (Int) -> Void).self))
            body(0)
            helper.waitUntilDone()
        }
    }

    /// Calls `body` on the two halves of `0..<count`, one per core, or once on the
    /// whole range when `count` is below `minimum` (too little work to share).
    ///
    /// For loops whose iterations are independent, such as an optimiser's update of
    /// each weight: `body` must only touch the elements of the range it is given.
    @inlinable
    public static func halves(of count: Int, minimum: Int, _ body: (Range<Int>) -> Void) {
        guard count >= minimum else {
            body(0..<count)
            return
        }
        let middle = count / 2
        both { half in body(half == 0 ? 0..<middle : middle..<count) }
    }

    /// Calls `body(0)`, …, `body(count − 1)`, each exactly once, with the two cores
    /// taking the next index as they come free.
    ///
    /// Two fixed halves wait for the slower core; on a shared machine one core often
    /// runs a quarter slower than the other for seconds at a time. Handing out pieces
    /// one by one lets the faster core do more of them. `body` must only write what
    /// its index owns, and since which core runs which index varies from call to call,
    /// a piece's result must not depend on where it runs (plain serial code does not).
    @inlinable
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        let next = Atomic<Int>(0)
        both { _ in
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < count else { return }
                body(index)
            }
        }
    }

    /// Runs two independent pieces of work, `a` on this core and `b` on the other,
    /// and returns both results.
    @inlinable
    public static func two<A, B>(_ a: () -> A, _ b: () -> B) -> (A, B) {
        var (ra, rb): (A?, B?) = (nil, nil)
        both { half in
            if half == 0 { ra = a() } else { rb = b() }
        }
        return (ra!, rb!)
    }
}

/// The helper thread behind ``Parallel/both(_:)``.
@usableFromInline
final class Helper: @unchecked Sendable {
    /// One helper for the process, or nil on a single-core machine.
    @usableFromInline static let shared: Helper? =
        ProcessInfo.processInfo.activeProcessorCount >= 2 ? Helper() : nil

    /// Set while some caller owns the helper.
    let busy = Atomic<Bool>(false)
    /// Set by whoever runs the posted second half: the helper, or the caller itself.
    let taken = Atomic<Bool>(true)
    /// Incremented for every job posted; the helper looks for work when it changes.
    let posted = Atomic<Int>(0)
    /// The number of the last job the helper has dealt with.
    let finished = Atomic<Int>(0)
    /// Set by the helper just before it sleeps, so a poster knows to wake it.
    let sleeping = Atomic<Bool>(false)
    let wake = DispatchSemaphore(value: 0)
    /// The job; written before `taken` is cleared, read only by whoever sets `taken`.
    nonisolated(unsafe) var job: (@Sendable (Int) -> Void)?

    init() {
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = "Learn.Parallel.helper"
        thread.start()
    }

    /// Takes the helper for one job; false if another caller has it.
    @usableFromInline func claim() -> Bool {
        busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
    }

    /// Posts `body` for the helper to run as `body(1)`.
    @usableFromInline func start(_ body: @escaping @Sendable (Int) -> Void) {
        job = body
        taken.store(false, ordering: .releasing)
        posted.add(1, ordering: .releasing)
        if sleeping.exchange(false, ordering: .acquiringAndReleasing) { wake.signal() }
    }

    /// Runs the second half here if the helper has not started it; otherwise waits
    /// for the helper to finish it. Then releases the helper for the next caller.
    @usableFromInline func waitUntilDone() {
        if taken.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
            job?(1)
        } else {
            let target = posted.load(ordering: .relaxed)
            var spins = 0
            while finished.load(ordering: .acquiring) < target {
                spins += 1
                if spins % 16 == 0 { sched_yield() }
            }
        }
        // Nobody holds the job now; drop it so the caller's closure does not outlive
        // the call (which `withoutActuallyEscaping` checks).
        job = nil
        busy.store(false, ordering: .releasing)
    }

    private func loop() {
        var seen = 0
        while true {
            var spinStart = DispatchTime.now().uptimeNanoseconds
            var spins = 0
            while posted.load(ordering: .acquiring) == seen {
                spins += 1
                guard spins % 64 == 0 else { continue }
                // Spinning is a bet that work comes soon; give the core away when it
                // does not, first briefly, then until woken.
                sched_yield()
                if DispatchTime.now().uptimeNanoseconds - spinStart > Parallel.spinTime {
                    sleeping.store(true, ordering: .releasing)
                    // Re-check after announcing sleep, so a job posted just now is not missed.
                    if posted.load(ordering: .acquiring) == seen { wake.wait() }
                    sleeping.store(false, ordering: .releasing)
                    spinStart = DispatchTime.now().uptimeNanoseconds
                }
            }
            seen = posted.load(ordering: .acquiring)
            if taken.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
                job?(1)
            }
            finished.store(seen, ordering: .releasing)
        }
    }
}
