import Foundation
import Learn
import Testing

/// The starter kit's writer: what a stub looks like, what a broken marker says, what is
/// copied. (`.ci/check-starter-kit` builds a whole kit and runs its tests.)
@Suite("Starter kit")
struct StarterKitTests {
    static let source = """
        public enum CellState {
            /// c(t) = g ⊙ i + c(t−1) ⊙ f
            public static func forward<T>(g: Matrix<T>) -> Matrix<T> {
                precondition(g.rows > 0, "empty")
                // BEGIN SOLUTION
                let c = g * g
                return c
                // END SOLUTION
            }

            public static func backward<T>(_ dC: Matrix<T>) -> Matrix<T> {
                // BEGIN SOLUTION
                dC
                // END SOLUTION
            }

            public static func accumulate<T>(_ a: inout Matrix<T>, _ b: inout Matrix<T>, _ d: Matrix<T>) {
                // BEGIN SOLUTION
                a += d
                b += d
                // END SOLUTION
            }

            public static func gradients<T>(_ d: Matrix<T>) -> (Matrix<T>, Matrix<T>) {
                // BEGIN SOLUTION
                (
                    d, d
                )
                // END SOLUTION
            }
        }
        """

    @Test("each region becomes one stub naming the piece and the function, at the region's indentation")
    func stubs() throws {
        let (text, regions) = try StarterKit.stubbed(Self.source, piece: .cellState)
        #expect(regions == 4)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.contains("        unimplemented(\"equation (5), cell state c — forward\")"), "\(text)")
        #expect(lines.contains("        unimplemented(\"equation (5), cell state c — backward\")"), "\(text)")
        // What is outside the regions is kept, precondition and doc comment included.
        #expect(text.contains("precondition(g.rows > 0, \"empty\")") && text.contains("/// c(t) = g ⊙ i"))
        #expect(!text.contains("SOLUTION") && !text.contains("g * g") && !text.contains("        dC\n"))
    }

    @Test("a probe keeps the solution behind a guarded stub, with return made explicit for a lone expression")
    func probe() throws {
        let (text, regions) = try StarterKit.stubbed(Self.source, piece: .cellState, mode: .probe)
        #expect(regions == 4)
        let guardLine =
            "        if StarterKit.isProbed(.cellState) { unimplemented(\"equation (5), cell state c — forward\") }"
        #expect(text.contains(guardLine + "\n        let c = g * g\n        return c\n"), "\(text)")
        #expect(text.contains("backward\") }\n        return dC\n"), "\(text)")
        // Two statements stay two statements: a `return` before the first would skip the second.
        #expect(text.contains("accumulate\") }\n        a += d\n        b += d\n"), "\(text)")
        // One expression over several lines, closing bracket and all, is still one.
        #expect(text.contains("gradients\") }\n        return (\n            d, d\n        )\n"), "\(text)")
        #expect(!text.contains("SOLUTION"))
    }

    @Test("unbalanced markers are errors naming the file and line")
    func brokenMarkers() {
        let unclosed = Self.source.replacingOccurrences(of: "        // END SOLUTION\n    }\n\n", with: "    }\n\n")
        let stray = "// END SOLUTION\n"
        let nested = Self.source.replacingOccurrences(of: "let c = g * g", with: "// BEGIN SOLUTION")
        for (text, problem, line) in [
            (unclosed, "a region opens inside another", 11), (stray, "// END SOLUTION without a region open", 1),
            (nested, "a region opens inside another", 6),
        ] {
            #expect {
                _ = try StarterKit.stubbed(text, piece: .cellState)
            } throws: { error in
                let e = error as? StarterKitError
                return e?.file == Piece.cellState.file && e?.line == line && e?.problem == problem
            }
        }
    }

    // In a kit or a probe run the package is no longer the reference: nothing to check.
    @Test(
        "every piece's file in this package has its regions, and the reference has no stub",
        .enabled(if: StarterKit.isReference()))
    func everyPieceIsMarked() throws {
        for piece in Piece.allCases {
            let text = try String(
                contentsOf: PackageDirectory.appending(piece.file), encoding: .utf8)
            #expect(try StarterKit.stubbed(text, piece: piece).regions > 0, "\(piece.file) has no region")
            #expect(piece.isWritten(), "\(piece.file) holds a stub")
        }
        #expect(Piece.unwrittenMessage(Piece.allCases) == nil)
    }

    @Test("a piece's closure lists its dependencies first, each once")
    func closure() {
        let lstm = Piece.lstm.closure
        #expect(lstm.last == .lstm)
        #expect(Set(lstm).count == lstm.count)
        #expect(lstm.firstIndex(of: .affine)! < lstm.firstIndex(of: .gateMachinery)!)
        #expect(lstm.firstIndex(of: .gateMachinery)! < lstm.firstIndex(of: .forgetGate)!)
        #expect(Piece.cellState.closure == [.cellState])
    }

    @Test("a kit is never written over existing files")
    func refusesNonEmptyDestination() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let saved = directory.appendingPathComponent("my-work.swift")
        try Data("// mine".utf8).write(to: saved)
        #expect(throws: StarterKitError.self) { try StarterKit.write(from: PackageDirectory.root, to: directory) }
        #expect(try String(contentsOf: saved, encoding: .utf8) == "// mine")
    }
}
