import Foundation
import Learn

/// Stubbing a piece's solution regions, for ``StarterKit``.
extension StarterKit {
    /// `text`, the source file at `file`, with each solution region replaced by a stub
    /// naming its piece and the function (or, to probe, guarded by one), and how many
    /// regions of each piece it held. Throws on unbalanced markers and on a marker that
    /// names no piece.
    ///
    /// With `keepingWritten` k, the file's first k regions keep their code (without
    /// their markers) and only the rest are stubbed: the file as a student has it after
    /// writing its first k regions, forward before backward — the steps of a tutorial.
    /// The regions of a piece in `kept` (an earlier assignment's, done already) keep
    /// their code too; `regions` counts the pieces stubbed.
    public static func stubbed(
        _ text: String, file: String, mode: Mode = .stubs, keepingWritten: Int = 0, kept: Set<Piece> = []
    ) throws(StarterKitError) -> (text: String, regions: [Piece: Int]) {
        var output: [Substring] = []
        var regions: [Piece: Int] = [:]
        var function = "solution"
        var openedAt: Int?
        var openPiece: Piece?
        var region: [Substring] = []
        var regionsSeen = 0
        var keeping = false
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let name = functionName(in: trimmed) { function = name }
            if let piece = try SolutionSources.markedPiece(in: line, file: file, line: index + 1) {
                guard openedAt == nil else {
                    throw StarterKitError(file: file, line: index + 1, problem: "a region opens inside another")
                }
                openedAt = index + 1
                region = []
                let indent = line.prefix { $0 == " " }
                let stub = "unimplemented(\"\(piece.title) — \(function)\")"
                regionsSeen += 1
                keeping = mode == .stubs && (regionsSeen <= keepingWritten || kept.contains(piece))
                switch mode {
                case .stubs: if !keeping { output.append(Substring("\(indent)\(stub)")) }
                case .probe:
                    output.append(Substring("\(indent)if isProbedAsUnwritten(\"\(piece.rawValue)\") { \(stub) }"))
                case .mistakes: break
                }
                openPiece = piece
                if !(mode == .stubs && kept.contains(piece)) { regions[piece, default: 0] += 1 }
            } else if trimmed == endMarker {
                guard openedAt != nil else {
                    throw StarterKitError(file: file, line: index + 1, problem: "\(endMarker) without a region open")
                }
                openedAt = nil
                if mode == .probe { output += explicitReturn(region) }
                if mode == .mistakes, let piece = openPiece {
                    output += withMistakes(region, piece: piece, function: function, indent: line.prefix { $0 == " " })
                }
            } else if openedAt == nil {
                output.append(line)
            } else {
                region.append(line)
                if keeping { output.append(line) }
            }
        }
        if let openedAt {
            throw StarterKitError(file: file, line: openedAt, problem: "the region opened here is never closed")
        }
        return (output.joined(separator: "\n"), regions)
    }

    /// A region's lines with `return` before a lone expression, which was an implicit
    /// return and would no longer be one behind the probe's guard.
    ///
    /// A region is a lone expression when it starts no statement (`let`, `return`, …)
    /// and holds a single line at its own indentation, not counting a closing bracket
    /// (a call spread over several lines ends with one) or a `switch`'s cases. Two such
    /// lines are two statements, such as two updates in a function that returns nothing.
    static func explicitReturn(_ region: [Substring]) -> [Substring] {
        let code = { (line: Substring) in line.trimmingCharacters(in: .whitespaces) }
        guard let first = region.firstIndex(where: { !code($0).isEmpty && !code($0).hasPrefix("//") }) else {
            return region
        }
        let indent = region[first].prefix { $0 == " " }
        let statements = region.filter { $0.hasPrefix(indent) && !$0.dropFirst(indent.count).hasPrefix(" ") }
        let hasStatements = statements.contains { line in
            ["return", "let ", "var ", "guard ", "for ", "precondition("].contains { code(line).hasPrefix($0) }
        }
        let topLevelLines = statements.filter { line in
            let c = code(line)
            guard let start = c.first, !c.hasPrefix("//") else { return false }
            return !")]}".contains(start) && !c.hasPrefix("case ") && !c.hasPrefix("default:")
        }
        guard !hasStatements && topLevelLines.count == 1 else { return region }
        var lines = region
        lines[first] = Substring(indent + "return " + region[first].dropFirst(indent.count))
        return lines
    }

    /// True in the reference solution — every piece has its marked regions, none has
    /// a stub and none is probed — and false in a starter kit or a probe run.
    public static func isReference(inPackage root: URL = PackageDirectory.root) -> Bool {
        let sources = SolutionSources.of(root)
        return Piece.allCases.allSatisfy { sources.marked.contains($0) && $0.isWritten(inPackage: root) }
    }

    /// The pieces with a region in `text` (the file at `file`, already read by
    /// ``stubbed(_:file:mode:keepingWritten:kept:)``, which throws on a bad marker).
    static func markedPieces(in text: String, file: String) -> Set<Piece> {
        var pieces: Set<Piece> = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let piece = try? SolutionSources.markedPiece(in: line, file: file, line: index + 1) {
                pieces.insert(piece)
            }
        }
        return pieces
    }

    /// "forward" from `public static func forward<T>(`; nil when the line declares no function.
    static func functionName(in line: String) -> String? {
        guard !line.hasPrefix("//"), let range = line.range(of: "func ") else { return nil }
        let name = line[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        return name.isEmpty ? nil : String(name)
    }
}
