import Foundation
import Learn

/// The student starter kit: a copy of the package in which every marked solution
/// region is replaced by a stub that compiles and fails loudly.
///
/// In the reference sources each ``Piece`` marks its solution, naming itself:
///
///     public static func double<T>(_ x: Matrix<T>) -> Matrix<T> {
///         // BEGIN SOLUTION example
///         x + x
///         // END SOLUTION
///     }
///
/// and the kit has, in the same place, a stub quoting the piece's title and the
/// function, `unimplemented("<title> — double")`.
///
/// Everything else is copied as it is: the tests, the fixtures, the tutorials, the doc
/// comments with each equation and its derivation. In the kit, `swift test` fails
/// exactly on the pieces not yet written ("not implemented yet: …"), and writing one
/// turns its tests green. Not copied: build products, tutorial outputs, version
/// control, CI, and `Fixtures/hidden` (an instructor's hidden cases, see ``GradedCheck``).
public enum StarterKit {
    static let beginMarker = SolutionSources.beginMarker
    static let endMarker = SolutionSources.endMarker
    /// Paths not copied into a kit: version control, CI, an instructor's hidden cases,
    /// the solutions in other forms (the PyTorch worked example, the example submissions
    /// and their tests, the DocC tutorials and their code steps), the maintainers' timing
    /// of the student loop, and what builds and tutorial runs leave behind (as
    /// `.gitignore` lists them).
    public static let excluded: Set<String> = [
        ".git", ".swiftpm", ".ci", "Fixtures/hidden", "out", "Scripts/pytorch/example_student.py",
        "Scripts/pytorch/examples", "Scripts/pytorch/test_examples.py", "Scripts/pytorch/test_learn_answers.py",
        "Scripts/student-loop", "Sources/Learn/Learn.docc/Tutorials", "Sources/Learn/Learn.docc/Resources/code",
    ]

    /// True for a path the kit leaves out: an excluded path, or a build or Python cache
    /// directory anywhere (`.build`, `.build-linux`, `__pycache__`).
    static func isExcluded(_ path: String) -> Bool {
        excluded.contains(path)
            || path.split(separator: "/").contains { $0.hasPrefix(".build") || $0 == "__pycache__" }
    }

    /// What becomes of a solution region.
    public enum Mode: Sendable {
        /// The student's kit: the region is replaced by a stub.
        case stubs
        /// A maintainer's probe: the solution stays, behind a stub that fires only when
        /// `LEARN_PROBE_UNWRITTEN` names the piece (its build's `isProbedAsUnwritten(_:)`). One
        /// build then stands for every kit with one piece missing.
        case probe
        /// A maintainer's mutation build: each region also holds the wrong versions of
        /// ``MistakeCatalogue``, each made only while `LEARN_MISTAKE` names it
        /// (its build's `isMistakeMade(_:)`). One build then stands for every typical mistake.
        case mistakes
    }

