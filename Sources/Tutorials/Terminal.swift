import CommandLineOptions
import Dispatch
import Foundation

/// How a chapter talks to its reader: numbered steps with a title, what the step does
/// and why, the numbers, and a pause before the next step.
///
/// It adapts to where the output goes. In an interactive terminal it pauses for Return
/// between steps and shows progress as one line that updates in place. Piped to a
/// file, under CI (the `CI` environment variable is set) or with `--no-pause`, it runs
/// straight through and prints progress as occasional whole lines, which read well in
/// a log.
final class Terminal {
    /// Wait for Return between steps (stdin is a terminal, not CI, no `--no-pause`).
    private(set) var pauses: Bool
    /// stdout is a terminal: progress may redraw a line and titles may be bold.
    let isInteractiveOutput: Bool
    private var stepNumber = 0

    init(noPause: Bool) {
        let ci = ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } ?? false
        pauses = isatty(0) == 1 && !ci && !noPause
        isInteractiveOutput = isatty(1) == 1
    }

    /// The chapter's heading.
    func chapter(_ title: String, _ introduction: String) {
        print(bold(title))
        print(String(repeating: "=", count: title.count))
        print(introduction)
        print()
    }

    /// Starts a numbered step: its title, then what it does and why, in plain prose.
    func step(_ title: String, _ explanation: String) {
        stepNumber += 1
        let heading = "Step \(stepNumber). \(title)"
        print(bold(heading))
        print(String(repeating: "-", count: heading.count))
        print(explanation)
        print()
    }

    /// Prints lines as they are (a small helper so chapters read as prose).
    func say(_ lines: String...) {
        for line in lines { print(line) }
    }

    /// Waits for Return in an interactive terminal; does nothing otherwise. If stdin
    /// closes (Ctrl-D), it stops pausing rather than ask again.
    func pause() {
        print()
        fflush(nil)  // so a log followed with `tail -f` is never a step behind
        guard pauses else { return }
        print("Press Return to continue…", terminator: "")
        fflush(nil)  // nil flushes every stream; stdout itself is not concurrency-safe to name
        if readLine() == nil {
            pauses = false
            print()
        }
        print()
    }

    /// Bold in a terminal (unless NO_COLOR is set), plain elsewhere.
    func bold(_ s: String) -> String {
        guard isInteractiveOutput, ProcessInfo.processInfo.environment["NO_COLOR"] == nil else { return s }
        return "\u{1B}[1m" + s + "\u{1B}[0m"
    }

    /// Progress of a long piece of work; see ``ProgressLine``.
    func progress(_ label: String) -> ProgressLine {
        ProgressLine(label: label, redraws: isInteractiveOutput)
    }
}

/// Progress of long work. In a terminal it redraws one line (at most ten times a
/// second, so drawing never slows the work); elsewhere it prints a line when asked to
/// mark a milestone, at most every few seconds, so a log stays short.
final class ProgressLine {
    let label: String
    let redraws: Bool
    private let start = DispatchTime.now().uptimeNanoseconds
    private var lastDrawn: UInt64 = 0
    private var lastLine: UInt64 = 0
    /// Seconds between whole lines when the output is not a terminal.
    static let lineInterval = 5.0

    init(label: String, redraws: Bool) {
        (self.label, self.redraws) = (label, redraws)
    }

    /// Seconds since the work started.
    var elapsed: Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Reports the current state. `milestone` marks a state worth a line in a log
    /// (for example, a fresh test accuracy).
    func update(_ status: String, milestone: Bool = false) {
        let now = DispatchTime.now().uptimeNanoseconds
        let text = "\(label)  \(status)  (\(String(format: "%.0f", elapsed)) s)"
        if redraws {
            guard now - lastDrawn > 100_000_000 else { return }
            lastDrawn = now
            // \r returns to the start of the line; ESC[K clears what the last draw left.
            print("\r\(text)\u{1B}[K", terminator: "")
            fflush(nil)  // nil flushes every stream; stdout itself is not concurrency-safe to name
        } else if milestone && Double(now - lastLine) / 1e9 >= Self.lineInterval {
            lastLine = now
            print(text)
            fflush(nil)  // a log file is block-buffered; show the line now, not at exit
        }
    }

    /// Ends the work with a final line that stays on screen.
    func finish(_ status: String) {
        let text = "\(label)  \(status)  (\(String(format: "%.1f", elapsed)) s)"
        print(redraws ? "\r\(text)\u{1B}[K" : text)
        fflush(nil)
    }
}
