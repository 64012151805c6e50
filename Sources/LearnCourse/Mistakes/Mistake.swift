import Foundation
import Learn

/// A typical wrong implementation of one piece: the reference solution with a few
/// words changed, as a student might write it (a missing factor in a product rule, `=`
/// for `+=`, the unstable softmax, Adam without bias correction, …).
///
/// Mistakes prove the graded checks can fail: `Scripts/mutation-score` builds one
/// instrumented copy of the package in which each mistake is made only while the
/// environment variable `LEARN_MISTAKE` names it (the instrumented build's `isMistakeMade(_:)`), runs the
/// checks of its piece once per mistake, and reports the share that lose points — the
/// mutation score. A mistake that loses nothing means a check is too weak: strengthen
/// the cases, not the mistake. The catalogue is the instructor's and is not copied into
/// a starter kit (``StarterKit/withheld``).
public struct Mistake: Sendable, Identifiable, CustomStringConvertible {
    /// Unique, e.g. `"affine.dW-assigned"`.
    public let id: String
    /// The piece it is a wrong version of.
    public let piece: Piece
    /// What is wrong, in a student's terms.
    public let title: String
    /// The changes to the piece's solution, each made exactly once.
    public let edits: [Edit]

    /// One change: `find`, which must occur exactly once in the solution regions of the
    /// piece (in the function named `function`, if given), becomes `replace`.
    public struct Edit: Sendable {
        /// The function whose region it is in (`"backward"`), when `find` alone is ambiguous.
        public var function: String?
        /// The text of the solution to change.
        public var find: String
        /// What it becomes.
        public var replace: String
    }

    /// A mistake of `piece` made by `edits`.
    public init(_ id: String, _ piece: Piece, _ title: String, _ edits: [Edit]) {
        (self.id, self.piece, self.title, self.edits) = (id, piece, title, edits)
    }

    /// A mistake made by one change.
    public init(
        _ id: String, _ piece: Piece, _ title: String, in function: String? = nil, _ find: String, _ replace: String
    ) {
        self.init(id, piece, title, [Edit(function: function, find: find, replace: replace)])
    }

    /// "id (piece): title", as the mutation score lists the mistakes.
    public var description: String { "\(id) (\(piece.rawValue)): \(title)" }

    /// `region`, the lines of one solution region of ``piece`` inside `function`, with
    /// every edit that applies there made; nil when none does.
    func applied(to region: [Substring], function: String) -> [Substring]? {
        var text = region.joined(separator: "\n")
        var changed = false
        for edit in edits where edit.function == nil || edit.function == function {
            guard let range = text.range(of: edit.find) else { continue }
            text.replaceSubrange(range, with: edit.replace)
            changed = true
        }
        return changed ? text.split(separator: "\n", omittingEmptySubsequences: false).map { Substring($0) } : nil
    }
}
