import Foundation
import Learn
import LearnCourse
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
                // BEGIN SOLUTION cellState
                let c = g * g
                return c
                // END SOLUTION
            }

            public static func backward<T>(_ dC: Matrix<T>) -> Matrix<T> {
                // BEGIN SOLUTION cellState
                dC
                // END SOLUTION
            }

            public static func accumulate<T>(_ a: inout Matrix<T>, _ b: inout Matrix<T>, _ d: Matrix<T>) {
                // BEGIN SOLUTION cellState
                a += d
                b += d
                // END SOLUTION
            }

            public static func gradients<T>(_ d: Matrix<T>) -> (Matrix<T>, Matrix<T>) {
                // BEGIN SOLUTION cellState
                (
                    d, d
                )
                // END SOLUTION
            }
        }
        """

    @Test("each region becomes one stub naming the piece and the function, at the region's indentation")
    func stubs() throws {
        let (text, regions) = try StarterKit.stubbed(Self.source, file: "CellState.swift")
        #expect(regions == [.cellState: 4])
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.contains("        unimplemented(\"equation (5), cell state c — forward\")"), "\(text)")
        #expect(lines.contains("        unimplemented(\"equation (5), cell state c — backward\")"), "\(text)")
        // What is outside the regions is kept, precondition and doc comment included.
        #expect(text.contains("precondition(g.rows > 0, \"empty\")") && text.contains("/// c(t) = g ⊙ i"))
        #expect(!text.contains("SOLUTION") && !text.contains("g * g") && !text.contains("        dC\n"))
    }

    @Test("a tutorial's steps: the first k regions written without their markers, the rest stubs")
    func partlyWritten() throws {
        let kit = try StarterKit.stubbed(Self.source, file: "CellState.swift").text
        #expect(try StarterKit.stubbed(Self.source, file: "CellState.swift", keepingWritten: 0).text == kit)
        let forward = try StarterKit.stubbed(Self.source, file: "CellState.swift", keepingWritten: 1).text
        #expect(forward.contains("        let c = g * g\n        return c\n"))
        #expect(!forward.contains("unimplemented(\"equation (5), cell state c — forward\")"))
        #expect(forward.contains("unimplemented(\"equation (5), cell state c — backward\")"))
        let all = try StarterKit.stubbed(Self.source, file: "CellState.swift", keepingWritten: 4).text
        let solution = Self.source.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.contains("SOLUTION") }.joined(separator: "\n")
        #expect(all == solution)
        #expect(!all.contains("unimplemented(") && !all.contains("SOLUTION"))
    }

    @Test("a probe keeps the solution behind a guarded stub, with return made explicit for a lone expression")
    func probe() throws {
        let (text, regions) = try StarterKit.stubbed(Self.source, file: "CellState.swift", mode: .probe)
        #expect(regions == [.cellState: 4])
        let guardLine =
            "        if isProbedAsUnwritten(\"cellState\") { unimplemented(\"equation (5), cell state c — forward\") }"
        #expect(text.contains(guardLine + "\n        let c = g * g\n        return c\n"), "\(text)")
        #expect(text.contains("backward\") }\n        return dC\n"), "\(text)")
        // Two statements stay two statements: a `return` before the first would skip the second.
        #expect(text.contains("accumulate\") }\n        a += d\n        b += d\n"), "\(text)")
        // One expression over several lines, closing bracket and all, is still one.
        #expect(text.contains("gradients\") }\n        return (\n            d, d\n        )\n"), "\(text)")
        #expect(!text.contains("SOLUTION"))
    }

    @Test(
        "a probe build's guide says it keeps every solution, and is not a kit to hand out",
        .enabled(if: StarterKit.isReference()))
    func probeGuideIsHonest() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("probe-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try StarterKit.write(from: PackageDirectory.root, to: directory, mode: .probe)
        let guide = try String(contentsOf: directory.appendingPathComponent("STARTER-KIT.md"), encoding: .utf8)
        #expect(guide.hasPrefix("# Not a starter kit"))
        #expect(guide.contains("every solution is still"))
        #expect(!guide.contains("taken out"))
    }

    @Test(
        "a kit is moved into place whole: nothing partial is left beside it (a failed write: the full-disk test below)",
        .enabled(if: StarterKit.isReference()))
    func writtenWhole() throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("whole-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: parent) }
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        try StarterKit.write(from: PackageDirectory.root, to: parent.appendingPathComponent("kit"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["kit"])
    }

    /// A full disk, simulated by a limit on the size of any file written (the MNIST
    /// files are larger than it): the write fails part-way, and a second try without
    /// the limit is not refused.
    @Test(
        "a kit that cannot be written whole (a full disk) leaves nothing behind, and a second try succeeds",
        .enabled(if: StarterKit.isReference()))
    func fullDisk() async {
        await #expect(processExitsWith: .success) {
            let parent = FileManager.default.temporaryDirectory.appendingPathComponent("full-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: parent) }
            try? FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
            let kit = parent.appendingPathComponent("kit")
            signal(SIGXFSZ, SIG_IGN)  // a write past the limit fails (EFBIG) instead of ending the process
            var limit = rlimit(rlim_cur: 2 << 20, rlim_max: rlim_t.max)
            setrlimit(Int32(RLIMIT_FSIZE.rawValue), &limit)
            do {
                try StarterKit.write(from: PackageDirectory.root, to: kit)
                fatalError("the kit was written past a 2 MB file limit")
            } catch {
                precondition("\(error)".contains("nothing was left behind"), "\(error)")
            }
            let left = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? ["?"]
            precondition(left.isEmpty, "left behind: \(left)")
            limit.rlim_cur = rlim_t.max
            setrlimit(Int32(RLIMIT_FSIZE.rawValue), &limit)
            do {
                try StarterKit.write(from: PackageDirectory.root, to: kit)
            } catch {
                fatalError("the second try failed: \(error)")
            }
            precondition(FileManager.default.fileExists(atPath: kit.appendingPathComponent("STARTER-KIT.md").path))
        }
    }

    @Test("unbalanced markers are errors naming the file and line")
    func brokenMarkers() {
        let unclosed = Self.source.replacingOccurrences(of: "        // END SOLUTION\n    }\n\n", with: "    }\n\n")
        let stray = "// END SOLUTION\n"
        let nested = Self.source.replacingOccurrences(of: "let c = g * g", with: "// BEGIN SOLUTION cellState")
        for (text, problem, line) in [
            (unclosed, "a region opens inside another", 11), (stray, "// END SOLUTION without a region open", 1),
            (nested, "a region opens inside another", 6),
        ] {
            #expect {
                _ = try StarterKit.stubbed(text, file: "CellState.swift")
            } throws: { error in
                let e = error as? StarterKitError
                return e?.file == "CellState.swift" && e?.line == line && e?.problem == problem
            }
        }
    }

    @Test("a marker must name a known piece, and says which pieces there are when it does not")
    func markerNamesAPiece() {
        for (text, problem) in [
            ("// BEGIN SOLUTION cellstate\n// END SOLUTION", "names 'cellstate', which is no piece"),
            ("    // BEGIN SOLUTION\n// END SOLUTION", "names no piece"),
        ] {
            #expect {
                _ = try StarterKit.stubbed(text, file: "X.swift")
            } throws: { error in
                let e = error as? StarterKitError
                return e?.file == "X.swift" && e?.line == 1 && e?.problem.contains(problem) == true
                    && e?.problem.contains("cellState") == true
            }
        }
    }

    @Test("a stub line names its piece through the title it quotes; comments and probe guards are not stubs")
    func stubLines() {
        #expect(
            SolutionSources.stub(in: "    unimplemented(\"equation (5), cell state c — forward\")")! == (
                .cellState, true
            ))
        #expect(
            SolutionSources.stub(in: "if isProbedAsUnwritten(\"lstm\") { unimplemented(\"\(Piece.lstm.title) — x\") }")!
                == (.lstm, false))
        #expect(SolutionSources.stub(in: "///     unimplemented(\"equation (5), cell state c — forward\")") == nil)
        #expect(SolutionSources.stub(in: "    unimplemented(\"something else — forward\")") == nil)
    }

    // In a kit or a probe run the package is no longer the reference: nothing to check.
    @Test(
        "in this package every marker names a piece, every piece has its regions, and no piece has a stub",
        .enabled(if: StarterKit.isReference()))
    func everyPieceIsMarked() throws {
        let sources = SolutionSources(scanning: PackageDirectory.root)
        #expect(sources.problems.isEmpty, "\(sources.problems)")
        for piece in Piece.allCases {
            #expect(sources.marked.contains(piece), "\(piece.rawValue): no // BEGIN SOLUTION \(piece.rawValue)")
            #expect(piece.isWritten(), "\(sources.files(of: piece)) holds a stub of \(piece.title)")
        }
        #expect(Piece.unwrittenMessage(Piece.allCases) == nil)
    }

    @Test(
        "a kit stubs its assignment's and later pieces, keeps earlier ones written, and names its assignment",
        .enabled(if: StarterKit.isReference()), arguments: Assignment.allCases)
    func kitScan(_ assignment: Assignment) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let stubs = try StarterKit.write(from: PackageDirectory.root, to: directory, assignment: assignment)
        let stubbed = Piece.allCases.filter { piece in piece.assignments.contains { $0 >= assignment } }
        #expect(stubs.map(\.piece) == stubbed)
        #expect(Set(assignment.pieces).isSubset(of: stubbed))
        let reference = SolutionSources(scanning: PackageDirectory.root)
        let kit = SolutionSources(scanning: directory)
        #expect(kit.marked.isEmpty && kit.problems.isEmpty)
        for piece in Piece.allCases {
            if stubbed.contains(piece) {
                #expect(kit.stubbed.contains(piece), "\(piece.rawValue) is not stubbed in the kit")
                #expect(kit.files(of: piece) == reference.files(of: piece))
                #expect(!piece.isWritten(inPackage: directory))
            } else {
                // An earlier assignment's own piece: written, its code there without markers.
                #expect(piece.isWritten(inPackage: directory), "\(piece.rawValue) was stubbed in \(assignment)'s kit")
                for file in reference.files(of: piece) {
                    let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
                    #expect(!text.contains(SolutionSources.stubCall), "\(file) holds a stub")
                }
            }
        }
        #expect(StarterKit.manifest(inPackage: directory) == StarterKit.Manifest(assignment: assignment))
        #expect(Assignment.of(package: directory) == assignment)
        #expect(Assignment.of(package: PackageDirectory.root) == .standard)
        #expect(!StarterKit.isReference(inPackage: directory))
        // The solutions in PyTorch (the worked example, the example submissions) stay out;
        // the answers tool a student may run stays in.
        let pytorch = directory.appendingPathComponent("Scripts/pytorch")
        for left in ["example_student.py", "examples", "test_examples.py", "test_learn_answers.py"] {
            #expect(!FileManager.default.fileExists(atPath: pytorch.appendingPathComponent(left).path), "\(left)")
        }
        #expect(FileManager.default.fileExists(atPath: pytorch.appendingPathComponent("learn_answers.py").path))
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

    @Test("the pieces are listed in an order of work: each after every piece it uses")
    func orderOfWork() {
        for (position, piece) in Piece.allCases.enumerated() {
            for used in piece.dependencies {
                #expect(
                    Piece.allCases.firstIndex(of: used)! < position,
                    "\(piece.rawValue) is listed before \(used.rawValue)")
            }
        }
        for assignment in Assignment.allCases {
            let pieces = assignment.pieces
            #expect(Set(pieces).count == pieces.count, "\(assignment) lists a piece twice")
            for (position, piece) in pieces.enumerated() {
                #expect(piece.assignments.contains(assignment), "\(piece.rawValue) is not \(assignment)'s")
                for used in piece.closure.dropLast() {
                    let at = pieces.firstIndex(of: used)
                    #expect(at != nil && at! < position, "\(assignment): \(piece.rawValue) before \(used.rawValue)")
                }
            }
            #expect(Set(pieces) == Set(Piece.allCases.filter { $0.assignments.contains(assignment) }))
        }
        #expect(Assignment(argument: "2") == .two && Assignment(argument: "3") == .three)
        #expect(Assignment(argument: "4") == nil && Assignment(argument: "two") == nil)
    }

    @Test("a solution line anywhere else in a kit is a leak, found in code and in doc comments alike")
    func leaks() {
        let piece = """
            func f(a: Matrix<Double>) -> Matrix<Double> {
                // BEGIN SOLUTION cellState
                let product = a * a + a.sigmoid()
                return product
                // END SOLUTION
            }
            """
        let solution = StarterKit.solutionLines(in: piece)
        #expect(solution == ["let product = a * a + a.sigmoid()"], "short lines are not telling: \(solution)")
        let files: [(path: String, data: Data)] = [
            ("Tests/T.swift", Data("    let   product = a * a +  a.sigmoid()\n".utf8)),
            ("Sources/Learn/Doc.swift", Data("/// x\n///     let product = a * a + a.sigmoid()\n".utf8)),
            ("Sources/Learn/Other.swift", Data("let product = a * a + a.tanh()\nreturn product\n".utf8)),
        ]
        #expect(
            StarterKit.leaks(of: solution, in: files) == [
                "Tests/T.swift:1: let product = a * a + a.sigmoid()",
                "Sources/Learn/Doc.swift:2: let product = a * a + a.sigmoid()",
            ])
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

    @Test("a kit is never written over a file or a link, nor under a file: refused, saying why, all left as it was")
    func refusesFilesLinksAndPathsUnderFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("f")
        try Data("x\n".utf8).write(to: file)
        let link = directory.appendingPathComponent("link")
        let empty = directory.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: empty)
        for (destination, reason) in [
            (file, "is a file, not a folder"), (link, "is a symbolic link"),
            (file.appendingPathComponent("sub"), "lies under \(file.path), which is a file"),
            (file.appendingPathComponent("a/b"), "lies under \(file.path), which is a file"),
        ] {
            let error = #expect(throws: StarterKitError.self) {
                try StarterKit.write(from: PackageDirectory.root, to: destination)
            }
            #expect(error?.problem.contains(reason) == true, "\(destination.path): \(String(describing: error))")
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == "x\n")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == empty.path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["empty", "f", "link"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: empty.path).isEmpty)
    }
}
