import Foundation
import Learn

/// The graded checks that run reference cases: visible ones from `Fixtures/cases` and
/// an instructor's hidden ones, told apart in every reason so a student knows which
/// failed without seeing it.
enum GradedCases {
    /// A loaded case and where it came from.
    struct Loaded {
        var fixture: FixtureCase
        var hidden: Bool
        /// Its key in an answers file: the path relative to its directory, without
        /// `.json`, after `hidden/` for a hidden case (`hidden/equations/gate-f`).
        var key: String
        var label: String { (hidden ? "hidden case " : "case ") + fixture.label }
    }

    /// Every loadable case of both directories, and a sentence for each file that is not.
    static func load(_ options: GradingOptions) -> (cases: [Loaded], problems: [String]) {
        var cases: [Loaded] = []
        var problems: [String] = []
        for (directory, hidden) in [(options.fixtures, false), (options.hidden, true)] {
            guard let directory else { continue }
            guard let files = try? FixtureCase.caseFiles(under: directory) else {
                problems.append("the \(hidden ? "hidden " : "")cases directory \(directory.path) cannot be read")
                continue
            }
            for file in files {
                let key = AnswersFile.key(of: file, under: directory, hidden: hidden)
                do {
                    cases.append(Loaded(fixture: try FixtureCase.load(from: file), hidden: hidden, key: key))
                } catch {
                    problems.append("\(hidden ? "hidden case" : "case") file \(error)")
                }
            }
        }
        return (cases, problems)
    }

    /// The selected cases; throws when there are none (no points for checking nothing).
    static func selected(
        _ options: GradingOptions, where select: (FixtureCase) -> Bool
    ) throws -> [Loaded] {
        let cases = load(options).cases.filter { select($0.fixture) }
        guard cases.contains(where: { !$0.hidden }) else {
            throw GradingError(problem: "no reference case for this check under \(options.fixtures.path)")
        }
        return cases
    }

    /// The selected cases, as the pieces are given them: without expected values.
    static func questions(_ options: GradingOptions, where select: (FixtureCase) -> Bool) throws -> [CaseQuestion] {
        try selected(options, where: select).map { CaseQuestion($0.fixture) }
    }

    /// The selected cases again, each with the evidence given for it; throws unless the
    /// evidence answers exactly the cases asked, in order.
    static func pairs<Evidence>(
        _ options: GradingOptions, _ evidence: [Evidence], label: (Evidence) -> String,
        where select: (FixtureCase) -> Bool
    ) throws -> [(Loaded, Evidence)] {
        let cases = try selected(options, where: select)
        guard cases.map(\.fixture.label) == evidence.map(label) else {
            throw GradingError(
                problem: "the answering process answered \(evidence.count) cases, not the \(cases.count) asked")
        }
        return Array(zip(cases, evidence))
    }

    /// What the pieces computed for one case, or why they could not.
    struct CaseAnswer: Codable, Sendable {
        var label: String
        var answer: Answer?
        var problem: String?
        /// Where it came from when not from the pieces: an answers file. A type, not
        /// text, so that evidence cannot put words of its own into a reason.
        var source: Source?

        /// The one source other than the pieces.
        enum Source: String, Codable, Sendable {
            case answersFile
        }

        /// Runs the library on `question`.
        init(_ question: CaseQuestion) {
            label = question.label
            do {
                let computed = try FixtureRunner.compute(try question.fixture())
                answer = Answer(
                    outputs: computed.outputs.mapValues(AnswerTensor.init),
                    gradients: computed.gradients.mapValues(AnswerTensor.init))
            } catch {
                problem = "\(error)"
            }
        }

        /// The answer an answers file gives for `loaded`: its entry, or why there is none.
        init(_ loaded: Loaded, from file: AnswersFile) {
            (label, source) = (loaded.fixture.label, .answersFile)
            let entry = file.cases[loaded.key]
            answer = entry?.answer
            problem =
                entry == nil
                ? "no answer given (the key \(loaded.key))"
                : entry?.problem.map { "the answer is malformed: \($0)" }
                    ?? answer?.error.map { "the implementation raised \($0)" }
        }

        /// The answer's outputs and gradients as matrices (a malformed tensor left out).
        var matrices: (outputs: [String: Matrix<Double>], gradients: [String: Matrix<Double>])? {
            answer.map(\.matrices)
        }

        /// The answer against the case's expected values.
        func result(_ fixture: FixtureCase) -> FixtureResult {
            guard answer?.error == nil, let (outputs, gradients) = matrices else {
                var result = FixtureResult(
                    label: fixture.label, kind: fixture.kind, tolerance: fixture.tolerance, comparisons: [])
                result.problem = problem ?? "no answer"
                return result
            }
            return FixtureRunner.compare(
                fixture, outputs: outputs, gradients: gradients, source: source == .answersFile ? "the answer" : "Learn"
            )
        }
    }

