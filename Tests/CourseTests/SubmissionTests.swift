import Foundation
import Learn
import LearnCourse
import Testing

/// Preparing a submission: only the pieces' files are taken, everything else that
/// differs is listed as ignored; archives are unpacked; bad input is a clear error.
/// (`.ci/check-submission` builds and grades one end to end.)
@Suite("Grading a submission", .enabled(if: StarterKit.isReference(), "a kit is written from the reference solution"))
struct SubmissionTests {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("submission-\(UUID().uuidString)")
    /// Unpacking as the grader does: in the sandbox where one can be made (a job of
    /// its own, as the suites run at once and a box's user counts its processes).
    let box = Confinement(sandboxed: Sandbox.unavailableReason == nil, job: 11)

    /// A fresh kit at `name` under `base`.
    func kit(_ name: String) throws -> URL {
        let url = base.appendingPathComponent(name)
        try StarterKit.write(from: PackageDirectory.root, to: url)
        return url
    }

    func edit(_ root: URL, _ path: String, _ change: (String) -> String) throws {
        let url = root.appendingPathComponent(path)
        try change(try String(contentsOf: url, encoding: .utf8)).write(to: url, atomically: true, encoding: .utf8)
    }

    @Test("only the pieces' files are taken; an edited catalogue, an edited test and a new file are ignored")
    func takesOnlyPieces() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        let (student, grading) = (try kit("student"), try kit("grading"))
        try edit(student, "Sources/Learn/Equations/CellState.swift") { $0 + "\n// my work\n" }
        try edit(student, "Sources/LearnCourse/Grading/GradingCatalogue.swift") { $0 + "\n// every point mine\n" }
        try edit(student, "Tests/Grading/GradedCheckTests.swift") { $0 + "\n// passes\n" }
        try "notes".write(to: student.appendingPathComponent("NOTES.md"), atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(
            at: student.appendingPathComponent("Sources/Learn/Equations/Prediction.swift"))

        let submission = try Submission(root: student, kit: grading)
        #expect(submission.changed == ["Sources/Learn/Equations/CellState.swift"])
        #expect(submission.missing == ["Sources/Learn/Equations/Prediction.swift"])
        #expect(
            Set(submission.ignored)
                == [
                    "Sources/LearnCourse/Grading/GradingCatalogue.swift", "Tests/Grading/GradedCheckTests.swift",
                    "NOTES.md",
                ])
        #expect(submission.editable.allSatisfy { $0.hasPrefix("Sources/Learn/") })
        let taken = try String(
            contentsOf: grading.appendingPathComponent("Sources/Learn/Equations/CellState.swift"), encoding: .utf8)
        #expect(taken.hasSuffix("// my work\n"))
        let catalogue = try String(
            contentsOf: grading.appendingPathComponent("Sources/LearnCourse/Grading/GradingCatalogue.swift"),
            encoding: .utf8)
        #expect(!catalogue.contains("every point mine"))
        // A missing piece file stays the kit's stub, never the reference solution.
        let prediction = try String(
            contentsOf: grading.appendingPathComponent("Sources/Learn/Equations/Prediction.swift"), encoding: .utf8)
        #expect(prediction.contains("unimplemented(\""))
    }

    @Test("a .tar.gz or .zip is unpacked and the package found one folder down")
    func unpacksArchives() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        let student = try kit("student")
        let tar = base.appendingPathComponent("student.tar.gz")
        let packed = ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/tar"), ["-czf", tar.path, "-C", base.path, "student"], timeLimit: 120)
        #expect(packed.ending == .exited(0), "\(packed.errors)")
        let root = try Submission.unpack(tar, into: base.appendingPathComponent("unpacked-tar"), confinement: box).root
        #expect(root.lastPathComponent == "student")
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("Sources/Learn").path))
        // A folder is copied too (its regular files only), never graded in place.
        let copied = try Submission.unpack(student, into: base.appendingPathComponent("copied"), confinement: box)
        #expect(copied.root == base.appendingPathComponent("copied/files"))
        #expect(copied.skipped.contains { $0.hasSuffix("bytes: Fixtures/MNIST/train-images-idx3-ubyte.gz") })
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/zip") {
            let zip = base.appendingPathComponent("student.zip")
            let zipped = ChildProcess.run(
                URL(fileURLWithPath: "/usr/bin/zip"), ["-qr", zip.path, "student"], in: base, timeLimit: 120)
            #expect(zipped.ending == .exited(0), "\(zipped.errors)")
            let zipRoot = try Submission.unpack(
                zip, into: base.appendingPathComponent("unpacked-zip"), confinement: box
            ).root
            #expect(zipRoot.lastPathComponent == "student")
        }
    }

    @Test("a path that is missing, not an archive, a broken archive or one without a package is a clear error")
    func refusesBadInput() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        func problem(_ path: URL) -> String {
            do {
                _ = try Submission.unpack(
                    path, into: base.appendingPathComponent("out-\(UUID().uuidString)"), confinement: box)
                return "unpacked"
            } catch {
                return error.description
            }
        }
        #expect(problem(base.appendingPathComponent("nowhere.zip")).hasSuffix("nowhere.zip does not exist"))
        let rar = base.appendingPathComponent("work.rar")
        try Data("x".utf8).write(to: rar)
        #expect(problem(rar).contains("neither a folder nor a .zip or .tar.gz archive"))
        let broken = base.appendingPathComponent("broken.tar.gz")
        try Data("not gzip".utf8).write(to: broken)
        #expect(problem(broken).contains("could not be unpacked"))
        let empty = base.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        #expect(problem(empty).contains("holds no package"))
    }

    @Test("piece files alone, as an upload page takes them, are put in their places; two of one name are refused")
    func arrangesLooseFiles() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        let (upload, grading) = (base.appendingPathComponent("upload"), try kit("grading"))
        try FileManager.default.createDirectory(
            at: upload.appendingPathComponent("mine"), withIntermediateDirectories: true)
        try "// my cell".write(to: upload.appendingPathComponent("CellState.swift"), atomically: true, encoding: .utf8)
        try "// my h".write(
            to: upload.appendingPathComponent("mine/HiddenState.swift"), atomically: true, encoding: .utf8)
        try "notes".write(to: upload.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        let root = try Submission.unpack(upload, into: base.appendingPathComponent("scratch"), confinement: box).root
        let submission = try Submission(root: root, kit: grading)
        #expect(
            submission.changed == [
                "Sources/Learn/Equations/CellState.swift", "Sources/Learn/Equations/HiddenState.swift",
            ])
        let taken = try String(
            contentsOf: grading.appendingPathComponent("Sources/Learn/Equations/CellState.swift"), encoding: .utf8)
        #expect(taken == "// my cell")

        try "// again".write(
            to: upload.appendingPathComponent("mine/CellState.swift"), atomically: true, encoding: .utf8)
        #expect {
            _ = try Submission.unpack(upload, into: base.appendingPathComponent("scratch-2"), confinement: box)
        } throws: { error in
            "\(error)".contains("two files for Sources/Learn/Equations/CellState.swift")
        }
    }

    @Test("a build log's first error in each piece file is found, whatever the path before it")
    func findsCompileErrors() {
        let log = """
            [3/9] Compiling Learn Affine.swift
            /tmp/x/package/Sources/Learn/Equations/Prediction.swift:41:1: error: expressions are not allowed at the top level
            /tmp/x/package/Sources/Learn/Equations/Prediction.swift:42:1: error: another
            /tmp/x/package/Sources/Learn/Layers/Linear.swift:3:9: error: cannot find 'q' in scope
            /tmp/x/package/Sources/Learn/Models/LSTM.swift:3:9: warning: unused
            """
        let found = Submission.compileErrors(
            in: log,
            files: [
                "Sources/Learn/Equations/Prediction.swift", "Sources/Learn/Layers/Linear.swift",
                "Sources/Learn/Models/LSTM.swift",
            ])
        #expect(found.map(\.file) == ["Sources/Learn/Equations/Prediction.swift", "Sources/Learn/Layers/Linear.swift"])
        #expect(found[0].error.hasSuffix("41:1: error: expressions are not allowed at the top level"))
        #expect(Submission.firstError(in: log)?.contains("Prediction.swift:41:1") == true)
    }
}

