/// An option outside its allowed range: which one, what it was, what it may be.
public struct OptionError: Error, Equatable, CustomStringConvertible {
    /// The option's name as messages write it, e.g. "batch size".
    public let option: String
    /// The value it was given, as text.
    public let value: String
    /// What it may be, e.g. "at least 1" or "1…1000".
    public let expected: String

    /// An error for `option`, which holds `value` and must be `expected`.
    public init(option: String, value: String, expected: String) {
        (self.option, self.value, self.expected) = (option, value, expected)
    }
    /// "batch size must be at least 1, got 0": the option, what it may be, what it was.
    public var description: String { "\(option) must be \(expected), got \(value)" }
}
