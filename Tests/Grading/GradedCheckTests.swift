import Foundation
import Learn
import LearnCourse
import LearnTesting
import Testing

/// The autograder: every check of ``GradingCatalogue`` as a test case, each run in a
/// child process (an exit test), so a check that crashes fails alone, as it does in
/// `Course grade`. Then the catalogue's own rules: the points add up to the
/// assignment's, every reference case is graded, hidden cases count.
@Suite("Graded checks")
struct GradedCheckTests {
    @Test("the check earns its full points", arguments: GradingCatalogue.all)
    func earnsFullPoints(_ check: GradedCheck) async {
        // An unwritten piece (starter kit) is reported without running into its stub.
        guard await written(check.pieces) else { return }
        let id = check.id
        await #expect(processExitsWith: .success, "check \(id) crashed") { [id = id as String] in
            let outcome = GradingCatalogue.check(id: id)!.run()
            for deduction in outcome.deductions {
                Issue.record("\(id): −\(deduction.points) of \(outcome.points): \(deduction.reason)")
            }
        }
    }

    @Test("each part is worth its points (3: 40 and 60; 2: 30, 30 and 40); ids are unique; every check is worth something")
    func points() {
        #expect(GradingCatalogue.points(.three, part: 1) == 40)
        #expect(GradingCatalogue.points(.three, part: 2) == 60)
        #expect(GradingCatalogue.points(.two, part: 1) == 30)
        #expect(GradingCatalogue.points(.two, part: 2) == 30)
        #expect(GradingCatalogue.points(.two, part: 3) == 40)
        for assignment in Assignment.allCases {
            for (part, worth) in assignment.points {
                #expect(GradingCatalogue.points(assignment, part: part) == worth, "\(assignment), part \(part)")
            }
            #expect(GradingCatalogue.checks(for: assignment).allSatisfy { $0.task.assignment == assignment })
        }
        let ids = GradingCatalogue.all.map(\.id)
        #expect(Set(ids).count == ids.count, "duplicate ids")
        #expect(GradingCatalogue.checks(for: .two).allSatisfy { $0.id.hasPrefix("a2.") })
        #expect(GradingCatalogue.all.allSatisfy { $0.points > 0 && $0.timeLimit > 0 })
        for task in AssignmentTask.allCases {
            #expect(GradingCatalogue.all.contains { $0.task == task }, "no check for \(task)")
        }
    }

    /// Points only for the student's work: a check that ran no piece would give points
    /// to a starter kit with nothing written.
    @Test("every check runs at least one piece of the solution, and the unwritten kit's pieces are all of them")
    func everyCheckRunsAPiece() {
        for check in GradingCatalogue.all {
            #expect(!check.pieces.isEmpty, "\(check.id) runs no piece: it would earn points for code nobody writes")
        }
        for assignment in Assignment.allCases {
            let graded = Set(GradingCatalogue.checks(for: assignment).flatMap(\.pieces).flatMap(\.closure))
            let own = Set(assignment.pieces)
            #expect(
                graded == own,
                "\(assignment): ungraded \(own.subtracting(graded)), graded but not its own \(graded.subtracting(own))")
        }
    }

    @Test("every committed case is graded by a fixture check and a gradient check (trajectories: fixtures only)")
    func everyCaseIsGraded() throws {
        #expect(
            GradingCatalogue.caseProblems(GradingOptions()).isEmpty,
            "\(GradingCatalogue.caseProblems(GradingOptions()))")
        for url in try FixtureCase.caseFiles(under: FixtureCase.defaultDirectory) {
            let fixture = try FixtureCase.load(from: url)
            let isTrajectory = [.sgd, .rmsprop, .adam].contains(fixture.kind)
            var takenBy = 0
            for assignment in Assignment.allCases {
                let takers = GradingCatalogue.checks(for: assignment).filter { $0.selects?(fixture) == true }.map(\.id)
                #expect(
                    takers.isEmpty || takers.count == (isTrajectory ? 1 : 2),
                    "\(fixture.label) is taken by \(takers) in \(assignment)")
                if !takers.isEmpty { takenBy += 1 }
            }
            #expect(takenBy > 0, "\(fixture.label) is graded by no assignment")
        }
    }

    /// A directory holding one copy of a committed case, edited.
    func hiddenDirectory(_ file: String, _ edit: (String) -> String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hidden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let text = try String(
            contentsOf: FixtureCase.defaultDirectory.appendingPathComponent(file), encoding: .utf8)
        try Data(edit(text).utf8).write(to: directory.appendingPathComponent("secret.json"))
        return directory
    }

    @Test("a failing hidden case costs its check's points, and the reason names it as hidden", .requires(.cellState))
    func hiddenCaseFails() throws {
        // The same case under another name with one expected value of c changed.
        let directory = try hiddenDirectory("equations/cell-state.json") { text in
            let marker = "\"c\": {\"shape\": [4, 3], \"values\": ["
            guard let start = text.range(of: marker)?.upperBound, let comma = text[start...].firstIndex(of: ",") else {
                return text
            }
            return text.replacingCharacters(in: start..<comma, with: "9.0")
                .replacingOccurrences(of: "\"name\": \"cell-state\"", with: "\"name\": \"secret\"")
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        let options = GradingOptions(hidden: directory)
        let fixtures = GradingCatalogue.check(id: "cell-state.fixtures")!.run(options)
        #expect(fixtures.earned == 0 && fixtures.deductions.count == 1)
        #expect(fixtures.deductions.first?.reason.contains("hidden case") == true, "\(fixtures.deductions)")
        // The visible cases alone still pass.
        #expect(GradingCatalogue.check(id: "cell-state.fixtures")!.run().passed)
    }

    @Test("a hidden file that cannot be loaded fails the report, naming it")
    func brokenHiddenFile() throws {
        let directory = try hiddenDirectory("equations/cell-state.json") { String($0.prefix(200)) }
        defer { try? FileManager.default.removeItem(at: directory) }
        let problems = GradingCatalogue.caseProblems(GradingOptions(hidden: directory))
        #expect(problems.count == 1 && problems[0].hasPrefix("hidden case file"), "\(problems)")
        #expect(problems.first?.contains("secret.json") == true, "\(problems)")
    }
}
