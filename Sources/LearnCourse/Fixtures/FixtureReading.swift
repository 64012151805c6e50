import Learn

/// One case read for its kind: every option and tensor the kind uses, by name, each
/// checked as it is read — present, in range, of a shape that fits the others — and,
/// at ``finish()``, nothing else in the case, a gradient for every differentiable
/// tensor, and the kind's objective.
///
/// A kind is one function that reads what it needs and returns what it computes (see
/// ``FixtureRunner``'s kinds), so a tensor's name and shape are written once, where it
/// is read. Loading a case runs the reading alone, which is how a case that loads can
/// no longer trip one of the library's preconditions; running it reads again and
/// computes.
///
/// Shapes are written in named dimensions (`N×D`, `H×H`): a name is bound by the first
/// tensor that has it and must be the same size wherever it appears.
struct FixtureReading {
    /// A size in a shape: a named one, the same wherever it appears, or a fixed one.
    enum Dimension: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, CustomStringConvertible {
        case named(String)
        case fixed(Int)

        init(stringLiteral value: String) { self = .named(value) }
        init(integerLiteral value: Int) { self = .fixed(value) }

        var description: String {
            switch self {
            case .named(let name): name
            case .fixed(let size): "\(size)"
            }
        }
    }

    /// A tensor's shape in dimensions.
    typealias Shape = (rows: Dimension, columns: Dimension)

    /// The sections of a case that hold tensors (gradients are checked at ``finish()``).
    enum Section: String, CaseIterable {
        case inputs, parameters, buffers, outputs
    }

    /// A tensor as read: its place in the case, which names it in results, and its value.
    struct Tensor: Hashable {
        var section: Section
        var name: String
        var value: Matrix<Double>

        static func == (a: Tensor, b: Tensor) -> Bool { (a.section, a.name) == (b.section, b.name) }
        func hash(into hasher: inout Hasher) { hasher.combine(name) }
    }

    /// The objective a kind is computed with.
    private enum Objective {
        case output(String), weightedSum(String), none
    }

    /// The case being read.
    let fixture: FixtureCase
    /// Whether the case's expected outputs and gradients are read and checked too (when
    /// it is loaded), or left alone (when it is computed: a case the grader hands to the
    /// pieces has none).
    let checksExpected: Bool
    /// Whether only the outputs are wanted: a finite-difference check evaluates the
    /// objective thousands of times and needs no backward pass for any of them (the
    /// kinds whose backward pass is costly — the models through time, the networks and
    /// layers — skip it; the rest are cheap either way).
    var forwardOnly = false
    private var read: [Section: Set<String>] = [:]
    /// The options read so far: any other in the case is a mistake in the file.
    var optionsRead: Set<String> = []
    private var differentiable: [Tensor] = []
    private var sizes: [String: (size: Int, from: String)] = [:]
    private var objective: Objective?
    private var labelClasses: (labels: [Int], classes: String)?

    init(_ fixture: FixtureCase, checksExpected: Bool) {
        (self.fixture, self.checksExpected) = (fixture, checksExpected)
    }

    private var kindName: String { "a \(fixture.kind.rawValue) case" }

    func failure(_ problem: String) -> FixtureError {
        FixtureError(file: fixture.source, problem: problem)
    }

    // MARK: Tensors

    /// Data the computation reads, differentiable: the case gives its gradient.
    mutating func input(_ name: String, _ rows: Dimension, _ columns: Dimension) throws -> Tensor {
        try tensor(.inputs, name, (rows, columns), differentiable: true)
    }

    /// Inputs `name(1)`…`name(count)`, one per step.
    mutating func inputs(_ name: String, count: Int, _ rows: Dimension, _ columns: Dimension) throws -> [Tensor] {
        try (1...count).map { try input("\(name)(\($0))", rows, columns) }
    }

    /// An expected output: read to check its shape; the computation supplies the value.
    mutating func output(_ name: String, _ rows: Dimension, _ columns: Dimension) throws -> Tensor {
        try tensor(.outputs, name, (rows, columns), differentiable: false)
    }

    /// A 1×1 output: a loss or one of its terms.
    mutating func scalar(_ name: String) throws -> Tensor { try output(name, 1, 1) }

