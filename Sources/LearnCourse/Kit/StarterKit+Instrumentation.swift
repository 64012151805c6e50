/// The hooks a maintainer's instrumented build needs, written into its library only:
/// the reference sources and a student's kit have no such functions, so no piece a
/// student reads can ask whether it is being probed or mutated.
extension StarterKit {
    /// Where an instrumented build's hooks go, beside the pieces that call them.
    static let instrumentationFile = SolutionSources.directory + "/Instrumentation.swift"

    /// The source of the hooks `mode` calls from its regions, or nil for a student's kit.
    static func instrumentation(_ mode: Mode) -> String? {
        switch mode {
        case .stubs: nil
        case .probe:
            """
            import Foundation

            /// True when `LEARN_PROBE_UNWRITTEN` names `piece`: each solution of this probe
            /// build stands behind `if isProbedAsUnwritten("…") { unimplemented(…) }`.
            func isProbedAsUnwritten(_ piece: String) -> Bool { probedPiece == piece }

            /// Read once: the environment does not change under a running program.
            private let probedPiece = ProcessInfo.processInfo.environment["\(probeVariable)"]

            """
        case .mistakes:
            """
            import Foundation

            /// True when `LEARN_MISTAKE` names `mistake`: each region of this build holds
            /// its typical mistakes as `if isMistakeMade("…") { <the wrong version> } else …`.
            func isMistakeMade(_ mistake: String) -> Bool { madeMistake == mistake }

            /// Read once: the environment does not change under a running program.
            private let madeMistake = ProcessInfo.processInfo.environment["\(mistakeVariable)"]

            """
        }
    }

    /// The environment variable that names the piece a probe run treats as unwritten.
    public static let probeVariable = "LEARN_PROBE_UNWRITTEN"
    /// The environment variable that names the mistake a mutation run makes.
    public static let mistakeVariable = "LEARN_MISTAKE"
}
