import CommandLineOptions
import Foundation
import Learn
import LearnCourse

/// `Course tutorial-code [--check]`: the code of every step of the DocC tutorials
/// (`Sources/Learn/Learn.docc/Tutorials`), taken from the real sources so the tutorials
/// cannot drift from the code.
///
/// For each source file a tutorial walks through, one file per step: the file as the
/// starter kit has it (every region a stub), then with its first region written, its
/// first two, … to the whole solution — forward before backward, as a student writes
/// them. `--check` compares instead of writing and fails on any difference (CI).
enum TutorialCode {
    static let name = "tutorial-code"
    static let summary = "writes (or --check: compares) the DocC tutorials' code steps from the sources"

    static let check = Option<Bool>.flag("--check", summary: "compare with the committed steps; fail on a difference")

    /// The files each tutorial walks through, in its order.
    static let tutorials: [(prefix: String, files: [String])] = [
        (
            "part1",
            [
                "Equations/Affine.swift", "Equations/Activation.swift", "Equations/GateMachinery.swift",
                "Equations/ForgetGate.swift", "Equations/CellState.swift", "Equations/HiddenState.swift",
                "Models/LSTM.swift",
            ]
        ),
        (
            "part2",
            [
                "Layers/Linear.swift", "Layers/LeakyReLU.swift", "Layers/BatchNorm.swift", "Equations/Softplus.swift",
                "Equations/MinimaxLoss.swift", "Equations/NonSaturatingLoss.swift",
            ]
        ),
    ]

    /// Where the steps go: the catalog's resources.
    static let directory = "Sources/Learn/Learn.docc/Resources/code"

    static var helpText: String {
        """
        usage: Course tutorial-code [--check]

        Writes the code of every step of the DocC tutorials into \(directory): for
        each file a tutorial walks through, the starter kit's version (every solution
        region a stub), then one more region written per step, to the whole solution,
        named <part>-<file>-<k>.swift. With --check, writes nothing and fails (exit 1)
        if a committed step differs from the sources or is left over.

        options:
        \([Option<Bool>.help.help, check.help].map(\.line).joined(separator: "\n"))
        """
    }

    static func main(_ words: [String]) -> Int32 {
        if words.contains("--help") || words.contains("-h") {
            print(helpText)
            return 0
        }
        let checking: Bool
        do {
            checking = try Arguments(words, accepting: [Option<Bool>.help.help, check.help]).value(check) ?? false
        } catch {
            printError("Course tutorial-code: \(error) (see Course tutorial-code --help)")
            return 2
        }
        let root = PackageDirectory.root
        let folder = root.appendingPathComponent(directory)
        let steps: [String: String]
        do {
            steps = try Self.steps(in: root)
        } catch {
            printError("Course tutorial-code: \(error)")
            return 1
        }
        let present = Set((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
        if checking {
            let stale = steps.keys.sorted().filter { name in
                (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) != steps[name]
            }
            let leftOver = present.subtracting(steps.keys).sorted()
            guard stale.isEmpty && leftOver.isEmpty else {
                printError(
                    "Course tutorial-code: the tutorials' code is stale — differs from the sources: "
                        + (stale + leftOver.map { "\($0) (left over)" }).joined(separator: ", ")
                        + "; run swift run -c release Course tutorial-code and commit \(directory)")
                return 1
            }
            print("The tutorials' \(steps.count) code steps match the sources.")
            return 0
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for name in present.subtracting(steps.keys) {
                try FileManager.default.removeItem(at: folder.appendingPathComponent(name))
            }
            for (name, text) in steps { try TextFile.write(text, to: folder.appendingPathComponent(name).path) }
        } catch {
            printError("Course tutorial-code: \(error)")
            return 1
        }
        print("Wrote \(steps.count) code steps to \(directory).")
        return 0
    }

    /// Every step's file name and text: for each file, 0…n of its n regions written.
    static func steps(in root: URL) throws -> [String: String] {
        var steps: [String: String] = [:]
        for (prefix, files) in tutorials {
            for file in files {
                let path = SolutionSources.directory + "/" + file
                let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
                let regions = try StarterKit.stubbed(text, file: path).regions.values.reduce(0, +)
                let base = (file as NSString).lastPathComponent.replacingOccurrences(of: ".swift", with: "")
                for written in 0...regions {
                    steps["\(prefix)-\(base)-\(written).swift"] =
                        try StarterKit.stubbed(text, file: path, keepingWritten: written).text
                }
            }
        }
        return steps
    }
}
