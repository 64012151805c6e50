import Foundation
import CommandLineOptions
import Learn
import LearnCourse

/// `Course verify --answers FILE`: an outside implementation's outputs and gradients,
/// compared with each case's expected values and tolerance.
///
///     {"cases": {"<path relative to DIR, without .json>":
///                  {"outputs":   {"<name>": {"shape": [rows, columns], "values": [...]}, …},
///                   "gradients": {…}}}}
///
/// One malformed case in the file fails that case only; a file that is not JSON at all,
/// or has no `cases`, is a thrown error.
/// See also: ``Verify``, ``FixtureTolerance``.
enum VerifyAnswers {
    /// Reads `file` and checks it against every case under `directory`, in path order.
    static func check(_ file: URL, against directory: URL) throws -> [CaseVerdict] {
        let given = try read(file)
        var used = Set<String>()
        let root = directory.standardizedFileURL.path + "/"
        let verdicts = try FixtureCase.caseFiles(under: directory).map { url -> CaseVerdict in
            let path = url.standardizedFileURL.path
            let key = String(
                (path.hasPrefix(root) ? path.dropFirst(root.count) : Substring(url.lastPathComponent))
                    .dropLast(".json".count))
            used.insert(key)
            let fixture: FixtureCase
            do {
                fixture = try FixtureCase.load(from: url)
            } catch {
                let reason = "\(error)".replacingOccurrences(of: root, with: "")
                return CaseVerdict(label: key, kind: nil, tolerance: nil, problem: reason)
            }
            let kind = fixture.kind.rawValue
            guard let entry = given.cases[key] else {
                return CaseVerdict(label: key, kind: kind, tolerance: fixture.tolerance, problem: "no answer given")
            }
            guard let answer = entry.answer else {
                return CaseVerdict(
                    label: key, kind: kind, tolerance: fixture.tolerance,
                    problem: "the answer is malformed: \(entry.problem ?? "")")
            }
            return CaseVerdict(
                label: key, kind: kind, tolerance: fixture.tolerance,
                tensors: compare(fixture, answer), problem: nil)
        }
        // Keys that match no case are most likely mistyped: say so, without failing.
        let unknown = given.cases.keys.filter { !used.contains($0) }.sorted()
        if !unknown.isEmpty {
            printError(
                "Course verify: note: \(unknown.count) answer(s) match no case file under \(directory.path) "
                    + "(keys are paths relative to it, without .json): "
                    + unknown.prefix(5).joined(separator: ", ") + (unknown.count > 5 ? ", …" : ""))
        }
        return verdicts
    }

    /// The file, decoded (``AnswersFile/init(contentsOf:)``).
    static func read(_ file: URL) throws -> AnswersFile {
        try AnswersFile(contentsOf: file)
    }

    /// Every expected output and gradient of `fixture` against the answer's, sorted as
    /// the library sorts them (outputs first, names in natural order).
    static func compare(_ fixture: FixtureCase, _ answer: Answer) -> [TensorVerdict] {
        var tensors: [TensorVerdict] = []
        for (section, expected, actual) in [
            ("outputs", fixture.outputs, answer.outputs ?? [:]),
            ("gradients", fixture.gradients, answer.gradients ?? [:]),
        ] {
            for name in expected.keys.sorted(by: { $0.compare($1, options: .numeric) == .orderedAscending }) {
                guard let e = expected[name] else { continue }
                tensors.append(
                    compare("\(section).\(name)", expected: e, answer: actual[name], tolerance: fixture.tolerance))
            }
        }
        return tensors
    }

    /// One tensor, element by element, with the library's rule
    /// (``FixtureTolerance/relativeError(actual:expected:)``), keeping the worst element.
    ///
    /// It mirrors `FixtureComparison`'s initialiser, which is internal to Learn; like it,
    /// it keeps a NaN as the worst element once seen.
    static func compare(
        _ tensor: String, expected e: Matrix<Double>, answer a: AnswerTensor?, tolerance: FixtureTolerance
    ) -> TensorVerdict {
        var v = TensorVerdict(tensor: tensor, shape: e.shapeDescription, source: "answer")
        guard let a else {
            v.problem = "no value given"
            return v
        }
        guard a.shape == [e.rows, e.columns] else {
            v.problem = "the answer's shape is \(a.shape), expected [\(e.rows), \(e.columns)]"
            return v
        }
        guard a.values.count == e.count else {
            v.problem = "the answer has \(a.values.count) values, its shape needs \(e.count)"
            return v
        }
        for k in 0..<e.count {
            let error = tolerance.relativeError(actual: a.values[k], expected: e.elements[k])
            v.count += 1
            if !tolerance.accepts(error) { v.failureCount += 1 }
            // NaN counts as the worst, and stays the worst: `error > NaN` is false.
            if v.count == 1 || error > v.relativeError || (error.isNaN && !v.relativeError.isNaN) {
                (v.row, v.column) = (k / e.columns, k % e.columns)
                (v.expected, v.actual, v.relativeError) = (e.elements[k], a.values[k], error)
            }
        }
        return v
    }
}
