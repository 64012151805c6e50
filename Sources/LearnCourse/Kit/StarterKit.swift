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

/// A starter kit that cannot be written: a marker out of place, a piece without its
/// file, a destination that holds files.
public struct StarterKitError: Error, Sendable, CustomStringConvertible {
    /// The file (or directory) concerned.
    public var file: String
    /// The line, when the problem has one.
    public var line: Int?
    /// What is wrong.
    public var problem: String

    /// `"<file>:<line>: <problem>"`.
    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(problem)" }
}