    /// `inputs.labels`, an N×1 column of class indices, in 0..<K (checked at ``finish()``,
    /// when K is known).
    mutating func labels(_ rows: Dimension, classes: String) throws -> [Int] {
        let column = try tensor(.inputs, "labels", (rows, 1), differentiable: false)
        let labels = try column.value.elements.map { value in
            guard value == value.rounded(), abs(value) < 1e9 else {
                throw failure("inputs.labels must hold whole numbers (class indices), got \(value)")
            }
            return Int(value)
        }
        labelClasses = (labels, classes)
        return labels
    }

    /// `template` with every parameter and buffer replaced by the case's tensor of the
    /// same name — the library's own names (`wfx`, `3.gamma`) — each of the shape
    /// `shapes` gives in the order of `template.state`, parameters then buffers (its own
    /// shape when nil). A buffer's value after the forward pass is an output under its
    /// name, of its shape.
    mutating func load<Model: Parameterized>(_ template: Model, shapes: [Shape]? = nil) throws -> Model
    where Model.Scalar == Double {
        var model = template
        // A generic model's key paths are built at run time, each time `state` or
        // `parameters` is asked for: ask once (a finite-difference check loads the model
        // thousands of times, and asking per tensor made that nearly all of its time).
        let state = template.state
        let parameterCount = state.count - template.buffers.count  // `state` is the parameters, then the buffers
        let shapes =
            shapes
            ?? state.map { p in
                let m = template[keyPath: p.path]
                return (.fixed(m.rows), .fixed(m.columns))
            }
        guard shapes.count == state.count else {
            throw failure("(internal) \(shapes.count) shapes for the \(state.count) tensors of \(Model.self)")
        }
        for (k, (p, shape)) in zip(state, shapes).enumerated() {
            let isParameter = k < parameterCount
            model[keyPath: p.path] =
                try tensor(isParameter ? .parameters : .buffers, p.name, shape, differentiable: isParameter).value
            if !isParameter { _ = try tensor(.outputs, p.name, shape, differentiable: false) }
        }
        return model
    }

    /// Reads one tensor and binds its named dimensions (see the type's comment).
    private mutating func tensor(
        _ section: Section, _ name: String, _ shape: Shape, differentiable isDifferentiable: Bool
    ) throws -> Tensor {
        if section == .outputs, !checksExpected {
            return Tensor(section: section, name: name, value: Matrix(rows: 0, columns: 0))
        }
        guard let m = fixture.tensors(in: section)[name] else {
            throw failure("missing \(section.rawValue).\(name) (\(shape.rows)×\(shape.columns))")
        }
        read[section, default: []].insert(name)
        let place = "\(section.rawValue).\(name)"
        for (dimension, size) in [(shape.rows, m.rows), (shape.columns, m.columns)] {
            switch dimension {
            case .fixed(let fixed) where fixed != size:
                throw failure("\(place) is \(m.shapeDescription), \(expectation(shape))")
            case .named(let n):
                if let bound = sizes[n], bound.size != size {
                    throw failure("\(place) is \(m.shapeDescription), \(expectation(shape))")
                }
                if sizes[n] == nil { sizes[n] = (size, place) }
            default:
                break
            }
        }
        let tensor = Tensor(section: section, name: name, value: m)
        if isDifferentiable { differentiable.append(tensor) }
        return tensor
    }

    /// "expected H×H with H = 5 (from inputs.prevH)".
    private func expectation(_ shape: Shape) -> String {
        var bound: [String] = []
        for case .named(let n) in [shape.rows, shape.columns] {
            if let s = sizes[n], !bound.contains(where: { $0.hasPrefix("\(n) =") }) {
                bound.append("\(n) = \(s.size) (from \(s.from))")
            }
        }
        return "expected \(shape.rows)×\(shape.columns)"
            + (bound.isEmpty ? "" : " with " + bound.joined(separator: ", "))
    }

    /// The size a named dimension was bound to.
    func size(of dimension: String) -> Int? { sizes[dimension]?.size }

    /// A dimension read so far must be at least `minimum`; `reason` says why.
    func require(_ dimension: String, atLeast minimum: Int, _ reason: String) throws {
        if let s = sizes[dimension], s.size < minimum {
            throw failure("\(dimension) = \(s.size) (from \(s.from)), but \(reason)")
        }
    }

