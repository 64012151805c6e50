/// Checks a condition that a caller's mistake can break — two shapes that do not fit,
/// an index out of range, a size of zero — and stops the program with `message` when
/// it does not hold, in every build.
///
/// `precondition` checks the same, but an optimised build (`-c release`, which the
/// tests and the grader use) drops its message and prints a bare backtrace; a student
/// whose shapes do not fit needs to read which ones and why:
///
///     Matrix+Arithmetic.swift:41: Fatal error: shapes differ in +: 3×4 and 4×3
///
/// The message is built only when the check fails, so it costs nothing otherwise.
@inlinable
public func ensure(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID,
    line: UInt = #line
) {
    if !condition() { fatalError(message(), file: file, line: line) }
}
