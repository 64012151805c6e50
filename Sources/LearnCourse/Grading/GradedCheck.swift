import Foundation
import Learn

/// A task of an assignment, as graded (``Assignment/points`` gives each part's worth).
public enum AssignmentTask: String, CaseIterable, Sendable, Codable {
    /// Assignment 2, Part I, task 1: the MLP by hand, its layers and its gradients.
    case a2Part1Task1 = "a2-part1-task1"
    /// Assignment 2, Part I, task 2: the MLP trained on moons and circles.
    case a2Part1Task2 = "a2-part1-task2"
    /// Assignment 2, Part II, task 1: the CNN's layers by hand (Conv2d, MaxPool2d, BatchNorm2d).
    case a2Part2Task1 = "a2-part2-task1"
    /// Assignment 2, Part II, task 2: the CNN trained with Adam.
    case a2Part2Task2 = "a2-part2-task2"
    /// Assignment 2, Part III, task 1: the vanilla RNN by hand.
    case a2Part3Task1 = "a2-part3-task1"
    /// Assignment 2, Part III, task 2: the RNN trained on palindromes.
    case a2Part3Task2 = "a2-part3-task2"
    /// Part I, task 1: the LSTM by hand, equations (1)–(9) and backpropagation through time.
    case part1Task1 = "part1-task1"
    /// Part I, task 2: training on palindromes, the LSTM against the RNN.
    case part1Task2 = "part1-task2"
    /// Part II, task 1: the GAN's layers and losses, equation (10).
    case part2Task1 = "part2-task1"
    /// Part II, task 2: training the GAN on MNIST.
    case part2Task2 = "part2-task2"
    /// Part II, task 3: the walk through the latent space.
    case part2Task3 = "part2-task3"

    /// The assignment it belongs to.
    public var assignment: Assignment {
        switch self {
        case .a2Part1Task1, .a2Part1Task2, .a2Part2Task1, .a2Part2Task2, .a2Part3Task1, .a2Part3Task2: .two
        case .part1Task1, .part1Task2, .part2Task1, .part2Task2, .part2Task3: .three
        }
    }

    /// The part of its assignment: 1, 2 or 3.
    public var part: Int {
        switch self {
        case .a2Part1Task1, .a2Part1Task2, .part1Task1, .part1Task2: 1
        case .a2Part2Task1, .a2Part2Task2, .part2Task1, .part2Task2, .part2Task3: 2
        case .a2Part3Task1, .a2Part3Task2: 3
        }
    }

    /// "Part I", "Part II", "Part III".
    public static func partName(_ part: Int) -> String {
        "Part " + (part == 1 ? "I" : part == 2 ? "II" : part == 3 ? "III" : "\(part)")
    }

    /// What the task asks for.
    public var title: String {
        switch self {
        case .a2Part1Task1: "Part I, task 1 — the MLP by hand: Linear, ReLU, softmax cross-entropy, SGD"
        case .a2Part1Task2: "Part I, task 2 — the MLP trained on moons and circles"
        case .a2Part2Task1: "Part II, task 1 — the CNN's layers by hand: Conv2d, MaxPool2d, BatchNorm2d; and Adam"
        case .a2Part2Task2: "Part II, task 2 — the CNN trained with Adam on MNIST padded to 32×32"
        case .a2Part3Task1: "Part III, task 1 — the vanilla RNN by hand, and RMSProp"
        case .a2Part3Task2: "Part III, task 2 — the RNN trained on palindromes"
        case .part1Task1: "Part I, task 1 — the LSTM by hand: equations (1)–(9) and backpropagation through time"
        case .part1Task2: "Part I, task 2 — training on palindromes, the LSTM against the RNN"
        case .part2Task1: "Part II, task 1 — the GAN's layers and losses, equation (10)"
        case .part2Task2: "Part II, task 2 — training the GAN: a balanced game and digit-like samples"
        case .part2Task3: "Part II, task 3 — interpolation in latent space, between two classes the judge tells apart"
        }
    }
}

/// Where a grading run looks.
public struct GradingOptions: Sendable {
    /// The package whose pieces are graded (its sources tell which are written).
    public var package: URL
    /// The reference cases (default: the package's `Fixtures/cases`).
    public var fixtures: URL
    /// An instructor's hidden cases, graded with the visible ones; nil for none.
    public var hidden: URL?

    /// Options for the package this library was built from.
    public init(package: URL = PackageDirectory.root, fixtures: URL? = nil, hidden: URL? = nil) {
        self.package = package
        self.fixtures = fixtures ?? package.appendingPathComponent("Fixtures/cases")
        self.hidden = hidden
    }
}

/// Points lost by a check, with the reason: which case, which tensor, how far off.
public struct Deduction: Sendable, Codable, Equatable {
    /// Points lost.
    public var points: Int
    /// Why, in a sentence a student can act on.
    public var reason: String

    /// A deduction.
    public init(points: Int, reason: String) {
        (self.points, self.reason) = (points, reason)
    }
}

