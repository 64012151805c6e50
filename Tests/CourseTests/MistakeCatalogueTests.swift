import Foundation
import Learn
import LearnCourse
import LearnTesting
import Testing

/// The catalogue of typical mistakes must fit the sources it mutates, cover every
/// piece, and reach the instrumented build — but never a starter kit.
@Suite("The catalogue of typical mistakes")
struct MistakeCatalogueTests {
    /// The catalogue is withheld from a starter kit, where it is empty.
    static let isReference = !MistakeCatalogue.all.isEmpty

    @Test("every edit of every mistake is found exactly once in its piece's solution; ids are unique")
    func fitsTheSources() {
        #expect(MistakeCatalogue.problems().isEmpty, "\(MistakeCatalogue.problems().joined(separator: "\n"))")
    }

    @Test(
        "every piece has at least two mistakes, and there are at least 60 in all",
        .enabled(if: isReference, "a starter kit has no catalogue"))
    func coversEveryPiece() throws {
        for piece in Piece.allCases {
            let count = MistakeCatalogue.all.filter { $0.piece == piece }.count
            #expect(count >= 2, "\(piece.rawValue) has \(count) mistakes")
        }
        #expect(MistakeCatalogue.all.count >= 60)
    }

    @Test(
        "a mistake whose text is not in its piece's solution is reported, naming it",
        .enabled(if: isReference, "a starter kit has no catalogue"))
    func reportsAStaleMistake() throws {
        // The same check, run on a package whose Affine.swift lost the text an edit needs.
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("mistakes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let equations = root.appendingPathComponent("Sources/Learn/Equations")
        try FileManager.default.createDirectory(at: equations, withIntermediateDirectories: true)
        let affine = try String(
            contentsOf: PackageDirectory.root.appendingPathComponent("Sources/Learn/Equations/Affine.swift"),
            encoding: .utf8)
        try affine.replacingOccurrences(of: "dB += dY.sumOverRows()", with: "dB += dY.sumOverRows(/* */)")
            .write(to: equations.appendingPathComponent("Affine.swift"), atomically: true, encoding: .utf8)
        let problems = MistakeCatalogue.problems(inPackage: root)
        #expect(problems.contains { $0.hasPrefix("affine.dB-assigned: 'dB += dY.sumOverRows()' occurs 0 times") })
    }

    @Test(
        "the instrumented copy guards every mistake in its piece's file; a starter kit has none of them",
        .enabled(if: isReference, "a starter kit has no catalogue"))
    func instrumentedCopy() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("mistakes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let (copy, kit) = (base.appendingPathComponent("copy"), base.appendingPathComponent("kit"))
        try StarterKit.write(from: PackageDirectory.root, to: copy, mode: .mistakes)
        try StarterKit.write(from: PackageDirectory.root, to: kit, mode: .stubs)
        let sources = SolutionSources.of(PackageDirectory.root)
        for mistake in MistakeCatalogue.all {
            let texts = try sources.files(of: mistake.piece).map {
                try String(contentsOf: copy.appendingPathComponent($0), encoding: .utf8)
            }
            #expect(
                texts.contains { $0.contains("isMistakeMade(\"\(mistake.id)\")") },
                "\(mistake.id) is not guarded in \(sources.files(of: mistake.piece))")
        }
        let catalogue = "Sources/LearnCourse/Mistakes/MistakeCatalogue.swift"
        let kitCatalogue = try String(contentsOf: kit.appendingPathComponent(catalogue), encoding: .utf8)
        #expect(kitCatalogue == StarterKit.withheld[catalogue])
        #expect(!kitCatalogue.contains("Mistake(\""))
    }
}
