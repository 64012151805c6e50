import Foundation
import Learn

/// Where each ``Piece`` is in a package's sources, read from the sources themselves:
/// the reference solution's `// BEGIN SOLUTION <piece>` markers, and a starter kit's
/// stubs, `unimplemented("<piece's title> — <function>")`.
///
/// So a file can be renamed or a piece moved without any table to update, and a
/// marker that names no known piece is a problem reported here (and by a test), not
/// a region silently left out of the kit. Pieces live in the library students import,
/// ``directory``; the course tools and chapters only quote stubs in their texts.
public struct SolutionSources: Sendable {
    /// Where the pieces are, relative to the package root.
    public static let directory = "Sources/Learn"

    /// The line that opens a solution region (after indentation), followed by the piece.
    public static let beginMarker = "// BEGIN SOLUTION"
    /// The line that closes it.
    public static let endMarker = "// END SOLUTION"
    /// What a stub calls; a line that starts with it is a stub in place of a solution.
    public static let stubCall = "unimplemented(\""

    /// For each piece, the files (relative to the package root) holding its regions or stubs.
    public private(set) var locations: [Piece: [String]] = [:]
    /// The pieces with at least one solution region.
    public private(set) var marked: Set<Piece> = []
    /// The pieces with at least one stub line: not written yet.
    public private(set) var stubbed: Set<Piece> = []
    /// Markers that name no piece: `file:line: problem`.
    public private(set) var problems: [StarterKitError] = []

    /// Reads every Swift file under ``directory`` of the package at `root` that the
    /// compiler builds: not those of a documentation catalog (`Learn.docc`, whose
    /// tutorial steps quote the pieces half written), which SwiftPM leaves out too.
    public init(scanning root: URL) {
        let sources = root.appendingPathComponent(Self.directory)
        let files = (try? StarterKit.packageFiles(under: sources)) ?? []
        let compiled = files.filter { path in
            path.hasSuffix(".swift") && !path.split(separator: "/").contains { $0.hasSuffix(".docc") }
        }
        for path in compiled {
            guard let text = try? String(contentsOf: sources.appendingPathComponent(path), encoding: .utf8) else {
                continue
            }
            scan(text, file: Self.directory + "/" + path)
        }
    }

    /// The files holding `piece`, or a note that none does.
    public func files(of piece: Piece) -> [String] {
        locations[piece] ?? ["no file holds its regions or stubs"]
    }

    /// The piece a marker line names; nil when `line` is no begin marker. Throws for a
    /// marker naming no piece.
    public static func markedPiece(
        in line: Substring, file: String, line number: Int
    ) throws(StarterKitError)
        -> Piece?
    {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix(beginMarker) else { return nil }
        let name = trimmed.dropFirst(beginMarker.count).trimmingCharacters(in: .whitespaces)
        guard let piece = Piece(rawValue: name) else {
            let known = Piece.allCases.map(\.rawValue).joined(separator: ", ")
            throw StarterKitError(
                file: file, line: number,
                problem: name.isEmpty
                    ? "\(beginMarker) names no piece (write e.g. \(beginMarker) cellState; the pieces: \(known))"
                    : "\(beginMarker) names '\(name)', which is no piece (the pieces: \(known))")
        }
        return piece
    }

    /// The piece a stub names, and whether it is a bare stub (not a probe's guarded one);
    /// nil when the line holds no stub. Comments are not stubs.
    public static func stub(in line: Substring) -> (piece: Piece, bare: Bool)? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.hasPrefix("//"), let call = trimmed.range(of: stubCall) else { return nil }
        let quoted = trimmed[call.upperBound...].prefix { $0 != "\"" }
        guard let dash = quoted.range(of: " — "), let piece = Piece(title: String(quoted[..<dash.lowerBound])) else {
            return nil
        }
        return (piece, call.lowerBound == trimmed.startIndex)
    }

    private mutating func scan(_ text: String, file: String) {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            do {
                if let piece = try Self.markedPiece(in: line, file: file, line: index + 1) {
                    marked.insert(piece)
                    note(piece, in: file)
                } else if let (piece, bare) = Self.stub(in: line) {
                    if bare { stubbed.insert(piece) }
                    note(piece, in: file)
                }
            } catch {
                problems.append(error)
            }
        }
    }

    private mutating func note(_ piece: Piece, in file: String) {
        if !(locations[piece] ?? []).contains(file) { locations[piece, default: []].append(file) }
    }
}

extension SolutionSources {
    /// The scan of the package at `root`, made once per process: tests ask for every
    /// piece of every test, and the sources do not change under a running test suite.
    public static func of(_ root: URL) -> SolutionSources {
        cache.value(for: root.standardizedFileURL.path) { SolutionSources(scanning: root) }
    }

    /// Drops the scan of the package at `root`, whose piece files changed (a grader
    /// that takes one submission after another into the same copy).
    public static func forget(_ root: URL) {
        cache.forget(root.standardizedFileURL.path)
    }

    private static let cache = ScanCache()
}

/// A lock around the scans already made.
private final class ScanCache: @unchecked Sendable {
    private let lock = NSLock()
    private var scans: [String: SolutionSources] = [:]

    func forget(_ key: String) {
        lock.withLock { _ = scans.removeValue(forKey: key) }
    }

    func value(for key: String, _ make: () -> SolutionSources) -> SolutionSources {
        lock.lock()
        defer { lock.unlock() }
        if let scan = scans[key] { return scan }
        let scan = make()
        scans[key] = scan
        return scan
    }
}
