import CommandLineOptions
import Foundation
import Learn
import LearnCourse

/// `--assignment 2|3`, which every course command takes: the assignment whose pieces,
/// checks and points the command works with.
enum AssignmentOption {
    /// The option.
    static let option = Option<Assignment>(
        name: "--assignment", placeholder: "2|3",
        summary: "the assignment (default: a starter kit's own, else \(Assignment.standard.rawValue))",
        allowed: Assignment.allCases.map { "\($0.rawValue)" }.joined(separator: " or "),
        parse: Assignment.init(argument:))

    /// The assignment `arguments` name, or the package's own (``Assignment/of(package:)``).
    static func value(
        _ arguments: Arguments, package root: URL = PackageDirectory.root
    ) throws(UsageError)
        -> Assignment
    {
        try arguments.value(option) ?? Assignment.of(package: root)
    }
}