    // MARK: The objective

    /// The objective is Σ R ⊙ `output`; returns R, the upstream gradient, of the output's shape.
    mutating func weightedSum(of output: Tensor) throws -> Matrix<Double> {
        objective = .weightedSum(output.name)
        guard case .weightedSum(output.name, let weights) = fixture.objective else {
            throw failure(
                "the objective of \(kindName) must be {\"type\": \"weightedSum\", \"output\": \"\(output.name)\", …}")
        }
        guard !checksExpected || (weights.rows == output.value.rows && weights.columns == output.value.columns) else {
            throw failure(
                "objective.weights is \(weights.shapeDescription), but outputs.\(output.name) is \(output.value.shapeDescription)"
            )
        }
        return weights
    }

    /// The objective is the 1×1 output `loss` itself.
    mutating func objective(is loss: Tensor) throws {
        objective = .output(loss.name)
        guard case .output(loss.name) = fixture.objective else {
            throw failure("the objective of \(kindName) must be {\"type\": \"output\", \"output\": \"\(loss.name)\"}")
        }
    }

    /// No objective: a trajectory, which has no gradients.
    mutating func noObjective() throws {
        objective = FixtureReading.Objective.none
        guard case .none = fixture.objective else {
            throw failure("the objective of \(kindName) must be {\"type\": \"none\"}: a trajectory has no gradients")
        }
    }

    // MARK: The rest of the case

    /// Checks what reading each tensor could not: no option or tensor the kind did not
    /// read, the labels inside 0..<K, and a gradient for exactly the differentiable
    /// tensors, each of their shape.
    func finish() throws {
        for key in fixture.options.keys.sorted() where !optionsRead.contains(key) {
            let known = optionsRead.isEmpty ? "it takes none" : "known: " + optionsRead.sorted().joined(separator: ", ")
            throw failure("options.\(key) is not an option of \(kindName) (\(known))")
        }
        for section in Section.allCases {
            let expected = read[section, default: []]
            for name in fixture.tensors(in: section).keys.sorted() where !expected.contains(name) {
                let listed =
                    expected.isEmpty ? "none" : expected.sorted(by: FixtureRunner.naturalOrder).joined(separator: ", ")
                throw failure("unexpected \(section.rawValue).\(name): \(kindName) has \(section.rawValue) \(listed)")
            }
        }
        if let (labels, k) = labelClasses, let classes = sizes[k]?.size {
            for (row, label) in labels.enumerated() where !(0..<classes).contains(label) {
                throw failure("inputs.labels[\(row)] is \(label), outside 0..<\(classes) (K = \(classes))")
            }
        }
        switch objective {
        case nil:
            throw failure("(internal) the \(fixture.kind.rawValue) kind reads no objective")
        case .none?:
            if let name = fixture.gradients.keys.sorted().first {
                throw failure("unexpected gradients.\(name): \(kindName) has no gradients")
            }
        default:
            for t in differentiable {
                guard let g = fixture.gradients[t.name] else {
                    throw failure(
                        "missing gradients.\(t.name) (the gradient with respect to \(t.section.rawValue).\(t.name))")
                }
                if g.rows != t.value.rows || g.columns != t.value.columns {
                    throw failure(
                        "gradients.\(t.name) is \(g.shapeDescription), but \(t.section.rawValue).\(t.name) is \(t.value.shapeDescription)"
                    )
                }
            }
            for name in fixture.gradients.keys.sorted() where !differentiable.contains(where: { $0.name == name }) {
                throw failure("unexpected gradients.\(name): not a differentiable input or parameter of \(kindName)")
            }
        }
    }
}

extension FixtureCase {
    /// The tensors of one section, by name.
    func tensors(in section: FixtureReading.Section) -> [String: Matrix<Double>] {
        switch section {
        case .inputs: inputs
        case .parameters: parameters
        case .buffers: buffers
        case .outputs: outputs
        }
    }

    /// Checks the case by reading it for its kind (see ``FixtureReading``).
    func validate() throws {
        var reading = FixtureReading(self, checksExpected: true)
        _ = try FixtureRunner.read(&reading)
        try reading.finish()
    }
}