    /// All points lost unless every selected case's outputs and gradients match; one
    /// reason per failing case, naming the tensor, the worst element and both values.
    static func matchReferences(
        points: Int, where select: @escaping @Sendable (FixtureCase) -> Bool
    ) -> GradedWork<
        [CaseQuestion], [CaseAnswer]
    > {
        GradedWork(
            ask: { options in try questions(options, where: select) },
            answer: { questions in questions.map(CaseAnswer.init) },
            judge: { _, answers, options in
                let failures = try pairs(options, answers, label: \.label, where: select).compactMap {
                    loaded, answer -> String? in
                    let result = answer.result(loaded.fixture)
                    guard !result.passed else { return nil }
                    // "FAIL group/name (kind): …", then one line per failing tensor, then
                    // the typical mistake it matches, if any (visible cases only).
                    var text = (loaded.hidden ? "hidden case: " : "") + result.description
                    // Read only for a failing case (right answers need no hint); memoised.
                    if !loaded.hidden, let signatures = MistakeSignatures.load(besides: options.fixtures),
                        let (outputs, gradients) = answer.matrices
                    {
                        for match in signatures.matches(loaded.fixture, outputs: outputs, gradients: gradients) {
                            text += "\n  " + MistakeSignatures.hint(match, inPackage: options.package)
                        }
                    }
                    return text
                }
                return deductions(points, failures)
            },
            answerFromFile: { options, file in
                try selected(options, where: select).map { CaseAnswer($0, from: file) }
            })
    }

    /// For a check that compares answers with the reference cases: each case with the
    /// outputs and gradients `evidence` gives for it; nil for a check of another kind.
    static func caseAnswers(
        _ check: GradedCheck, evidence: Data, options: GradingOptions
    ) throws -> [(
        fixture: FixtureCase, outputs: [String: Matrix<Double>], gradients: [String: Matrix<Double>]
    )]? {
        guard let select = check.selects, let answers = try? Exchange.decode([CaseAnswer].self, evidence) else {
            return nil
        }
        return try pairs(options, answers, label: \.label, where: select).compactMap { loaded, answer in
            answer.matrices.map { (loaded.fixture, $0.outputs, $0.gradients) }
        }
    }

    /// A case's answer and its finite-difference reports.
    struct CaseGradients: Codable, Sendable {
        var answer: CaseAnswer
        /// Each report's verdict and text; nil when the case could not be run.
        var reports: [Report]?
        var problem: String?

        struct Report: Codable, Sendable {
            var passed: Bool
            var text: String
        }

        /// An answers file's entry for `loaded`: its answer, and its claim about finite
        /// differences as the one report (the file's author took them where the
        /// implementation ran, as the pieces do under `grade`).
        init(_ loaded: Loaded, from file: AnswersFile) {
            answer = CaseAnswer(loaded, from: file)
            if let claim = answer.answer?.finiteDifferences {
                let worst = NumberFormat.scientific(claim.worstRelativeError)
                reports = [
                    Report(
                        passed: claim.agrees,
                        text: "finite differences of the implementation's forward pass: \(claim.checked) gradient "
                            + "elements compared, worst relative error \(worst) (must be ≤ 1e-6)")
                ]
            } else {
                problem = answer.problem ?? "the answer has no finiteDifferences report"
            }
        }

        init(_ question: CaseQuestion) {
            answer = CaseAnswer(question)
            do {
                reports = try FixtureRunner.gradientCheck(try question.fixture()).map {
                    Report(passed: $0.passed, text: "\($0)")
                }
            } catch {
                problem = "\(error)"
            }
        }
    }

    /// All points lost unless, in every selected case, each gradient the library
    /// computes agrees with central differences of the objective — and the case's
    /// outputs and gradients match the reference. That second condition is what the
    /// grader can verify itself: finite differences are computed where the pieces run,
    /// so a report could say anything, but values that match a hidden case cannot be
    /// made up. (A backward pass consistent with a wrong forward pass loses these
    /// points too: its gradients are wrong.)
    static func finiteDifferences(
        points: Int, fixtureCheck: String, where select: @escaping @Sendable (FixtureCase) -> Bool
    ) -> GradedWork<[CaseQuestion], [CaseGradients]> {
        GradedWork(
            ask: { options in try questions(options, where: select) },
            answer: { questions in questions.map(CaseGradients.init) },
            judge: { _, evidence, options in
                var failures: [String] = []
                var checked = 0
                for (loaded, given) in try pairs(options, evidence, label: \.answer.label, where: select) {
                    guard let reports = given.reports else {
                        failures.append("\(loaded.label): could not be run: \(given.problem ?? "no report")")
                        continue
                    }
                    checked += reports.count
                    failures += reports.filter { !$0.passed }.map { "\(loaded.label): \($0.text)" }
                    let result = given.answer.result(loaded.fixture)
                    if !result.passed {
                        failures.append(
                            "\(loaded.label): the outputs or gradients do not match the reference (see the check "
                                + "\(fixtureCheck)); finite differences earn their points once they do")
                    }
                }
                if checked == 0 && failures.isEmpty { failures.append("no gradient was checked") }
                return deductions(points, failures)
            },
            answerFromFile: { options, file in
                try selected(options, where: select).map { CaseGradients($0, from: file) }
            })
    }

    /// One deduction of all `points`, naming every failure; none when nothing failed.
    static func deductions(_ points: Int, _ failures: [String]) -> [Deduction] {
        guard !failures.isEmpty else { return [] }
        return [Deduction(points: points, reason: failures.joined(separator: "\n"))]
    }
}

/// Why a check could not run at all.
public struct GradingError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var problem: String
    /// The problem.
    public var description: String { problem }
}
