import Learn
/// Why a fixture could not be used: the file, and the problem in one sentence.
///
/// Every way a case file can be wrong — not JSON, a missing field, an unknown kind, a
/// tensor whose shape does not fit the others, a label out of range — is reported by
/// throwing one of these, never by stopping the program: a `verify` command must be
/// able to report a broken student file and go on to the next.
///
/// See also: ``FixtureCase/load(from:)``.
public struct FixtureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file (or the name given to the data) the problem is in.
    public var file: String
    /// What is wrong, e.g. `parameters.wgh is 4×5, expected H×H with H = 5 (from inputs.prevH)`.
    public var problem: String

    /// The error for `problem` in `file`.
    public init(file: String, problem: String) {
        (self.file, self.problem) = (file, problem)
    }

    /// `"<file>: <problem>"`.
    public var description: String { "\(file): \(problem)" }
}