    /// Writes a kit of `assignment` of the package at `source` into `destination`, which
    /// must not exist yet or be an empty folder (a kit never overwrites anyone's work; see
    /// ``checkDestination(_:)``). Returns the stubs made: of the assignment's
    /// ``Assignment/stubbedPieces``; an earlier assignment's own pieces keep their code.
    @discardableResult
    public static func write(
        from source: URL, to destination: URL, mode: Mode = .stubs, assignment: Assignment = .standard
    ) throws -> [Stub] {
        let manager = FileManager.default
        try checkDestination(destination)
        if mode == .mistakes, case let problems = MistakeCatalogue.problems(inPackage: source), !problems.isEmpty {
            throw StarterKitError(
                file: source.path, line: nil,
                problem: "the mistakes do not fit the sources: " + problems.joined(separator: "; "))
        }
        let files = try packageFiles(under: source)
        let kept = mode == .stubs ? Set(Piece.allCases).subtracting(assignment.stubbedPieces) : []
        var marked: Set<Piece> = []
        var regions: [Piece: Int] = [:]
        var pieceFiles: [Piece: [String]] = [:]
        var solution: Set<String> = []  // the telling lines of every region, for the leak check
        var copies: [(path: String, data: Data)] = []
        for path in files {
            if mode != .mistakes, let replacement = withheld[path] {
                copies.append((path, Data(replacement.utf8)))
                continue
            }
            if mode == .stubs && path == "README.md" {
                copies.append((path, Data(studentReadme.utf8)))
                continue
            }
            let data = try Data(contentsOf: source.appendingPathComponent(path))
            // Only the sources hold pieces (tests may quote markers in their strings).
            guard path.hasPrefix("Sources/"), path.hasSuffix(".swift"), let text = String(data: data, encoding: .utf8)
            else {
                copies.append((path, data))
                continue
            }
            let (kitText, found) = try stubbed(text, file: path, mode: mode, kept: kept)
            let pieces = markedPieces(in: text, file: path)
            marked.formUnion(pieces)
            if !pieces.isEmpty && !path.hasPrefix(SolutionSources.directory + "/") {
                throw StarterKitError(
                    file: path, line: nil,
                    problem: "has solution regions, which belong in the library (\(SolutionSources.directory))")
            }
            for (piece, count) in found {
                regions[piece, default: 0] += count
                pieceFiles[piece, default: []].append(path)
            }
            if !found.isEmpty { solution.formUnion(solutionLines(in: text, of: Set(found.keys))) }
            copies.append((path, pieces.isEmpty ? data : Data(kitText.utf8)))
        }
        let missing = Piece.allCases.filter { !marked.contains($0) }
        guard missing.isEmpty else {
            throw StarterKitError(
                file: source.path, line: nil,
                problem: "no \(beginMarker) region for "
                    + missing.map { "\($0.title) (\($0.rawValue))" }
                    .joined(separator: ", "))
        }
        let stubbedPieces = mode == .stubs ? assignment.stubbedPieces : Piece.allCases
        let stubs = stubbedPieces.map { Stub(piece: $0, files: pieceFiles[$0] ?? [], regions: regions[$0] ?? 0) }
        if mode == .stubs {
            let found = leaks(of: solution, in: copies)
            guard found.isEmpty else {
                throw StarterKitError(
                    file: destination.path, line: nil,
                    problem: "the kit would show solution lines outside their regions (reword or remove them): "
                        + found.prefix(10).joined(separator: "; "))
            }
        }
        // Written beside the destination and moved into place whole, so that a failure
        // (a full disk) leaves no half kit that a second try would refuse as "not empty".
        let staging = destination.deletingLastPathComponent().appendingPathComponent(
            ".\(destination.lastPathComponent).partial-\(UUID().uuidString)")
        do {
            for (path, data) in copies {
                let url = staging.appendingPathComponent(path)
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url)
            }
            try TextFile.write(
                guide(stubs, mode: mode, assignment: assignment),
                to: staging.appendingPathComponent("STARTER-KIT.md").path)
            if mode == .stubs {
                try Data(Manifest(assignment: assignment).encoded.utf8).write(
                    to: staging.appendingPathComponent(manifestFile))
            }
            if let hooks = instrumentation(mode) {
                try TextFile.write(hooks, to: staging.appendingPathComponent(instrumentationFile).path)
            }
            if manager.fileExists(atPath: destination.path) { try manager.removeItem(at: destination) }  // empty
            try manager.moveItem(at: staging, to: destination)
        } catch {
            try? manager.removeItem(at: staging)
            let reason = (error as? OutputFileError).map(\.reason) ?? (error as NSError).localizedFailureReason
            throw StarterKitError(
                file: destination.path, line: nil,
                problem: "could not be written (\(reason ?? error.localizedDescription)); nothing was left behind")
        }
        return stubs
    }

    /// The files of the package at `root`, relative to it, without the excluded paths
    /// (``excluded``, and build caches): what a kit, a submission or a Gradescope bundle is made of.
    public static func packageFiles(under root: URL) throws -> [String] {
        let rootPath = root.standardizedFileURL.path + "/"
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        else {
            throw StarterKitError(file: root.path, line: nil, problem: "cannot be read")
        }
        var files: [String] = []
        for case let url as URL in walker {
            let path = String(url.standardizedFileURL.path.dropFirst(rootPath.count))
            if isExcluded(path) {
                walker.skipDescendants()
                continue
            }
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { files.append(path) }
        }
        return files.sorted()
    }

    /// A piece stubbed in the kit.
    public struct Stub: Sendable {
        /// The piece.
        public var piece: Piece
        /// The files its stubs are in, relative to the package root.
        public var files: [String]
        /// How many regions became stubs.
        public var regions: Int
    }
}