/// One graded check of the catalogue (``GradingCatalogue``): its name, task, points,
/// the pieces it exercises and its ``GradedWork``. Defined once, run by the Swift
/// Testing suite (one parameterised test case per check) and by `Course grade`.
public struct GradedCheck: Sendable, Identifiable, CustomStringConvertible {
    /// Stable and unique, e.g. `"cell-state.fixtures"`.
    public let id: String
    /// The task it counts for.
    public let task: AssignmentTask
    /// What it checks, e.g. "(5) cell state c matches PyTorch".
    public let title: String
    /// What it is worth.
    public let points: Int
    /// The pieces it runs: while one is unwritten the check earns nothing and says so,
    /// without running into the stub.
    public let pieces: [Piece]
    /// Wall-clock seconds `Course grade` allows it before stopping it.
    public let timeLimit: Double
    /// For a check that runs reference cases: which cases it takes.
    public let selects: (@Sendable (FixtureCase) -> Bool)?
    /// Its three steps, with their question and evidence as JSON.
    let work: ErasedWork

    /// A check that does `work`.
    public init<Question, Evidence>(
        id: String, task: AssignmentTask, title: String, points: Int, pieces: [Piece], timeLimit: Double = 60,
        selects: (@Sendable (FixtureCase) -> Bool)? = nil, work: GradedWork<Question, Evidence>
    ) {
        (self.id, self.task, self.title, self.points, self.pieces, self.timeLimit) =
            (id, task, title, points, pieces, timeLimit)
        (self.selects, self.work) = (selects, ErasedWork(work))
    }

    /// What the check's pieces are given under `options`, as JSON: inputs, never
    /// expected values.
    public func question(_ options: GradingOptions = GradingOptions()) throws -> Data {
        try work.ask(options)
    }

    /// The deductions `evidence` (JSON, as the answering process writes it) earns for
    /// `question`; throws when the evidence does not stand up.
    public func judge(
        _ evidence: Data, question: Data, options: GradingOptions = GradingOptions()
    ) throws
        -> [Deduction]
    {
        try work.judge(question, evidence, options)
    }

    /// The evidence `answers` (an outside implementation's answers file) gives this
    /// check, to judge as the pieces' evidence is judged; nil for a check that must run
    /// the pieces (training runs, properties).
    public func evidence(from answers: AnswersFile, options: GradingOptions = GradingOptions()) throws -> Data? {
        try work.answerFromFile?(options, answers)
    }

    /// For a check that compares answers with the reference cases: each case with the
    /// outputs and gradients `evidence` gives for it; nil for a check of another kind.
    public func caseAnswers(
        _ evidence: Data, options: GradingOptions = GradingOptions()
    ) throws -> [(
        fixture: FixtureCase, outputs: [String: Matrix<Double>], gradients: [String: Matrix<Double>]
    )]? {
        try GradedCases.caseAnswers(self, evidence: evidence, options: options)
    }

    /// `"cell-state.fixtures"`, which is how tests and reports name it.
    public var description: String { id }

    /// Runs the check in this process: its question, the pieces' answer, the judgement.
    /// A thrown error costs all its points (with the error as the reason); a crash
    /// cannot be caught here — `Course grade` runs each answer in a process of its own
    /// (``IsolatedCheck``) for that, and judges it where the student's code never runs.
    public func run(_ options: GradingOptions = GradingOptions()) -> GradedOutcome {
        let start = Date()
        var deductions: [Deduction]
        if let message = Piece.unwrittenMessage(pieces, inPackage: options.package) {
            deductions = [Deduction(points: points, reason: message)]
        } else {
            do {
                let question = try work.ask(options)
                deductions = try work.judge(question, try work.answer(question), options)
            } catch {
                deductions = [Deduction(points: points, reason: "could not be run: \(error)")]
            }
        }
        return GradedOutcome(check: self, deductions: deductions, seconds: Date().timeIntervalSince(start))
    }
}

/// What a check earned, and why it lost what it lost.
public struct GradedOutcome: Sendable, Codable, Equatable {
    /// The check's id.
    public var id: String
    /// Its worth.
    public var points: Int
    /// Points earned: the worth less the deductions, never below 0.
    public var earned: Int
    /// Every reason a point was lost.
    public var deductions: [Deduction]
    /// How long it ran.
    public var seconds: Double
    /// How many processes its pieces left running, which were killed when it ended;
    /// nil when none were.
    public var stragglers: Int?

    /// The outcome of `check` given its deductions.
    public init(check: GradedCheck, deductions: [Deduction], seconds: Double) {
        (id, points, self.deductions, self.seconds) = (check.id, check.points, deductions, seconds)
        earned = max(0, points - deductions.reduce(0) { $0 + $1.points })
    }

    /// An outcome with every point lost for one reason (a crash, a time limit).
    public init(check: GradedCheck, lostBecause reason: String, seconds: Double) {
        self.init(check: check, deductions: [Deduction(points: check.points, reason: reason)], seconds: seconds)
    }

    /// Full marks and nothing to say.
    public var passed: Bool { deductions.isEmpty }
}
