import Learn
/// Reading a case's options and tensors by name, with an error that names the file
/// and the field when one is missing or out of range. The loader checks every option
/// a kind needs through these; the runner reads them again, knowing they are there.
extension FixtureCase {
    func failure(_ problem: String) -> FixtureError {
        FixtureError(file: source, problem: problem)
    }

    /// `options[key]`, present.
    func option(_ key: String) throws -> FixtureOption {
        guard let value = options[key] else { throw failure("missing field options.\(key)") }
        return value
    }

    /// A number option; `requirement` says in words what `isValid` accepts.
    func number(
        _ key: String, _ requirement: String = "", _ isValid: (Double) -> Bool = { $0.isFinite }
    ) throws -> Double {
        let value = try option(key)
        guard case .number(let x) = value else { throw failure("options.\(key) must be a number, not \(value)") }
        guard isValid(x) else { throw failure("options.\(key) must be \(requirement), got \(x)") }
        return x
    }

    /// A positive whole number option (a count or a size).
    func count(_ key: String) throws -> Int {
        let x = try number(key, "a positive whole number") { $0 >= 1 && $0 == $0.rounded() && $0 < 1e9 }
        return Int(x)
    }

    /// A list of positive whole numbers (layer widths); may be empty.
    func counts(_ key: String) throws -> [Int] {
        let value = try option(key)
        guard case .numbers(let xs) = value else {
            throw failure("options.\(key) must be a list of positive whole numbers, not \(value)")
        }
        guard xs.allSatisfy({ $0 >= 1 && $0 == $0.rounded() && $0 < 1e9 }) else {
            throw failure("options.\(key) must hold positive whole numbers, got \(xs)")
        }
        return xs.map { Int($0) }
    }

    /// A text option that must be one of `choices`.
    func text(_ key: String, oneOf choices: [String]) throws -> String {
        let value = try option(key)
        guard case .text(let s) = value, choices.contains(s) else {
            let listed = choices.map { "\"\($0)\"" }.joined(separator: ", ")
            throw failure("options.\(key) must be one of \(listed), got \(value)")
        }
        return s
    }

    /// The `mode` option: `"training"` or `"evaluation"`.
    func mode() throws -> Mode {
        try text("mode", oneOf: ["training", "evaluation"]) == "training" ? .training : .evaluation
    }

    /// A slope in [0, 1), as LeakyReLU takes.
    func slope() throws -> Double {
        try number("slope", "in [0, 1)") { $0 >= 0 && $0 < 1 }
    }

    /// The tensor `name` of an input, present.
    func input(_ name: String) throws -> Matrix<Double> {
        guard let m = inputs[name] else { throw failure("missing inputs.\(name)") }
        return m
    }

    /// The parameter `name`, present.
    func parameter(_ name: String) throws -> Matrix<Double> {
        guard let m = parameters[name] else { throw failure("missing parameters.\(name)") }
        return m
    }

    /// The class labels (inputs.labels, an N×1 column of whole numbers) as integers.
    func labels() throws -> [Int] {
        try input("labels").elements.map { value in
            guard value == value.rounded(), abs(value) < 1e9 else {
                throw failure("inputs.labels must hold whole numbers (class indices), got \(value)")
            }
            return Int(value)
        }
    }

    /// R, the upstream gradient of a weighted-sum objective.
    func objectiveWeights() throws -> Matrix<Double> {
        guard case .weightedSum(_, let weights) = objective else {
            throw failure("a \(kind.rawValue) case needs a weightedSum objective")
        }
        return weights
    }

    /// Every parameter (and buffer) of `model` replaced by the case's matrix of the
    /// same name: how a container whose names are its structure (`"3.gamma"`) is loaded.
    func loading<Model: Parameterized>(_ model: Model) throws -> Model where Model.Scalar == Double {
        var model = model
        for p in model.parameters {
            model[keyPath: p.path] = try parameter(p.name)
        }
        for b in model.buffers {
            guard let value = buffers[b.name] else { throw failure("missing buffers.\(b.name)") }
            model[keyPath: b.path] = value
        }
        return model
    }
}
