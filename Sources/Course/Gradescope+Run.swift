import CommandLineOptions
import Foundation
import Learn
import LearnCourse

/// Gradescope's `/autograder` (or the folder that stands in for it): `source/` the
/// unpacked bundle, `submission/` the student's files, `results/` where
/// `results.json` goes; `work/` holds the copy submissions are built in.
struct GradescopeRoot {
    let root: URL

    init(_ root: URL) { self.root = root.standardizedFileURL }

    var package: URL { root.appendingPathComponent("source/package") }
    var kit: URL { root.appendingPathComponent("work/package") }
    var results: URL { root.appendingPathComponent("results/results.json") }

    /// `--prepare`: writes the starter kit of this package into `work/package` and
    /// builds it, so that each submission rebuilds only what it changes.
    func prepare() -> Int32 {
        let start = Date()
        do {
            if !FileManager.default.fileExists(atPath: kit.appendingPathComponent("Package.swift").path) {
                print("Writing the copy submissions are built in: \(kit.path)")
                // The kit of the assignment the bundle grades (its settings name the checks).
                let settings = try? JSONDecoder().decode(
                    GradescopeSettings.self,
                    from: Data(BinaryFile.read(package.appendingPathComponent(GradescopeSettings.path))))
                let checks = (settings?.checks ?? []).compactMap(GradingCatalogue.check(id:))
                try StarterKit.write(from: PackageDirectory.root, to: kit, assignment: Grade.assignment(of: checks))
            }
            // The instructor's own files: built unconfined, as the grader itself was.
            _ = try GradeSubmission.build(
                kit, taken: [], timeLimit: GradeSubmission.buildLimits.fresh, confinement: Confinement(sandboxed: false)
            )
        } catch {
            printError("Course gradescope: the copy for submissions could not be prepared: \(error)")
            return 1
        }
        print("Prepared in \(String(format: "%.0f", Date().timeIntervalSince(start))) s.")
        return 0
    }

    /// `--run`: grades `submission/` and writes `results/results.json`; returns 0 once
    /// the file is written, whatever the grade.
    func grade() -> Int32 {
        let start = Date()
        let settings: GradescopeSettings
        let checks: [GradedCheck]
        do {
            let bytes = try BinaryFile.read(package.appendingPathComponent(GradescopeSettings.path))
            settings = try JSONDecoder().decode(GradescopeSettings.self, from: Data(bytes))
            checks = try settings.checks.map { id throws(UsageError) in try Grade.check(id) }
        } catch {
            return write(
                failure: "The autograder is misconfigured (\(GradescopeSettings.path): \(error)); "
                    + "this is not a judgement of your code: tell your instructor.", start: start)
        }
        if PackageDirectory.root.standardizedFileURL != package {
            print("note: the grader was built in \(PackageDirectory.root.path), not in \(package.path)")
        }
        let hidden = package.appendingPathComponent("Fixtures/hidden")
        let hiddenCases = FileManager.default.fileExists(atPath: hidden.path) ? hidden : nil
        if getuid() == 0 {
            // The pieces run as the user nobody: the instructor's package — solutions,
            // hidden cases, the catalogue of mistakes — is kept from them.
            try? FileManager.default.setAttributes(
                [.posixPermissions: 0o700], ofItemAtPath: root.appendingPathComponent("source").path)
        }
        let entry = GradeClass.Entry(student: "submission", path: root.appendingPathComponent("submission"))
        let confinement = Confinement(sandboxed: settings.sandboxed)
        guard
            let confinementLine = GradeSubmission.selfTest(
                confinement, kit: kit, hidden: hiddenCases, submissions: entry.path)
        else {
            return write(
                failure: "The autograder's sandbox could not be set up, so no code was run; "
                    + "this is not a judgement of your code: tell your instructor.", start: start)
        }
        print(confinementLine)
        var graded = GradeClass.grade(
            entry, kit: kit, scratchIn: root.appendingPathComponent("work"), checks: checks, hidden: hiddenCases,
            confinement: confinement)
        graded.notes = (graded.notes.map { $0 + "\n" } ?? "") + confinementLine
        print(graded.text)  // the log: the instructor's view, the student's if stdout is shown
        let onHidden = Self.checksOnHidden(checks, hidden: hiddenCases)
        let results = GradescopeResults(
            checks: checks, outcomes: graded.row.outcomes, hiddenChecks: onHidden,
            hiddenVisibility: settings.hiddenVisibility, stdoutVisibility: settings.stdoutVisibility,
            output: Self.summary(
                graded, checks: checks, hiddenShown: onHidden.isEmpty ? nil : settings.hiddenVisibility),
            seconds: Date().timeIntervalSince(start))
        return write(results)
    }

