import Foundation

/// Command-line options, typed: each ``Option`` knows its name, what it allows and how
/// to turn text into a value, so the parser, the error messages and `--help` are all
/// built from the same definition and cannot disagree.
///
/// Accepted forms: `--steps 500`, `--steps=500`, and flags alone (`--quick`). The last
/// occurrence of an option wins.
public struct Option<Value: Sendable>: Sendable {
    /// An option from its parts; the static makers below (`flag`, `integer`, …) are
    /// the usual way.
    public init(
        name: String, placeholder: String?, summary: String, allowed: String,
        parse: @escaping @Sendable (String) -> Value?
    ) {
        (self.name, self.placeholder, self.summary, self.allowed, self.parse) =
            (name, placeholder, summary, allowed, parse)
    }

    /// The option as typed, e.g. "--steps".
    public let name: String
    /// What to type after it in `--help`, e.g. "N"; nil for a flag that takes no value.
    public let placeholder: String?
    /// What it does, for `--help`.
    public let summary: String
    /// What values are allowed, for error messages, e.g. "a whole number from 1 to 100".
    public let allowed: String
    /// Text to value; nil when the text is not allowed.
    public let parse: @Sendable (String) -> Value?

    /// The option's line in `--help`.
    public var help: OptionHelp {
        OptionHelp(name: name, placeholder: placeholder, summary: summary)
    }
}

/// What `--help` shows of an option, and what the parser needs to know before typing.
public struct OptionHelp: Sendable {
    /// What `--help` shows of an option.
    public init(name: String, placeholder: String?, summary: String) {
        (self.name, self.placeholder, self.summary) = (name, placeholder, summary)
    }

    public let name: String
    public let placeholder: String?
    public let summary: String

    /// "  --steps N            max optimiser steps …", aligned.
    public var line: String {
        let left = name + (placeholder.map { " " + $0 } ?? "")
        return "  " + left.padding(toLength: max(22, left.count + 2), withPad: " ", startingAt: 0) + summary
    }
}

extension Option where Value == Bool {
    /// `--help`, which every chapter and command takes.
    public static var help: Option<Bool> { flag("--help", summary: "show this help and exit") }

    /// A flag: present or absent, no value.
    public static func flag(_ name: String, summary: String) -> Option {
        Option(name: name, placeholder: nil, summary: summary, allowed: "no value") { _ in true }
    }
}

extension Option where Value == Int {
    /// A whole number in `range`.
    public static func integer(
        _ name: String, _ placeholder: String, in range: ClosedRange<Int>, summary: String
    ) -> Option {
        Option(
            name: name, placeholder: placeholder, summary: summary,
            allowed: "a whole number from \(range.lowerBound) to \(range.upperBound)"
        ) { text in Int(text).flatMap { range.contains($0) ? $0 : nil } }
    }
}

extension Option where Value == [Int] {
    /// A comma-separated list of whole numbers, each in `range`, e.g. "5,10,15".
    public static func integers(
        _ name: String, _ placeholder: String, in range: ClosedRange<Int>, summary: String
    ) -> Option {
        Option(
            name: name, placeholder: placeholder, summary: summary,
            allowed: "a comma-separated list of whole numbers from \(range.lowerBound) to \(range.upperBound)"
        ) { text in
            let items = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
            guard !items.isEmpty, items.allSatisfy({ $0.map(range.contains) == true }) else { return nil }
            return items.compactMap { $0 }
        }
    }
}

extension Option where Value == Double {
    /// A finite decimal number in `range` (scientific notation such as 1e-3 is fine).
    public static func number(
        _ name: String, _ placeholder: String, in range: ClosedRange<Double>, summary: String
    ) -> Option {
        Option(
            name: name, placeholder: placeholder, summary: summary,
            allowed: "a number from \(shortNumber(range.lowerBound)) to \(shortNumber(range.upperBound))"
        ) { text in Double(text).flatMap { $0.isFinite && range.contains($0) ? $0 : nil } }
    }
}

