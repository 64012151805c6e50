import Learn
import LearnCourse
import Testing

/// A test trait naming the pieces of the solution a test runs (see ``Piece``).
///
/// With every piece written — the reference solution — it does nothing. In the
/// starter kit, a test whose pieces are not all written yet records one issue,
/// "not implemented yet: …", instead of running into a stub that would stop the whole
/// test run: so `swift test` in the kit fails exactly on the unwritten pieces, and
/// writing a piece turns its tests green.
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
        guard !test.isSuite, let message = Piece.unwrittenMessage(pieces) else {
            return try await function()
        }
        Issue.record(Comment(rawValue: message))
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
/// they are all written; otherwise records "not implemented yet: …" and returns false.
public func written(_ pieces: [Piece], sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    guard let message = Piece.unwrittenMessage(pieces) else { return true }
    Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
    return false
}

/// The pieces of the solution, as test targets that import only Learn name them.
public typealias Piece = LearnCourse.Piece
