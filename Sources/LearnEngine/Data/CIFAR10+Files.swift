import Foundation

/// Finding CIFAR-10's folder and reading its batch files a chunk at a time, never
/// more of a file than the records asked for.
extension CIFAR10 {
    /// The records read at once: 1,024 records, 3 MB, so reading a file takes little
    /// memory beyond the images kept.
    static let chunkRecords = 1_024

    /// The folder holding the batch files: `directory` itself, or its
    /// `cifar-10-batches-bin` when `directory` holds no batch file but that folder.
    static func locateFolder(_ directory: URL) throws(CIFAR10Error) -> URL {
        guard let found = kind(of: directory) else { throw CIFAR10Error(path: directory.path, problem: .missingFolder) }
        guard found == S_IFDIR else { throw CIFAR10Error(path: directory.path, problem: .notAFolder) }
        let batchNames = Split.allCases.flatMap(\.fileNames)
        let holdsABatch = batchNames.contains { kind(of: directory.appendingPathComponent($0)) != nil }
        let inner = directory.appendingPathComponent(folderName)
        return !holdsABatch && kind(of: inner) == S_IFDIR ? inner : directory
    }

    /// The type of what is at `url` (`S_IFREG`, `S_IFDIR`, …), following symbolic
    /// links; nil when nothing is there.
    static func kind(of url: URL) -> mode_t? {
        var status = stat()
        guard stat(url.path, &status) == 0 else { return nil }
        return status.st_mode & S_IFMT
    }

    /// The size in bytes of the regular file at `url`. A directory, a device or a pipe
    /// (which could block or never end) is refused before it is opened.
    static func regularFileSize(_ url: URL) throws(BinaryFile.ReadFailure) -> Int {
        var status = stat()
        guard stat(url.path, &status) == 0 else {
            throw errno == ENOENT ? .missing : .unreadable(String(cString: strerror(errno)))
        }
        try requireRegular(status.st_mode)
        return Int(status.st_size)
    }

    /// Refuses what is not a regular file, in words.
    static func requireRegular(_ mode: mode_t) throws(BinaryFile.ReadFailure) {
        switch mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: throw .unreadable("it is a directory, not a file")
        default: throw .unreadable("it is not a regular file (a device, a pipe or a socket)")
        }
    }

    /// The number of records in the batch file at `url`, from its size alone: a whole
    /// number of records, `expected` of them when given, at most ``maximumRecordsPerFile``.
    static func recordCount(of url: URL, in folder: URL, expected: Int?) throws(CIFAR10Error) -> Int {
        let size: Int
        do {
            size = try regularFileSize(url)
        } catch {
            switch error {
            case .missing: throw CIFAR10Error(path: url.path, problem: .missingFile(found: listing(of: folder)))
            case .unreadable(let reason): throw CIFAR10Error(path: url.path, problem: .unreadable(reason))
            }
        }
        let wholeRecords = size > 0 && size % recordSize == 0
        guard wholeRecords && expected.map({ size / recordSize == $0 }) ?? true else {
            throw CIFAR10Error(path: url.path, problem: .wrongSize(bytes: size, expectedRecords: expected))
        }
        guard size / recordSize <= maximumRecordsPerFile else {
            throw CIFAR10Error(
                path: url.path, problem: .tooManyRecords(count: size / recordSize, maximum: maximumRecordsPerFile))
        }
        return size / recordSize
    }

    /// The names in `folder`, sorted, leaving out hidden ones.
    static func listing(of folder: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }

    /// Appends the first `count` records of the batch file at `url` to `labels` and
    /// `pixels`, checking each label byte.
    static func readRecords(
        _ url: URL, count: Int, labels: inout [Int], pixels: inout [UInt8]
    ) throws(CIFAR10Error) {
        let handle: UnsafeMutablePointer<FILE>
        do {
            handle = try openRegularFile(url).handle
        } catch {
            switch error {
            case .missing: throw CIFAR10Error(path: url.path, problem: .unreadable("it disappeared while being read"))
            case .unreadable(let reason): throw CIFAR10Error(path: url.path, problem: .unreadable(reason))
            }
        }
        defer { fclose(handle) }
        var chunk = [UInt8](repeating: 0, count: min(count, chunkRecords) * recordSize)
        var record = 0
        while record < count {
            let n = min(count - record, chunkRecords)
            let read = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, n * recordSize, handle) }
            guard read == n * recordSize else {
                let reason = ferror(handle) != 0 ? String(cString: strerror(errno)) : "it changed while being read"
                throw CIFAR10Error(path: url.path, problem: .unreadable(reason))
            }
            for k in 0..<n {
                let start = k * recordSize
                guard chunk[start] < classes else {
                    throw CIFAR10Error(
                        path: url.path, problem: .labelOutOfRange(record: record + k, value: Int(chunk[start])))
                }
                labels.append(Int(chunk[start]))
                pixels.append(contentsOf: chunk[(start + 1)..<(start + recordSize)])
            }
            record += n
        }
    }

    /// The first `count` bytes of the regular file at `url`, or all of it if shorter.
    static func readPrefix(_ url: URL, count: Int) throws(BinaryFile.ReadFailure) -> [UInt8] {
        let (handle, size) = try openRegularFile(url)
        defer { fclose(handle) }
        var bytes = [UInt8](repeating: 0, count: min(size, count))
        let read = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
        guard read == bytes.count else {
            throw .unreadable(ferror(handle) != 0 ? String(cString: strerror(errno)) : "it changed while being read")
        }
        return bytes
    }

    /// The regular file at `url`, open for reading, and its size. It is opened without
    /// blocking and its kind checked on the open file, so a pipe or a device put in a
    /// file's place is refused, never waited on.
    static func openRegularFile(
        _ url: URL
    ) throws(BinaryFile.ReadFailure) -> (handle: UnsafeMutablePointer<FILE>, size: Int) {
        let descriptor = open(url.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw errno == ENOENT ? .missing : .unreadable(String(cString: strerror(errno))) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw .unreadable(reason)
        }
        do {
            try requireRegular(status.st_mode)
        } catch {
            close(descriptor)
            throw error
        }
        guard let handle = fdopen(descriptor, "rb") else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw .unreadable(reason)
        }
        return (handle, Int(status.st_size))
    }
}
