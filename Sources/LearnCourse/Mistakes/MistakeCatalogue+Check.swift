import Foundation
import Learn

extension MistakeCatalogue {
    /// One solution region: its piece, the function it is in, and its text.
    struct Region {
        var piece: Piece
        var function: String
        var text: String
    }

    /// Every solution region of the package at `root`.
    static func regions(inPackage root: URL) throws -> [Region] {
        let sources = root.appendingPathComponent(SolutionSources.directory)
        var regions: [Region] = []
        for path in try StarterKit.packageFiles(under: sources) where path.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(path), encoding: .utf8)
            var function = "solution"
            var open: Region?
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if let name = StarterKit.functionName(in: trimmed) { function = name }
                if let piece = try SolutionSources.markedPiece(in: line, file: path, line: index + 1) {
                    open = Region(piece: piece, function: function, text: "")
                } else if trimmed == SolutionSources.endMarker, let region = open {
                    regions.append(region)
                    open = nil
                } else if open != nil {
                    open!.text += line + "\n"
                }
            }
        }
        return regions
    }

    /// Why the catalogue does not fit the sources of the package at `root`: an id used
    /// twice, or an edit whose text is not found exactly once in its piece's solution
    /// (in the function it names). Empty when every mistake can be made.
    public static func problems(inPackage root: URL = PackageDirectory.root) -> [String] {
        let regions: [Region]
        do {
            regions = try Self.regions(inPackage: root)
        } catch {
            return ["the sources cannot be read: \(error)"]
        }
        var problems: [String] = []
        var seen: Set<String> = []
        for mistake in all {
            if !seen.insert(mistake.id).inserted { problems.append("\(mistake.id): the id is used twice") }
            if mistake.edits.isEmpty { problems.append("\(mistake.id): no edit") }
            for edit in mistake.edits {
                let places = regions.filter {
                    $0.piece == mistake.piece && (edit.function == nil || $0.function == edit.function)
                }
                let count = places.reduce(0) { $0 + $1.text.components(separatedBy: edit.find).count - 1 }
                if count != 1 {
                    problems.append(
                        "\(mistake.id): '\(edit.find)' occurs \(count) times in the solution of \(mistake.piece.rawValue)"
                            + (edit.function.map { " (function \($0))" } ?? "") + ", not once")
                }
                if edit.find == edit.replace { problems.append("\(mistake.id): an edit changes nothing") }
            }
        }
        return problems
    }
}
