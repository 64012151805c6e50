import Foundation

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

/// True when the environment variable `LEARN_PROBE_UNWRITTEN` names `piece` (e.g.
/// `"cellState"`): a maintainer's probe build guards each solution with
/// `if isProbedAsUnwritten("cellState") { unimplemented(…) }`, so one build stands for
/// every starter kit with one piece missing. Always false outside a probe run.
public func isProbedAsUnwritten(_ piece: String) -> Bool {
    probedPiece == piece
}

/// Read once: the environment does not change under a running program.
private let probedPiece = ProcessInfo.processInfo.environment["LEARN_PROBE_UNWRITTEN"]

/// True when the environment variable `LEARN_MISTAKE` names `mistake` (e.g.
/// `"affine.dW-assigned"`): a maintainer's instrumented build guards each typical
/// mistake of a piece with `if isMistakeMade("…") { <the wrong version> } else { … }`, so
/// one build stands for every wrong implementation the checks must catch
/// (`Scripts/mutation-score`). Always false outside such a run.
public func isMistakeMade(_ mistake: String) -> Bool {
    madeMistake == mistake
}

private let madeMistake = ProcessInfo.processInfo.environment["LEARN_MISTAKE"]