/// Unpacking what a student hands in cannot hurt the grader: only regular files come
/// out, small ones, without owners, modes or links, and an archive that would unpack
/// too large is refused before anything is written.
@Suite("Unpacking a submission safely")
struct SafeUnpackingTests {
    let box = Confinement(sandboxed: Sandbox.unavailableReason == nil, job: 12)

    /// Runs `tool arguments…` (tar, zip, truncate) and requires it to succeed.
    func make(_ tool: String, _ arguments: [String], in folder: URL) throws {
        let made = ChildProcess.run(URL(fileURLWithPath: tool), arguments, in: folder, timeLimit: 300)
        try #require(made.ending == .exited(0), "\(tool): \(made.errors)")
    }

    @Test("symlinks, setuid bits and large files do not come out; the large ones are listed")
    func onlySmallRegularFiles() throws {
        let folder = try PrivateFolder(prefix: "unpack-test")
        defer { folder.remove() }
        let student = folder.url.appendingPathComponent("student")
        try FileManager.default.createDirectory(at: student, withIntermediateDirectories: true)
        try Data("// mine".utf8).write(to: student.appendingPathComponent("CellState.swift"))
        try FileManager.default.createSymbolicLink(
            atPath: student.appendingPathComponent("HiddenState.swift").path, withDestinationPath: "/etc/passwd")
        try FileManager.default.copyItem(atPath: "/usr/bin/dash", toPath: student.appendingPathComponent("shell").path)
        chmod(student.appendingPathComponent("shell").path, 0o4755)
        try make("/usr/bin/truncate", ["-s", "2G", "sparse.bin"], in: student)
        try make(
            "/usr/bin/tar", ["-czSf", "../student.tar.gz", "CellState.swift", "HiddenState.swift", "shell"], in: student
        )
        for (name, source) in [("folder", student), ("archive", folder.url.appendingPathComponent("student.tar.gz"))] {
            let out = folder.url.appendingPathComponent(name)
            let skipped = try box.unpack(source, into: out)
            let files = out.appendingPathComponent("files")
            #expect(
                try String(contentsOf: files.appendingPathComponent("CellState.swift"), encoding: .utf8) == "// mine")
            #expect(!FileManager.default.fileExists(atPath: files.appendingPathComponent("HiddenState.swift").path))
            let mode =
                try FileManager.default.attributesOfItem(atPath: files.appendingPathComponent("shell").path)[
                    .posixPermissions] as? Int
            #expect(mode.map { $0 & 0o7000 } == 0, "\(name): the shell kept a setuid bit")
            if name == "folder" { #expect(skipped == ["2147483648 bytes: sparse.bin"]) }
        }
    }

    @Test("a .zip or .tar.gz that would unpack to more than 512 MB is refused before anything is written")
    func bombsRefused() throws {
        let folder = try PrivateFolder(prefix: "bomb-test")
        defer { folder.remove() }
        try make("/usr/bin/truncate", ["-s", "600M", "zero.bin"], in: folder.url)
        try make("/usr/bin/tar", ["-czSf", "bomb.tar.gz", "zero.bin"], in: folder.url)
        var archives = ["bomb.tar.gz"]
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/zip") {
            try make("/usr/bin/zip", ["-q", "bomb.zip", "zero.bin"], in: folder.url)
            archives.append("bomb.zip")
        }
        for archive in archives {
            let out = folder.url.appendingPathComponent("out-\(archive)")
            #expect {
                _ = try box.unpack(folder.url.appendingPathComponent(archive), into: out)
            } throws: { error in
                "\(error)".contains("it unpacks to 629145600 bytes, more than the 536870912 allowed")
            }
            #expect(!FileManager.default.fileExists(atPath: out.path), "\(archive): something was written")
        }
    }
}
