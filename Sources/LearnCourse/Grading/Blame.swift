import Learn

/// Which piece to fix first. A check fails for its own piece's mistakes and for those
/// of every piece under it — a gate for the affine map's, the LSTM for the cell
/// state's — so its reason alone can send a student to the wrong file. Given every
/// outcome of a run, this says, for a failing check, when a piece it builds on looks
/// wrong too:
///
/// - the piece has a check of its own that failed ("equation (5)'s own check fails
///   [cell-state.fixtures]: fix it before the LSTM through time"); or
/// - it has no check of its own (the affine map, the activations' derivatives, the gate
///   machinery) and every check that was run and builds on it failed ("every check that
///   uses the affine map fails: look at it first").
///
/// The lowest such piece is named (dependencies come first), since fixing it may fix
/// all the rest. A check that failed because a piece is not written says so already and
/// gets no blame.
public enum Blame {
    /// For each failing check of `outcomes`, the sentence to put before its reasons.
    public static func sentences(
        for outcomes: [GradedOutcome], in checks: [GradedCheck] = GradingCatalogue.all
    ) -> [String: String] {
        let run = checks.filter { check in outcomes.contains { $0.id == check.id } }
        let failed = Set(outcomes.filter { !$0.passed }.map(\.id))
        let unwritten = Set(
            outcomes.filter { $0.deductions.contains { $0.reason.hasPrefix("not implemented yet") } }.map(\.id))
        var sentences: [String: String] = [:]
        for check in run where failed.contains(check.id) && !unwritten.contains(check.id) {
            let below = check.pieces.flatMap(\.closure).filter { !check.pieces.contains($0) }
            for piece in below {
                let own = run.filter { $0.pieces == [piece] }
                if let broken = own.first(where: { failed.contains($0.id) }) {
                    let mine = check.pieces.map(\.title).joined(separator: ", ")
                    sentences[check.id] =
                        "\(piece.title.capitalizedFirst)'s own check fails [\(broken.id)]: fix it before \(mine)."
                    break
                }
                let users = run.filter { $0.pieces.flatMap(\.closure).contains(piece) }
                if own.isEmpty && users.count > 1 && users.allSatisfy({ failed.contains($0.id) }) {
                    sentences[check.id] = "Every check that uses \(piece.title) fails: look at it first."
                    break
                }
            }
        }
        return sentences
    }
}

extension String {
    /// The string with its first letter in capitals ("equation (5)" → "Equation (5)").
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
