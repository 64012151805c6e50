import Foundation
import Learn

/// `STARTER-KIT.md`, the guide written into every kit (and, saying what it is, into the
/// maintainers' probe and mistakes builds).
extension StarterKit {

    /// `STARTER-KIT.md`: what to write, where, and how to know it is right.
    static func guide(_ stubs: [Stub], mode: Mode = .stubs, assignment: Assignment = .standard) -> String {
        let own = mode == .stubs ? assignment.pieces : Piece.allCases
        let listed = own.compactMap { piece in stubs.first { $0.piece == piece } }
        let rows = listed.enumerated().map { number, stub in
            let needs = stub.piece.dependencies.map(\.rawValue).joined(separator: ", ")
            let files = stub.files.map { "`\($0)`" }.joined(separator: ", ")
            return "| \(number + 1) | \(stub.piece.title) (`\(stub.piece.rawValue)`) | \(files) | \(stub.regions) | "
                + "\(needs.isEmpty ? "—" : needs) |"
        }
        let opening: String
        switch mode {
        case .stubs:
            let later = assignment == .two ? " Assignment 3's pieces are stubs too: they come with its kit." : ""
            opening = """
                This is the Learn package for \(assignment) (\(assignment.subject)), with the
                solution of every equation, layer and loss you write taken out. Each is now a
                stub — `unimplemented("…")` — that stops the program with the piece's name. The
                doc comment above each stub gives the equation and its derivative; write the
                function body from them.\(later)
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
                swift run -c release Course grade           # the points report, \(partsText(assignment))
                swift run -c release Course grade --only \(exampleChecks(assignment))   # some checks
                swift run -c release Tutorials \(assignment == .two ? "a2-part1-task2" : "part1-task1")  # \(assignment == .two ? "the MLP on moons and circles" : "the equations step by step, with live gradient checks")

            A piece's tests turn green when its code matches PyTorch's reference values
            (`Fixtures/cases`) and passes its finite-difference gradient checks.

            """
    }

    /// "Part I (40) and Part II (60)", "Part I (30), Part II (30) and Part III (40)".
    static func partsText(_ assignment: Assignment) -> String {
        let parts = assignment.points.map { "\(AssignmentTask.partName($0.part)) (\($0.points))" }
        return parts.count < 2
            ? parts.joined() : parts.dropLast().joined(separator: ", ") + " and " + parts[parts.count - 1]
    }

    /// The checks of the assignment's first graded piece with cases, for the guide's example.
    static func exampleChecks(_ assignment: Assignment) -> String {
        assignment == .two ? "a2.mlp.fixtures,a2.mlp.gradients" : "cell-state.fixtures,cell-state.gradients"
    }
}
