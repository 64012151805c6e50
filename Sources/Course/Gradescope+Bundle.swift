import CommandLineOptions
import Foundation
import Learn
import LearnCourse

/// `Course gradescope --bundle FILE.zip`: the autograder to upload.
///
///     setup.sh, run_autograder      Scripts/gradescope/, at the root as Gradescope wants
///     package/                      this package: its sources, solutions, cases, MNIST
///     package/Fixtures/hidden/      the hidden cases (--hidden)
///     package/Fixtures/gradescope.json   the settings (GradescopeSettings)
///
/// Build products, version control, CI and output folders are left out, as from a kit.
enum GradescopeBundle {
    /// Writes the bundle to `file` (which must not exist: nothing saved is replaced);
    /// returns the exit status.
    static func write(to file: URL, hidden: URL?, settings: GradescopeSettings) -> Int32 {
        let manager = FileManager.default
        guard file.pathExtension.lowercased() == "zip" else {
            printError("Course gradescope: the bundle is a .zip: name it FILE.zip, not \(file.lastPathComponent)")
            return 2
        }
        guard !manager.fileExists(atPath: file.path) else {
            printError("Course gradescope: \(file.path) exists; remove it or name another file (nothing is replaced)")
            return 1
        }
        let source = PackageDirectory.root
        // Hidden cases that would fail every student's report are the instructor's to fix first.
        let problems = GradingCatalogue.caseProblems(
            GradingOptions(fixtures: source.appendingPathComponent("Fixtures/cases"), hidden: hidden))
        guard problems.isEmpty else {
            printError("Course gradescope: these cases cannot be graded, so the bundle is not written:")
            problems.forEach { printError("  \($0)") }
            return 1
        }
        let staging = manager.temporaryDirectory.appendingPathComponent("learn-gradescope-\(UUID().uuidString)")
        defer { try? manager.removeItem(at: staging) }
        do {
            let package = staging.appendingPathComponent("package")
            for path in try StarterKit.packageFiles(under: source) {
                try copy(source.appendingPathComponent(path), to: package.appendingPathComponent(path))
            }
            if let hidden {
                for case_ in try FixtureCase.caseFiles(under: hidden) {
                    let relative = String(
                        case_.standardizedFileURL.path.dropFirst(hidden.standardizedFileURL.path.count))
                    try copy(case_, to: package.appendingPathComponent("Fixtures/hidden" + relative))
                }
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try TextFile.write(
                String(decoding: try encoder.encode(settings), as: UTF8.self) + "\n",
                to: package.appendingPathComponent(GradescopeSettings.path).path)
            for script in ["setup.sh", "run_autograder"] {
                try copy(
                    source.appendingPathComponent("Scripts/gradescope/\(script)"),
                    to: staging.appendingPathComponent(script))
                try manager.setAttributes(
                    [.posixPermissions: 0o755], ofItemAtPath: staging.appendingPathComponent(script).path)
            }
        } catch {
            printError("Course gradescope: the bundle could not be put together: \(error.localizedDescription)")
            return 1
        }
        // Zipped beside the target and renamed, so a failure leaves no half-written bundle.
        let partial = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).partial.zip")
        try? manager.removeItem(at: partial)
        let zip = ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/zip"), ["-q", "-r", "-X", partial.path, "."], in: staging, timeLimit: 600)
        guard zip.ending == .exited(0), (try? manager.moveItem(at: partial, to: file)) != nil else {
            try? manager.removeItem(at: partial)
            printError(
                "Course gradescope: the bundle could not be zipped to \(file.path): "
                    + (Submission.said(zip.errors + zip.output) ?? "\(zip.ending)"))
            return 1
        }
        let size = ((try? manager.attributesOfItem(atPath: file.path)[.size]) as? Int) ?? 0
        let checks = settings.checks.compactMap(GradingCatalogue.check(id:))
        let onHidden = GradescopeRoot.checksOnHidden(checks, hidden: hidden)
        print("Wrote \(file.path) (\(size / 1_000_000) MB):")
        print(
            "  setup.sh, run_autograder, the package, \(checks.count) checks worth \(checks.reduce(0) { $0 + $1.points }) points"
        )
        print(
            hidden.map {
                "  hidden cases from \($0.path); \(onHidden.count == 1 ? "1 check grades them" : "\(onHidden.count) checks grade them"), shown \(settings.hiddenVisibility.rawValue)"
            }
                ?? "  no hidden cases (--hidden DIR adds them)")
        print("Upload it under Configure Autograder → Zip file upload (base image Ubuntu 22.04; see setup.sh).")
        return 0
    }

    /// Copies one file, making its folder.
    static func copy(_ from: URL, to: URL) throws {
        try FileManager.default.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: from, to: to)
    }
}
