import Foundation
import Learn
import LearnCourse
import Testing

/// Whether a written piece stops the program (a trap: two shapes that do not fit, an
/// index out of range) — found once per test process, in a process of its own, by
/// running the piece's reference cases there. A test that runs such a piece then
/// records that, instead of running it in this process, where the trap would end the
/// whole test run with the tests after it unrun.
///
/// Only in a starter kit with work in progress: in the reference solution nothing is
/// probed.
enum StopProbe {
    /// Each piece's probe, started once and awaited by every test that needs it.
    private static let probes = Probes()

    /// The first of `pieces` and their dependencies that is written and stops the
    /// program on its reference cases; nil when none does.
    static func stopping(_ pieces: [Piece]) async -> Piece? {
        guard !reference else { return nil }
        var all: [Piece] = []
        for piece in pieces.flatMap(\.closure) where !all.contains(piece) { all.append(piece) }
        for piece in all where piece.isWritten() {
            if await !probes.survives(piece) { return piece }
        }
        return nil
    }

    /// What a test that would run `piece` records instead.
    static func notRun(_ piece: Piece) -> String {
        "not run: \(piece.title) (\(SolutionSources.of(PackageDirectory.root).files(of: piece).joined(separator: ", "))) "
            + "stops the program on its reference cases; \(grading(piece)) prints why"
    }

    /// The command that grades `piece`'s own checks, whose report gives the message the
    /// piece stopped with.
    static func grading(_ piece: Piece) -> String {
        let ids = GradingCatalogue.checks(for: Assignment.of(package: PackageDirectory.root))
            .filter { $0.pieces.contains(piece) }.map(\.id)
        return "`swift run -c release Course grade" + (ids.isEmpty ? "" : " --only " + ids.joined(separator: ",")) + "`"
    }

    /// True in the reference solution, where no piece is probed.
    static let reference = StarterKit.isReference()

    /// The visible cases that run `piece` and nothing unwritten: at most three.
    static func cases(running piece: Piece) -> [FixtureCase] {
        let cases = GradingCatalogue.cases(GradingOptions()).filter { fixture in
            let pieces = GradingCatalogue.pieces(for: fixture)
            return pieces.flatMap(\.closure).contains(piece) && Piece.unwritten(pieces).isEmpty
        }
        return Array(cases.prefix(3))
    }

    /// Runs `piece`'s cases in a child process; false when it did not exit normally.
    /// (The failed expectation is recorded once, by the test that started the probe.)
    static func probe(_ piece: Piece) async -> Bool {
        let name = piece.rawValue
        let result = await #expect(
            processExitsWith: .success,
            "stops the program: \(piece.title), on its reference cases; \(grading(piece)) prints why"
        ) { [name = name as String] in
            guard let piece = Piece(rawValue: name) else { return }
            for fixture in StopProbe.cases(running: piece) { _ = FixtureRunner.run(fixture) }
        }
        return result != nil
    }

    /// The probes, each started by the first test that needs it.
    actor Probes {
        private var started: [Piece: Task<Bool, Never>] = [:]

        func survives(_ piece: Piece) async -> Bool {
            if let probe = started[piece] { return await probe.value }
            let probe = Task { await StopProbe.probe(piece) }
            started[piece] = probe
            return await probe.value
        }
    }
}

/// At the end of a test run in a kit with pieces left to write, the same lines `grade`
/// ends with: how many pieces are written, the next one and where, and the command that
/// checks it. Printed once, after the run's summary, when the test process exits.
enum NextPieceLine {
    /// Registers the printer the first time a test with pieces runs.
    static let registered: Void = {
        atexit {
            let lines = Piece.progress()
            guard !lines.isEmpty else { return }
            print("\n" + lines.joined(separator: "\n"))
            fflush(nil)
        }
    }()
}
