import Foundation

/// A checkpoint that cannot be saved, read or loaded into a model: which file, and
/// what is wrong.
///
/// See also: ``Checkpoint``.
public struct CheckpointError: Error, Equatable, CustomStringConvertible {
    /// The checkpoint file (or ``Checkpoint/source`` for one decoded from memory).
    public let file: String
    /// What is wrong.
    public let problem: Problem

    /// The ways a checkpoint can fail.
    public enum Problem: Equatable, Sendable {
        /// There is no file at that path.
        case missingFile
        /// The file exists but cannot be read.
        case unreadable(String)
        /// The file could not be written (the previous one, if any, is intact).
        case cannotWrite(String)
        /// The first 8 bytes are not ``Checkpoint/magic``: not a Learn checkpoint.
        case wrongMagic(found: [UInt8])
        /// A checkpoint of a format version this code does not read.
        case unsupportedVersion(found: UInt32, supported: UInt32)
        /// The file is shorter than its header says (an interrupted copy).
        case truncated(expectedBytes: Int, foundBytes: Int)
        /// The file is longer than its header says.
        case trailingBytes(expectedBytes: Int, foundBytes: Int)
        /// The payload's CRC-32 differs from the one stored: the bytes were damaged.
        case checksumMismatch(stored: UInt32, computed: UInt32)
        /// The checksum matched but the table of contents does not make sense.
        case malformed(String)
        /// The model needs a tensor the checkpoint does not have.
        case missingTensor(String)
        /// The checkpoint has a tensor the model does not (another architecture).
        case unexpectedTensor(String)
        /// A tensor's shape differs from the model's: `[rows, columns]` of each.
        case shapeMismatch(tensor: String, expected: [Int], found: [Int])
        /// A tensor holds `Double`s where the model has `Float`s, or the reverse.
        case scalarTypeMismatch(tensor: String, expected: Checkpoint.ScalarType, found: Checkpoint.ScalarType)
        /// Training was saved with other options than the run resuming it: each
        /// difference as "option: saved …, this run …".
        case optionsDiffer([String])
    }

    /// An error about `file`.
    public init(file: String, problem: Problem) {
        (self.file, self.problem) = (file, problem)
    }

    /// One sentence: the file, then the problem with the values involved.
    public var description: String {
        let shape = { (s: [Int]) in s.map(String.init).joined(separator: "×") }
        let what: String
        switch problem {
        case .missingFile:
            what = "no such file"
        case .unreadable(let reason):
            what = "cannot read it: \(reason)"
        case .cannotWrite(let reason):
            what = "cannot write it: \(reason) (any previous checkpoint there is unchanged)"
        case .wrongMagic(let found):
            let hex = { (b: [UInt8]) in b.map { String(format: "%02X", $0) }.joined(separator: " ") }
            what = "not a Learn checkpoint: it starts with \(hex(found)), expected \(hex(Checkpoint.magic))"
        case let .unsupportedVersion(found, supported):
            what = "format version \(found), but this code reads version \(supported)"
        case let .truncated(expected, found):
            what = "truncated: the file has \(found) bytes, but needs at least \(expected)"
        case let .trailingBytes(expected, found):
            what = "too long: the header calls for \(expected) bytes, the file has \(found)"
        case let .checksumMismatch(stored, computed):
            what = "checksum mismatch: stored CRC-32 \(hex32(stored)), computed \(hex32(computed)); the file is corrupt"
        case .malformed(let reason):
            what = "malformed: \(reason)"
        case .missingTensor(let name):
            what = "no tensor named \(name)"
        case .unexpectedTensor(let name):
            what = "tensor \(name) is not a parameter of the model being loaded"
        case .optionsDiffer(let differences):
            what =
                "saved with other options (\(differences.joined(separator: "; "))); "
                + "resume with the options the run was saved with"
        case let .shapeMismatch(name, expected, found):
            what = "tensor \(name) is \(shape(found)), but the model's is \(shape(expected))"
        case let .scalarTypeMismatch(name, expected, found):
            what = "tensor \(name) holds \(found), but the model uses \(expected)"
        }
        return "checkpoint \(file): \(what)"
    }

    private func hex32(_ x: UInt32) -> String { String(format: "0x%08X", x) }
}