extension Option where Value == String {
    /// Any non-empty text, e.g. a directory.
    public static func text(_ name: String, _ placeholder: String, summary: String) -> Option {
        Option(name: name, placeholder: placeholder, summary: summary, allowed: "non-empty text") { text in
            text.isEmpty ? nil : text
        }
    }
}

/// `x` as short as it reads naturally: 1, 0.001, 1e-06.
public func shortNumber(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e6 ? String(Int(x)) : "\(x)"
}

/// A mistake on the command line, said in one sentence that names the option.
public struct UsageError: Error, CustomStringConvertible {
    /// The sentence.
    public let message: String
    /// A mistake described by `message`.
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// `words` split into options (with the values of `valued`, the options that take one)
/// and the words that are no option, such as a command's one directory: ``Arguments``
/// takes options only, so those are set aside first, never mistaking an option's value
/// for one.
public func splittingPositional(
    _ words: [String], valued: [OptionHelp]
) -> (options: [String], positional: [String]) {
    let takesValue = Set(valued.filter { $0.placeholder != nil }.map(\.name))
    var options: [String] = []
    var positional: [String] = []
    var rest = words[...]
    while let word = rest.popFirst() {
        if word.hasPrefix("--") {
            options.append(word)
            if takesValue.contains(word), let value = rest.first, !value.hasPrefix("--") {
                options.append(value)
                rest = rest.dropFirst()
            }
        } else {
            positional.append(word)
        }
    }
    return (options, positional)
}

/// The words after the chapter name, checked against the options the chapter accepts.
///
/// Construction already rejects unknown options, stray words and missing values, so a
/// chapter that reads its options first fails before doing any work.
public struct Arguments {
    /// The raw text given for each option ("" for a flag).
    private var given: [String: String] = [:]

    public init(_ words: [String], accepting options: [OptionHelp]) throws(UsageError) {
        let known = Dictionary(options.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let names = options.map(\.name).joined(separator: ", ")
        var rest = words[...]
        while let word = rest.popFirst() {
            guard word.hasPrefix("--") else {
                throw UsageError(message: "unexpected argument '\(word)' (options start with --: \(names))")
            }
            // --name=value keeps the value in the same word.
            let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            guard let option = known[name] else {
                throw UsageError(message: "unknown option '\(name)'; the options here are \(names)")
            }
            switch (option.placeholder, parts.count == 2) {
            case (nil, false):
                given[name] = ""
            case (nil, true):
                throw UsageError(message: "\(name) is a flag and takes no value, got '\(word)'")
            case (_?, true):
                given[name] = String(parts[1])
            case (let placeholder?, false):
                // A following word that is itself an option means the value was forgotten;
                // a negative number such as -0.5 is still a value.
                guard let value = rest.first, !value.hasPrefix("--") else {
                    throw UsageError(message: "\(name) needs a value: \(name) \(placeholder)")
                }
                given[name] = value
                rest = rest.dropFirst()
            }
        }
    }

    /// True when the flag was given.
    public func isSet(_ flag: Option<Bool>) -> Bool {
        given[flag.name] != nil
    }

    /// The option's value, or nil when it was not given. Throws when the text is not
    /// an allowed value.
    public func value<Value>(_ option: Option<Value>) throws(UsageError) -> Value? {
        guard let text = given[option.name] else { return nil }
        guard let value = option.parse(text) else {
            throw UsageError(message: "\(option.name) must be \(option.allowed), got '\(text)'")
        }
        return value
    }

    /// The option's value, or `fallback` when it was not given.
    public func value<Value>(_ option: Option<Value>, default fallback: Value) throws(UsageError) -> Value {
        try value(option) ?? fallback
    }
}

/// The lines of a list such as `Tutorials list` prints: each name, padded so the
/// summaries line up, then its summary.
public func alignedList(_ entries: [(name: String, summary: String)]) -> [String] {
    let width = entries.map(\.name.count).max() ?? 0
    return entries.map { "  " + $0.name.padding(toLength: width + 3, withPad: " ", startingAt: 0) + $0.summary }
}

/// Prints one line to standard error (where messages belong, so piped output stays clean).
public func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
