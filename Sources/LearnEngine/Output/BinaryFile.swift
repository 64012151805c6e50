import Foundation

/// Writes binary files safely, as ``TextFile`` writes text: the bytes go to a
/// temporary file beside the destination, which is then renamed over it. `rename`
/// within one directory is atomic on POSIX systems, so the destination is always
/// either the old file or the complete new one — an interrupted or failed write
/// (a full disk, a crash) never spoils a picture or a checkpoint that was already there.
///
/// See also: ``PNG``, ``Checkpoint``, ``OutputFileError``.
public enum BinaryFile {
    /// Writes `bytes` to `url`, replacing any file already there.
    public static func write(_ bytes: [UInt8], to url: URL) throws(OutputFileError) {
        let path = url.path
        let temporary = temporaryPath(for: path)
        func fail() -> OutputFileError {
            let error = OutputFileError(path: path, reason: String(cString: strerror(errno)))
            unlink(temporary)
            return error
        }

        // A new file or none: a symlink or a file planted at the name is never followed or reused.
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw OutputFileError(path: path, reason: String(cString: strerror(errno))) }
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            // A signal may interrupt a write before it starts; that is not a failure.
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else {
                let error = fail()
                close(descriptor)
                throw error
            }
            written += result
        }
        // close can report a delayed write error (a full disk, a network file system).
        guard close(descriptor) == 0 else { throw fail() }
        guard rename(temporary, path) == 0 else { throw fail() }
    }

    /// Where ``write(_:to:)`` puts the bytes before renaming them to `path`: a hidden
    /// file in the same directory (rename is only atomic within one file system),
    /// `.<name>.<token>.<pid>.tmp` — the token drawn at random once per process, so
    /// that no other program can plant a file or a symlink at the name beforehand, and
    /// the process's id, so a file left by a killed one can be told and removed
    /// (``removeStaleTemporaries(in:)``).
    public static func temporaryPath(for path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        return (directory.isEmpty ? "" : directory + "/")
            + ".\(name).\(token).\(ProcessInfo.processInfo.processIdentifier).tmp"
    }

    /// This process's part of the temporary names: 64 random bits.
    static let token = String(UInt64.random(in: 0...UInt64.max), radix: 36)

    /// Removes the temporary files ``write(_:to:)`` left in `directory` when a program
    /// writing there was killed mid-save (`.<name>.<pid>.tmp` whose process is gone), and
    /// returns their names. A file of a process still running is left alone.
    @discardableResult
    public static func removeStaleTemporaries(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var removed: [String] = []
        for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            let parts = name.dropLast(4).split(separator: ".")
            guard let last = parts.last, let pid = Int32(last), pid > 0, parts.count >= 2 else { continue }
            // kill(pid, 0) probes without signalling: ESRCH means no such process.
            guard kill(pid, 0) != 0 && errno == ESRCH else { continue }
            if unlink(directory + "/" + name) == 0 { removed.append(name) }
        }
        return removed.sorted()
    }

    /// Why ``read(_:)`` could not read a file, in plain words.
    public enum ReadFailure: Error, Sendable, Equatable {
        /// Nothing is at the path.
        case missing
        /// Something is there, but not a file to read, or it cannot be read: the reason.
        case unreadable(String)
    }

    /// The bytes of the regular file at `url`. A directory, a device or a pipe (which
    /// could block or never end) is refused up front, and every failure is described in
    /// words — "is a directory, not a file", "Permission denied" — never as a
    /// Foundation error code.
    public static func read(_ url: URL) throws(ReadFailure) -> [UInt8] {
        var status = stat()
        guard stat(url.path, &status) == 0 else {
            throw errno == ENOENT ? .missing : .unreadable(String(cString: strerror(errno)))
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw .unreadable("it is a directory, not a file")
        default: throw .unreadable("it is not a regular file (a device, a pipe or a socket)")
        }
        guard let handle = fopen(url.path, "rb") else { throw .unreadable(String(cString: strerror(errno))) }
        defer { fclose(handle) }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        let count = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
        guard count == bytes.count else {
            throw .unreadable(ferror(handle) != 0 ? String(cString: strerror(errno)) : "it changed while being read")
        }
        return bytes
    }
}
