import Foundation

/// Writes text files safely: a reader never sees half a file, and a failure says
/// which path and why instead of crashing.
///
/// The text goes through ``BinaryFile``: to a temporary file beside the destination,
/// then renamed over it, so the file is either the old one or the complete new one.
///
/// See also: ``CSVTable``, ``LineChart``, ``OutputFileError``.
public enum TextFile {
    /// Writes `text` (UTF-8) to `path`, replacing any file already there.
    public static func write(_ text: String, to path: String) throws(OutputFileError) {
        try BinaryFile.write(Array(text.utf8), to: URL(fileURLWithPath: path))
    }

    /// Creates `path` and any missing parent directories; succeeds if it already exists.
    public static func createDirectory(_ path: String) throws(OutputFileError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { return }
            throw OutputFileError(path: path, action: .createDirectory, reason: "a file of that name is in the way")
        }
        // Walk up first so the error names the directory that really could not be made.
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != path { try createDirectory(parent) }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
            throw OutputFileError(path: path, action: .createDirectory, reason: lastSystemError())
        }
    }

    /// The C library's sentence for the last failed system call, e.g. "Permission denied".
    static func lastSystemError() -> String {
        String(cString: strerror(errno))
    }
}

/// A file or directory that could not be written: where, what was being done, and
/// the system's reason.
public struct OutputFileError: Error, Equatable, CustomStringConvertible {
    /// What was being attempted.
    public enum Action: Sendable, Equatable {
        /// Writing a file.
        case writeFile
        /// Creating a directory.
        case createDirectory
    }

    /// The path that was being written or created.
    public let path: String
    /// What was being attempted.
    public let action: Action
    /// Why it failed, e.g. "Permission denied" or "No such file or directory".
    public let reason: String

    /// Makes an error for `path`.
    public init(path: String, action: Action = .writeFile, reason: String) {
        (self.path, self.action, self.reason) = (path, action, reason)
    }

    /// One line, e.g. "cannot write out/run.csv: Permission denied".
    public var description: String {
        switch action {
        case .writeFile: "cannot write \(path): \(reason)"
        case .createDirectory: "cannot create the directory \(path): \(reason)"
        }
    }
}
