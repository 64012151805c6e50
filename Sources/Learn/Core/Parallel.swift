import Dispatch
import Foundation
import Synchronization

/// Runs two halves of a job at once: one on the calling thread, one on a helper
/// thread that stays awake between jobs.
///
/// Why not `DispatchQueue.concurrentPerform`? Waking a sleeping thread costs tens of
/// microseconds on a small virtual machine — as long as a whole 128×128×128 multiply.
/// An LSTM step makes hundreds of such multiplies back to back, so the helper spins
/// (checks for work in a tight loop) for a short while after each job and only sleeps
/// when no work has come for ``Parallel/spinTime``. If the helper is already busy
/// (two threads calling at once, as parallel tests do), the caller simply does both
/// halves itself.
public enum Parallel {
    /// How long the helper keeps spinning after its last job before it sleeps.
    public static let spinTime: UInt64 = 2_000_000  // 2 ms, in nanoseconds

    /// Calls `body(0)` and `body(1)`, in parallel when a second core is free.
    @inlinable
    public static func both(_ body: @escaping @Sendable (Int) -> Void) {
        if let helper = Helper.shared, helper.claim() {
            helper.start(body)
            body(0)
            helper.waitUntilDone()
        } else {
            body(0)
            body(1)
        }
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
    /// Incremented for every job posted; the helper runs a job when it sees it change.
    let posted = Atomic<Int>(0)
    /// The number of the last job the helper finished.
    let finished = Atomic<Int>(0)
    /// Set by the helper just before it sleeps, so a poster knows to wake it.
    let sleeping = Atomic<Bool>(false)
    let wake = DispatchSemaphore(value: 0)
    /// The job; written before `posted` is incremented, read after it is seen.
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
        posted.add(1, ordering: .releasing)
        if sleeping.exchange(false, ordering: .acquiringAndReleasing) { wake.signal() }
    }

    /// Spins until the helper has finished the job, then releases it.
    @usableFromInline func waitUntilDone() {
        let target = posted.load(ordering: .relaxed)
        while finished.load(ordering: .acquiring) != target {}
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
                if spins % 1024 == 0
                    && DispatchTime.now().uptimeNanoseconds - spinStart > Parallel.spinTime
                {
                    sleeping.store(true, ordering: .releasing)
                    // Re-check after announcing sleep, so a job posted just now is not missed.
                    if posted.load(ordering: .acquiring) == seen { wake.wait() }
                    sleeping.store(false, ordering: .releasing)
                    spinStart = DispatchTime.now().uptimeNanoseconds
                }
            }
            seen = posted.load(ordering: .acquiring)
            job?(1)
            finished.store(seen, ordering: .releasing)
        }
    }
}
