import Foundation
import Learn

extension Piece {
    /// Where the student stands in the package at `root` on `assignment` (by default the
    /// package's own), as `grade` and `swift test` end: `Pieces written: k of n.`,
    /// `Next: write … in ….` and the `grade --only` command for the checks that piece
    /// opens; empty when every piece of the assignment is written.
    public static func progress(
        inPackage root: URL = PackageDirectory.root, assignment: Assignment? = nil
    ) -> [String] {
        let assignment = assignment ?? Assignment.of(package: root)
        let pieces = assignment.pieces
        let missing = pieces.filter { !$0.isWritten(inPackage: root) }
        guard let next = missing.first else { return [] }
        let files = SolutionSources.of(root).files(of: next).joined(separator: ", ")
        var lines = [
            "Pieces written: \(pieces.count - missing.count) of \(pieces.count) (\(assignment)).",
            "Next: write \(next.title) in \(files).",
        ]
        let opened = GradingCatalogue.checks(for: assignment).filter {
            unwritten($0.pieces, inPackage: root) == [next]
        }
        if !opened.isEmpty {
            let named = assignment == Assignment.of(package: root) ? "" : " --assignment \(assignment.rawValue)"
            lines.append(
                "Then: swift run -c release Course grade\(named) --only " + opened.map(\.id).joined(separator: ","))
        }
        return lines
    }
}