    /// The ids of the checks that take one of the hidden cases under `hidden`.
    static func checksOnHidden(_ checks: [GradedCheck], hidden: URL?) -> Set<String> {
        guard let hidden, let files = try? FixtureCase.caseFiles(under: hidden) else { return [] }
        let cases = files.compactMap { try? FixtureCase.load(from: $0) }
        return Set(checks.filter { check in cases.contains { check.selects?($0) == true } }.map(\.id))
    }

    /// The text for the whole submission: the points per part, or why it was not
    /// graded; the files that did not compile, each with its first error; what was
    /// taken; the next piece to write.
    static func summary(
        _ graded: GradeClass.Graded, checks: [GradedCheck], hiddenShown: GradescopeResults.Visibility?
    ) -> String {
        let row = graded.row
        guard row.status == .graded else {
            return "**Not graded (\(row.status.rawValue))**: \(row.reason)\n\n"
                + "Submit your package (the folder with Package.swift and Sources/Learn, or a .zip of it) "
                + "or the piece files you wrote."
        }
        var parts: [String] = []
        for part in [1, 2, 3] where checks.contains(where: { $0.task.part == part }) {
            let worth = checks.filter { $0.task.part == part }.reduce(0) { $0 + $1.points }
            parts.append("\(AssignmentTask.partName(part)): \(row.points(part: part, of: checks))/\(worth)")
        }
        var blocks = ["**" + parts.joined(separator: " · ") + "**"]
        for (file, error) in graded.uncompiled {
            blocks.append("`\(file)` **does not compile**; its pieces are graded as unwritten:\n\n```\n\(error)\n```")
        }
        if !graded.progress.isEmpty { blocks.append(graded.progress.joined(separator: "\n")) }
        if let notes = graded.notes { blocks.append("```\n\(notes)\n```") }
        if let hiddenShown, hiddenShown != .visible {
            blocks.append(
                "Some checks also grade the instructor's hidden cases; they are shown "
                    + "\(hiddenShown.rawValue.replacingOccurrences(of: "_", with: " ")). "
                    + "`Course grade` in your kit runs the same checks on the visible cases.")
        }
        return blocks.joined(separator: "\n\n")
    }

    /// Writes `results`; 0 when written.
    func write(_ results: GradescopeResults) -> Int32 {
        do {
            try FileManager.default.createDirectory(
                at: self.results.deletingLastPathComponent(), withIntermediateDirectories: true)
            try results.encoded().write(to: self.results, options: .atomic)
            print("Wrote \(self.results.path): \(Int(results.score)) points.")
            return 0
        } catch {
            printError("Course gradescope: \(self.results.path) could not be written: \(error.localizedDescription)")
            return 1
        }
    }

    /// Results for a run that could not grade at all: every check at 0, the reason shown.
    func write(failure: String, start: Date) -> Int32 {
        printError("Course gradescope: \(failure)")
        return write(
            GradescopeResults(
                checks: [], outcomes: [], hiddenChecks: [], hiddenVisibility: .visible, stdoutVisibility: .hidden,
                output: failure, seconds: Date().timeIntervalSince(start)))
    }
}
