import Foundation
import Learn
import LearnCourse
import Testing

/// Blame the right piece: a failing check whose failure may come from a piece under it
/// says so first.
@Suite("Which piece to fix first")
struct BlameTests {
    /// Outcomes of every check, those in `failing` with a deduction of `reason`.
    static func outcomes(failing: Set<String>, reason: String = "FAIL case …") -> [GradedOutcome] {
        GradingCatalogue.checks(for: .three).map { check in
            GradedOutcome(
                check: check,
                deductions: failing.contains(check.id) ? [Deduction(points: check.points, reason: reason)] : [],
                seconds: 0)
        }
    }

    @Test("the LSTM's failure points at the cell state when the cell state's own check fails")
    func ownCheckFirst() {
        let blame = Blame.sentences(for: Self.outcomes(failing: ["cell-state.fixtures", "lstm.fixtures"]))
        #expect(
            blame["lstm.fixtures"]
                == "Equation (5), cell state c's own check fails [cell-state.fixtures]: fix it before the LSTM through time (forward and BPTT).",
            "\(blame)")
        #expect(blame["cell-state.fixtures"] == nil, "the cell state's own failure blames nothing below it")
    }

    @Test(
        "when every check built on the gate machinery fails (and the affine map's users pass), the machinery is named")
    func sharedMachinery() {
        let failing = Set(
            GradingCatalogue.checks(for: .three).filter { $0.pieces.flatMap(\.closure).contains(.gateMachinery) }.map(
                \.id))
        #expect(failing.contains("gate-f.fixtures") && !failing.contains("linear.fixtures"))
        let blame = Blame.sentences(for: Self.outcomes(failing: failing))
        #expect(
            blame["gate-f.fixtures"]
                == "Every check that uses the gate machinery y = φ(W_x x + W_h h + b) fails: look at it first.",
            "\(blame)")
    }

    @Test("no blame for a check that fails alone, nor for one whose piece is not written")
    func noBlame() {
        #expect(Blame.sentences(for: Self.outcomes(failing: ["gate-f.fixtures"])).isEmpty)
        let unwritten = Self.outcomes(
            failing: ["cell-state.fixtures", "lstm.fixtures"], reason: "not implemented yet: equation (5)")
        #expect(Blame.sentences(for: unwritten).isEmpty)
    }
}
