/// A CIFAR-10 folder or file that cannot be used: which one, what is wrong with it, and
/// what to do.
public struct CIFAR10Error: Error, Equatable, CustomStringConvertible {
    /// The folder or file the problem is in.
    public let path: String
    /// What is wrong.
    public let problem: Problem

    /// The ways a CIFAR-10 folder or file can be wrong.
    public enum Problem: Equatable, Sendable {
        /// Nothing is at the folder's path.
        case missingFolder
        /// The path is a file, not a folder (often the `.tar.gz` download itself).
        case notAFolder
        /// A batch file is not in the folder; `found` is what the folder holds.
        case missingFile(found: [String])
        /// The file exists but cannot be read (permissions, a directory, …).
        case unreadable(String)
        /// A batch file's size is not a whole number of 3,073-byte records, or not the
        /// number of records expected (nil: any number would do).
        case wrongSize(bytes: Int, expectedRecords: Int?)
        /// A batch file holds more records than the reader takes
        /// (``CIFAR10/maximumRecordsPerFile``).
        case tooManyRecords(count: Int, maximum: Int)
        /// A record's label byte is not a class 0–9; `record` counts from 0 in its file.
        case labelOutOfRange(record: Int, value: Int)
        /// `batches.meta.txt` is not ten class names, one a line: why.
        case malformedClassNames(String)
    }

    /// An error about `path`.
    public init(path: String, problem: Problem) {
        (self.path, self.problem) = (path, problem)
    }

    /// Where to get the data, for the problems that mean they are not there.
    public static let downloadAdvice =
        "download the \"CIFAR-10 binary version\" from https://www.cs.toronto.edu/~kriz/cifar.html, "
        + "unpack it (tar xzf cifar-10-binary.tar.gz) and pass the folder with --data DIR"

    /// One sentence or two: the file or folder, the problem with the numbers involved,
    /// then what to do.
    public var description: String {
        let record = CIFAR10.recordSize
        switch problem {
        case .missingFolder:
            return "CIFAR-10 folder \(path): no such folder; \(Self.downloadAdvice)"
        case .notAFolder:
            let archive = path.hasSuffix(".tar.gz") || path.hasSuffix(".tgz")
            return "CIFAR-10 folder \(path): it is a file, not a folder; "
                + (archive ? "unpack it (tar xzf) and pass the folder it makes" : Self.downloadAdvice)
        case .missingFile(let found):
            return "CIFAR-10 file \(path): no such file; the folder holds \(Self.listing(found)). "
                + Self.hint(found) + "Pass the folder holding the .bin files (or its parent); "
                + "to get them, \(Self.downloadAdvice)"
        case .unreadable(let reason):
            return "CIFAR-10 file \(path): cannot read it: \(reason)"
        case let .wrongSize(bytes, expected):
            let what: String
            if bytes == 0 {
                what = "the file is empty"
            } else if bytes % record != 0 {
                what =
                    "\(bytes) bytes are not a whole number of \(record)-byte records "
                    + "(\(bytes % record) bytes past the last whole one)"
            } else {
                what = "\(bytes / record) records (\(bytes) bytes)"
            }
            let expectation =
                expected.map { n in
                    let (total, overflow) = n.multipliedReportingOverflow(by: record)
                    return "expected \(n) records, " + (overflow ? "more bytes than a file holds" : "\(total) bytes")
                }
                ?? "expected a whole number of \(record)-byte records (a label byte, then 3072 pixels)"
            return "CIFAR-10 file \(path): \(what), \(expectation); "
                + "the download may be cut short or damaged: download and unpack it again"
        case let .tooManyRecords(count, maximum):
            return "CIFAR-10 file \(path): \(count) records, more than the \(maximum) this reader takes "
                + "(a published batch file has \(CIFAR10.publishedRecordsPerFile)); nothing was read"
        case let .labelOutOfRange(recordIndex, value):
            return
                "CIFAR-10 file \(path): record \(recordIndex) (at byte \(recordIndex &* record)) has label \(value), "
                + "expected a class 0–9; the file is damaged or not CIFAR-10's binary version: download it again"
        case .malformedClassNames(let reason):
            return "CIFAR-10 file \(path): \(reason); expected the ten class names, one a line "
                + "(airplane … truck): fix or delete the file"
        }
    }

    /// Up to ten names, then how many more.
    static func listing(_ names: [String]) -> String {
        guard !names.isEmpty else { return "nothing" }
        let shown = names.prefix(10).joined(separator: ", ")
        return names.count > 10 ? "\(shown) and \(names.count - 10) more" : shown
    }

    /// A sentence for a folder holding a known wrong thing, or nothing.
    static func hint(_ found: [String]) -> String {
        if found.contains(where: { $0.hasSuffix(".tar.gz") || $0.hasSuffix(".tgz") }) {
            return "It holds an archive: unpack it first. "
        }
        if found.contains("cifar-10-batches-py") || found.contains("data_batch_1") {
            return "That is the Python version; this reader takes the binary version (files ending in .bin). "
        }
        if found.contains("cifar-100-binary") || found.contains("train.bin") {
            return "That looks like CIFAR-100; this reader takes CIFAR-10. "
        }
        return ""
    }
}
