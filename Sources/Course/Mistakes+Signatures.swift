import CommandLineOptions
import Foundation
import Learn
import LearnCourse

/// `Course mistakes --record FILE`: what each typical mistake computes on the visible
/// cases it fails (``MistakeSignatures``), so the grader can name a mistake it sees.
extension Mistakes {
    /// Makes each mistake in turn (an instrumented build) and records, for each visible
    /// case of its piece's reference checks that it fails, the tensors it gets wrong.
    static func record(to file: String) -> Int32 {
        let options = GradingOptions()
        var signatures: [MistakeSignatures.Signature] = []
        print("Recording what \(MistakeCatalogue.all.count) mistakes compute on the visible cases …")
        for (k, mistake) in MistakeCatalogue.all.enumerated() {
            var found = 0
            var labels: Set<String> = []  // a case two assignments' checks take is recorded once
            for check in GradingCatalogue.all
            where check.selects != nil && check.pieces.flatMap(\.closure).contains(mistake.piece) {
                do {
                    let child = ChildProcess.run(
                        Grade.executable, ["grade", "--answer-check", check.id],
                        environment: .inherited(adding: ["LEARN_MISTAKE": mistake.id]),
                        input: try check.question(options), timeLimit: check.timeLimit)
                    guard child.ending == .exited(0),
                        let answers = try check.caseAnswers(child.outputData, options: options)
                    else { continue }
                    let new = MistakeSignatures.signatures(of: mistake, answers: answers).filter {
                        labels.insert($0.label).inserted
                    }
                    found += new.count
                    signatures += new
                } catch {
                    printError("Course mistakes: \(mistake.id) on \(check.id): \(error)")
                    return 1
                }
            }
            print("  [\(k + 1)/\(MistakeCatalogue.all.count)] \(mistake.id): \(found) cases")
        }
        do {
            let data = try MistakeSignatures(signatures: signatures).encoded()
            try TextFile.write(String(decoding: data, as: UTF8.self) + "\n", to: file)
        } catch {
            printError("Course mistakes: cannot write \(file): \(error)")
            return 1
        }
        let named = Set(signatures.map(\.mistake)).count
        print("\(signatures.count) signatures of \(named) mistakes written to \(file).")
        return 0
    }
}
