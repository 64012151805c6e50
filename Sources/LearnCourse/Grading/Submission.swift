import Foundation
import Learn

/// A student's submission, prepared for grading in a pristine copy of the instructor's
/// package: only the files that hold pieces (``SolutionSources``) are taken from it;
/// every other file — the grading catalogue, the tests, the fixtures, the course tools —
/// stays the instructor's, so editing them changes nothing.
///
/// The copy starts as a fresh starter kit of the instructor's package (so a piece whose
/// file the submission lacks is graded as unwritten, never as the reference solution),
/// and each piece file the submission has replaces the kit's. What else differs is
/// listed as ignored.
public struct Submission: Sendable {
    /// The submission's package folder (the one holding `Sources/Learn`).
    public var root: URL
    /// The files that hold pieces, relative to the package: the only ones taken.
    public var editable: [String]
    /// Of those, the ones the submission has and that were taken.
    public var taken: [String] = []
    /// Of the taken ones, those that differ from the kit's: the student's work.
    public var changed: [String] = []
    /// Of those, the ones it lacks: graded as the kit's stubs.
    public var missing: [String] = []
    /// Every other file of the submission that differs from the kit or is not in it.
    public var ignored: [String] = []
    /// The files left out unread for their size, each as `N bytes: path`.
    public var skipped: [String] = []

    /// Unpacks `path` — a folder, a `.zip` or a `.tar.gz` (`.tgz`) — into `scratch` as
    /// `confinement` does (only its regular files of at most
    /// ``Confinement/fileLimit`` bytes, without owners, modes or links), and finds the
    /// package folder in it: the folder holding `Sources/Learn`, itself or one level
    /// down. Also returns the files left out for their size.
    public static func unpack(
        _ path: URL, into scratch: URL, confinement: Confinement
    ) throws(SubmissionError) -> (root: URL, skipped: [String]) {
        let skipped = try confinement.unpack(path, into: scratch)
        let folder = scratch.appendingPathComponent("files")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let learn = SolutionSources.directory
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent(learn).path) {
            return (folder, skipped)
        }
        let inside = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        let packages = inside.filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent(learn).path) }
        if packages.isEmpty, let arranged = try arrangePieceFiles(in: folder, into: scratch) {
            return (arranged, skipped)
        }
        guard packages.count == 1 else {
            throw SubmissionError(
                packages.isEmpty
                    ? "\(path.path) holds no package (no \(learn) in it or in a folder one level down) "
                        + "and no piece file by its name (such as CellState.swift)"
                    : "\(path.path) holds \(packages.count) packages; submit one")
        }
        return (packages[0], skipped)
    }

    /// A submission of piece files alone, in any folders (as an upload page takes
    /// them): each file named as exactly one piece file of the instructor's package
    /// (`CellState.swift`) is put at that file's place in a package folder made under
    /// `scratch`; nil when there is none. Two files of one name are a mistake to
    /// report, not a guess to make.
    static func arrangePieceFiles(
        in folder: URL, into scratch: URL, instructor: URL = PackageDirectory.root
    ) throws(SubmissionError) -> URL? {
        let sources = SolutionSources.of(instructor)
        let pieceFiles = Set(Piece.allCases.flatMap { sources.locations[$0] ?? [] })
        var places: [String: [String]] = [:]  // a file name → the piece files of that name
        for file in pieceFiles { places[(file as NSString).lastPathComponent, default: []].append(file) }
        let found = ((try? StarterKit.packageFiles(under: folder)) ?? []).filter {
            places[($0 as NSString).lastPathComponent]?.count == 1
        }
        guard !found.isEmpty else { return nil }
        var taken: [String: String] = [:]  // a piece file → the submitted file that fills it
        for file in found {
            let place = places[(file as NSString).lastPathComponent]![0]
            if let other = taken[place] {
                throw SubmissionError("the submission has two files for \(place): \(other) and \(file); submit one")
            }
            taken[place] = file
        }
        let package = scratch.appendingPathComponent("arranged")
        do {
            try? FileManager.default.removeItem(at: package)
            for (place, file) in taken {
                let target = package.appendingPathComponent(place)
                try FileManager.default.createDirectory(
                    at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: folder.appendingPathComponent(file), to: target)
            }
        } catch {
            throw SubmissionError(
                "the piece files could not be arranged in \(package.path): \(error.localizedDescription)")
        }
        return package
    }

    /// What a tool wrote to its error stream, on one line (unzip names the file on a
    /// line of its own, then says what is wrong); nil when it wrote nothing.
    public static func said(_ errors: String) -> String? {
        let words = errors.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return words.isEmpty ? nil : String(words.joined(separator: " ").prefix(300))
    }

    /// Takes the piece files of the submission at `root` into the kit at `kit` (a fresh
    /// starter kit of the instructor's package at `instructor`) and lists the rest.
    public init(root: URL, kit: URL, instructor: URL = PackageDirectory.root) throws(SubmissionError) {
        self.root = root
        let sources = SolutionSources.of(instructor)
        editable = Array(Set(Piece.allCases.flatMap { sources.locations[$0] ?? [] })).sorted()
        let submitted: [String]
        do {
            submitted = try StarterKit.packageFiles(under: root)
        } catch {
            throw SubmissionError("the submission cannot be read: \(error)")
        }
        let manager = FileManager.default
        for path in submitted {
            let mine = root.appendingPathComponent(path)
            let theirs = kit.appendingPathComponent(path)
            if editable.contains(path) {
                // Copied only when it differs: an unchanged file keeps the build cache valid.
                if manager.contents(atPath: mine.path) != manager.contents(atPath: theirs.path) {
                    changed.append(path)
                } else {
                    taken.append(path)
                    continue
                }
                do {
                    if manager.fileExists(atPath: theirs.path) { try manager.removeItem(at: theirs) }
                    try manager.copyItem(at: mine, to: theirs)
                } catch {
                    throw SubmissionError("\(path) cannot be taken from the submission: \(error.localizedDescription)")
                }
                taken.append(path)
            } else if manager.contents(atPath: mine.path) != manager.contents(atPath: theirs.path) {
                ignored.append(path)
            }
        }
        missing = editable.filter { !taken.contains($0) }
    }

    /// The first compiler error of each file of `files` that a build log names, as
    /// `(file, "file:line:column: error: …")`, in the order the log gives them.
    public static func compileErrors(in log: String, files: [String]) -> [(file: String, error: String)] {
        var found: [(file: String, error: String)] = []
        for line in log.split(separator: "\n") where line.contains(": error: ") {
            guard let file = files.first(where: { line.contains("/" + $0 + ":") || line.hasPrefix($0 + ":") }),
                !found.contains(where: { $0.file == file })
            else { continue }
            found.append((file, String(line)))
        }
        return found
    }

    /// The first compiler error of the whole log, for a failure no piece file explains.
    public static func firstError(in log: String) -> String? {
        log.split(separator: "\n").first { $0.contains("error:") }.map(String.init)
    }
}

/// Why a submission could not be prepared.
public struct SubmissionError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, naming the file.
    public var description: String
    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}
