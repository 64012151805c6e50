import CommandLineOptions
import Foundation
import Learn

/// part2-task2's reading of a finished run: the loss trajectory, and whether the game
/// ended balanced.
extension Part2Task2 {
    /// The averages per tenth of the run, and the CSV file and chart.
    static func showTrajectory(_ history: GANHistory, plan: Plan, terminal t: Terminal) {
        t.step(
            "The loss trajectory",
            """
            Averages over each tenth of the run. At the very start D learns fastest: its
            loss on samples drops, D(G(z)) falls and G's loss rises. Then G catches up; in a
            working run D's two terms settle around log 2 ≈ 0.693 and D(x), D(G(z)) around
            0.5, wobbling as each network answers the other. With the non-saturating loss,
            G's loss −log D(G(z)) is also log 2 when D(G(z)) = 0.5.
            """)
        t.say(history.table)
        // Written by the training step, before the checkpoint.
        t.say(
            "", "  every iteration:                  \(plan.outDirectory)/losses.csv",
            "  the chart (1% windows, log 2):    \(plan.outDirectory)/losses.svg")
        t.pause()
    }

    /// GANBalance's verdict on the last quarter of the run (at most 500 iterations),
    /// with what it means.
    static func judgeBalance(_ history: GANHistory, plan: Plan, terminal t: Terminal) {
        let window = max(1, min(500, history.records.count / 4))
        let balance = GANBalance(Array(history.records.suffix(window)))
        t.step(
            "Is the game balanced?",
            """
            GANBalance averages the last \(window) iterations and compares each figure with
            its band: D's loss terms within log 2 ± \(short(GANBalance.termBand)), and D(x), D(G(z)) at
            least \(short(GANBalance.outputMargin)) away from 0 and 1.
            """)
        t.say(
            "  D's loss on real images   \(f3(balance.discriminatorReal))     (log 2 = 0.693)",
            "  D's loss on samples       \(f3(balance.discriminatorFake))",
            "  mean D(x)                 \(f3(balance.meanDReal))     (0.5 when D cannot tell)",
            "  mean D(G(z))              \(f3(balance.meanDFake))",
            "")
        if balance.isTooShort {
            t.say(
                "  No verdict: \(window) iterations are too few to judge a game (at least \(GANBalance.minimumRecords),",
                "  the last quarter of a run of \(4 * GANBalance.minimumRecords) or more).")
        } else if balance.isBalanced {
            t.say(
                "  Verdict: balanced. Neither network is winning: D still scores real digits a",
                "  little higher than samples (that gap is what G learns from), but it cannot",
                "  reject the samples outright, so G keeps receiving useful gradients.")
        } else {
            t.say("  Verdict: not balanced.")
            for problem in balance.problems { t.say("    - \(problem)") }
            t.say("")
            if balance.meanDFake < GANBalance.outputMargin {
                t.say(
                    "  D has overpowered G: it rejects nearly every sample, its loss collapses",
                    "  towards 0 and G's loss climbs (under the minimax loss G's gradient shrinks",
                    "  with D(G(z)); see part2-task1). Remedies: --architecture balanced (a narrower",
                    "  D with dropout), --k 1, the non-saturating loss, or more iterations.")
            } else if balance.meanDFake > 1 - GANBalance.outputMargin {
                t.say(
                    "  D has stopped telling samples from digits: G fools it outright, so G no",
                    "  longer learns what real digits look like. A larger --k or a stronger D helps.")
            } else {
                t.say(
                    "  D's loss terms stray from log 2: one side is ahead. Compare the trajectory",
                    "  above: a trend away from log 2 is a problem, a wobble around it is the game.")
            }
        }
        if plan.quick {
            t.say(
                "", "  (--quick trains \(grouped(history.records.count)) iterations: the game has barely begun,",
                "  so this verdict is a smoke test, not a result.)")
        }
        t.pause()
    }
}
