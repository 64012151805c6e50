@_exported import EngineTesting
import Learn
import LearnCourse
import Testing

/// A test trait naming the pieces of the solution a test runs (see ``Piece``).
///
/// With every piece written — the reference solution — it does nothing. In the
/// starter kit, a test whose pieces are not all written yet records one issue,
/// "not implemented yet: …", instead of running into a stub that would stop the whole
/// test run: so `swift test` in the kit fails exactly on the unwritten pieces, and
/// writing a piece turns its tests green. A written piece that stops the program (a
/// trap) is found first, in a process of its own (``StopProbe``), and its tests record
/// that instead of taking the run down; the run ends with the next piece to write.
///
///     @Test("(5) with f = 1 and i = 0 the cell state is carried", .requires(.cellState))
public struct RequiresPieces: TestTrait, SuiteTrait, TestScoping {
    /// The pieces (their dependencies are implied).
    public let pieces: [Piece]

    /// On a suite, it applies to every test in it.
    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        // A suite runs its tests, which each report for themselves.
        guard !test.isSuite else { return try await function() }
        // In a kit of Assignment 2, a test of Assignment 3's pieces is for later: skipped.
        if let later = otherAssignmentsPiece(pieces), !test.isParameterized {
            try Test.cancel(Comment(rawValue: skipReason(later)))
        }
        // Run here, a piece that stops the program would end the whole test run.
        if await written(pieces) { try await function() }
    }
}

extension Trait where Self == RequiresPieces {
    /// The test runs `pieces` of the solution; see ``RequiresPieces``.
    public static func requires(_ pieces: Piece...) -> Self {
        RequiresPieces(pieces: pieces)
    }

    /// The test runs `pieces` of the solution, e.g. `.requires(Piece.ganTraining)`.
    public static func requires(_ pieces: [Piece]) -> Self {
        RequiresPieces(pieces: pieces)
    }
}

/// For a test whose pieces depend on its argument (a fixture case's kind): true when
/// they are all written and none stops the program (``StopProbe``); otherwise records
/// why ("not implemented yet: …", "not run: … stops the program") and returns false.
public func written(_ pieces: [Piece], sourceLocation: SourceLocation = #_sourceLocation) async -> Bool {
    if !StopProbe.reference { NextPieceLine.registered }
    // Another assignment's piece, still a stub in this kit, is not this student's yet:
    // nothing to report (a test of such pieces alone is skipped, see RequiresPieces).
    if otherAssignmentsPiece(pieces) != nil { return false }
    if let message = Piece.unwrittenMessage(pieces) {
        Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
        return false
    }
    if let stopping = await StopProbe.stopping(pieces) {
        Issue.record(Comment(rawValue: StopProbe.notRun(stopping)), sourceLocation: sourceLocation)
        return false
    }
    return true
}

/// The pieces of the solution, as test targets that import only Learn name them.
public typealias Piece = LearnCourse.Piece

/// The kit's assignment (``StarterKit/manifestFile``), read once.
let kitAssignment = Assignment.of(package: PackageDirectory.root)

/// Of `pieces` and their dependencies, the first still stubbed that is not the kit's
/// assignment's (in a kit of Assignment 2, Assignment 3's); nil in the reference.
func otherAssignmentsPiece(_ pieces: [Piece]) -> Piece? {
    guard !StopProbe.reference else { return nil }
    return Piece.unwritten(pieces).first { !kitAssignment.pieces.contains($0) }
}

/// Why a test of `piece` is skipped in this kit.
func skipReason(_ piece: Piece) -> String {
    let owner = piece.assignments.first { $0 != kitAssignment }.map { "\($0)" } ?? "another assignment"
    return "\(piece.title) is \(owner)'s: it comes with that assignment's kit"
}
