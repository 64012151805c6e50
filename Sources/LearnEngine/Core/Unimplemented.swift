/// The stub a starter kit puts where a solution was: stops the program with a message
/// naming the piece to write.
///
///     public static func forward<T>(…) -> (c: Matrix<T>, cache: Cache<T>) {
///         unimplemented("equation (5), cell state c — forward")
///     }
///
/// It returns `Never`, so it compiles in the place of any function body. The kit's
/// tests and grader never reach it: they first look for such lines and report
/// "not implemented yet" instead.
public func unimplemented(_ what: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError("TODO: \(what) is not implemented yet", file: file, line: line)
}
