import Learn

/// The maintainers' mistakes build (``StarterKit/Mode/mistakes``), and what a kit gets
/// instead of the catalogue of typical mistakes.
extension StarterKit {
    /// Files a kit receives in another version: the catalogue of typical mistakes is
    /// the instructor's (its edits quote the solutions), so the kit's is empty.
    public static let withheld: [String: String] = [
        "Sources/LearnCourse/Mistakes/MistakeCatalogue.swift": """
        import Learn

        /// The typical mistakes the checks are proven against are the instructor's: a
        /// starter kit has none (see ``Mistake``).
        public enum MistakeCatalogue {
            /// Every mistake: none in a starter kit.
            public static let all: [Mistake] = []
        }

        """
    ]

    /// A region as a chain `if isMistakeMade("id") { <wrong version> } else if … else
    /// { <the solution> }`, one branch per mistake of `piece` that changes it.
    static func withMistakes(_ region: [Substring], piece: Piece, function: String, indent: Substring) -> [Substring] {
        let branches = MistakeCatalogue.all.filter { $0.piece == piece }.compactMap { mistake in
            mistake.applied(to: region, function: function).map { (mistake.id, $0) }
        }
        guard !branches.isEmpty else { return region }
        let nested = { (lines: [Substring]) in explicitReturn(lines).map { $0.isEmpty ? $0 : "    " + $0 } }
        var output: [Substring] = []
        for (k, (id, lines)) in branches.enumerated() {
            output.append(Substring("\(indent)\(k == 0 ? "" : "} else ")if isMistakeMade(\"\(id)\") {"))
            output += nested(lines)
        }
        output.append(Substring("\(indent)} else {"))
        output += nested(region)
        output.append(Substring("\(indent)}"))
        return output
    }
}
