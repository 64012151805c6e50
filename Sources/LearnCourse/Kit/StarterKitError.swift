import Foundation
import Learn

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
