import Foundation
import Learn

/// Finding a solution's lines where a kit must not hold them, for ``StarterKit``.
extension StarterKit {
    /// The lines of `text`'s solution regions (of `pieces`, or of every piece) that are
    /// telling enough to give a piece away — at least ``telltaleLength`` characters once
    /// whitespace is collapsed, and no comment or loop and branch scaffolding — in that
    /// normalised form.
    public static func solutionLines(in text: String, of pieces: Set<Piece>? = nil) -> Set<String> {
        var lines: Set<String> = []
        var inside = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix(beginMarker) {
                let name = trimmed.dropFirst(beginMarker.count).trimmingCharacters(in: .whitespaces)
                inside = pieces.map { set in Piece(rawValue: name).map(set.contains) ?? true } ?? true
            } else if trimmed == endMarker {
                inside = false
            } else if inside {
                let code = normalised(line)
                if isTelling(code) { lines.insert(code) }
            }
        }
        return lines
    }

    /// Shorter lines (`return (y, cache)`, `}`) say nothing a student would not write.
    public static let telltaleLength = 20

    /// A line of computation long enough to give something away: not a comment, and not
    /// the scaffolding every loop and branch shares (`for n in 0..<p.rows {`).
    static func isTelling(_ code: String) -> Bool {
        let scaffolding = ["//", "for ", "if ", "} else", "guard ", "while ", "switch ", "case ", "default:"]
        return code.count >= telltaleLength && !scaffolding.contains(where: code.hasPrefix)
    }

    /// `line` with its whitespace runs collapsed to one space, trimmed.
    static func normalised(_ line: Substring) -> String {
        line.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Where the kit's text files (`copies`) hold a line of the solution: `path:line: text`.
    /// The kit's own stubs and the reference's markers are gone by now, so any hit is a
    /// leak — a doc comment quoting a solution, a test computing it the same way.
    public static func leaks(of solution: Set<String>, in copies: [(path: String, data: Data)]) -> [String] {
        var found: [String] = []
        for (path, data) in copies {
            guard let text = String(data: data, encoding: .utf8) else { continue }
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                var code = normalised(line)
                // A doc comment quoting code counts as the code.
                while let rest = ["/// ", "// "].first(where: code.hasPrefix) { code.removeFirst(rest.count) }
                if solution.contains(code) { found.append("\(path):\(index + 1): \(code)") }
            }
        }
        return found
    }
}
