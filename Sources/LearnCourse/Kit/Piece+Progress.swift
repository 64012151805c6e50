import Foundation
import Learn

extension Piece {
    /// Where the student stands in the package at `root`, as `grade` and `swift test`
    /// end: `Pieces written: k of n.`, `Next: write … in ….` and the `grade --only`
    /// command for the checks that piece opens; empty when every piece is written.
    public static func progress(inPackage root: URL = PackageDirectory.root) -> [String] {
        let missing = unwritten(allCases, inPackage: root)
        guard let next = missing.first else { return [] }
        let files = SolutionSources.of(root).files(of: next).joined(separator: ", ")
        var lines = [
            "Pieces written: \(allCases.count - missing.count) of \(allCases.count).",
            "Next: write \(next.title) in \(files).",
        ]
        let opened = GradingCatalogue.checks.filter { unwritten($0.pieces, inPackage: root) == [next] }
        if !opened.isEmpty {
            lines.append("Then: swift run -c release Course grade --only " + opened.map(\.id).joined(separator: ","))
        }
        return lines
    }
}
