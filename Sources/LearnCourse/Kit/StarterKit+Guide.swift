import Foundation
import Learn

/// `STARTER-KIT.md`, the guide written into every kit (and, saying what it is, into the
/// maintainers' probe and mistakes builds).
extension StarterKit {

    /// `STARTER-KIT.md`: what to write, where, and how to know it is right.
    static func guide(_ stubs: [Stub], mode: Mode = .stubs) -> String {
        let rows = stubs.enumerated().map { number, stub in
            let needs = stub.piece.dependencies.map(\.rawValue).joined(separator: ", ")
            let files = stub.files.map { "`\($0)`" }.joined(separator: ", ")
            return "| \(number + 1) | \(stub.piece.title) (`\(stub.piece.rawValue)`) | \(files) | \(stub.regions) | "
                + "\(needs.isEmpty ? "—" : needs) |"
        }
        let opening: String
        switch mode {
        case .stubs:
            opening = """
                This is the Learn package with the solution of every equation, layer and loss
                taken out. Each is now a stub — `unimplemented("…")` — that stops the program
                with the piece's name. The doc comment above each stub gives the equation and
                its derivative; write the function body from them.
                """
        case .probe:
            opening = """
                This is a maintainer's probe build, not a starter kit: every solution is still
                here, behind a stub that fires only for the piece `LEARN_PROBE_UNWRITTEN` names
                (see `Scripts/probe-requires`). Do not hand it to students.
                """
        case .mistakes:
            opening = """
                This is a maintainer's instrumented build, not a starter kit: every solution is
                still here, with the typical mistakes of each piece beside it, made only while
                `LEARN_MISTAKE` names one (see `Scripts/mutation-score`). Do not hand it to
                students.
                """
        }
        return """
            # \(mode == .stubs ? "Starter kit" : "Not a starter kit")

            \(opening)

            Write the pieces in this order: each one uses only those above it (the last
            column), so its tests can pass as soon as it is written.

            | # | Piece | File | Stubs | Uses |
            |---|---|---|---|---|
            \(rows.joined(separator: "\n"))

            Check your work as you go:

                swift test -c release --disable-testable-imports   # every test; unwritten pieces fail as "not implemented yet"
                swift run -c release Course grade           # the points report, Part I (40) and Part II (60)
                swift run -c release Course grade --only cell-state.fixtures,cell-state.gradients   # some checks
                swift run -c release Tutorials part1-task1  # the equations step by step, with live gradient checks

            A piece's tests turn green when its code matches PyTorch's reference values
            (`Fixtures/cases`) and passes its finite-difference gradient checks.

            """
    }
}
