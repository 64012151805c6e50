import Foundation

/// Writes text files safely: a reader never sees half a file, and a failure says
/// which path and why instead of crashing.
///
/// The text goes to a temporary file beside the destination, which is then renamed
/// over it. `rename` within one directory is atomic on POSIX systems, so the file is
/// either the old one or the complete new one — never a truncated mixture, even if
/// the program is interrupted halfway through a long write.
///
/// See also: ``CSVTable``, ``LineChart``, ``OutputFileError``.
public enum TextFile {
    /// Writes `text` (UTF-8) to `path`, replacing any file already there.
    public static func write(_ text: String, to path: String) throws(OutputFileError) {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = (directory.isEmpty ? "" : directory + "/")
            + ".\(name).\(ProcessInfo.processInfo.processIdentifier).tmp"
        let bytes = Array(text.utf8)

        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw OutputFileError(path: path, reason: lastSystemError()) }
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            // A signal may interrupt a write before it starts; that is not a failure.
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else {
                let reason = lastSystemError()
                close(descriptor)
                unlink(temporary)
                throw OutputFileError(path: path, reason: reason)
            }
            written += result
        }
        // close can report a delayed write error (a full disk, a network file system).
        guard close(descriptor) == 0 else {
            let reason = lastSystemError()
            unlink(temporary)
            throw OutputFileError(path: path, reason: reason)
        }
        guard rename(temporary, path) == 0 else {
            let reason = lastSystemError()
            unlink(temporary)
            throw OutputFileError(path: path, reason: reason)
        }
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
