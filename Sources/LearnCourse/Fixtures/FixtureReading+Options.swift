import Learn

/// Reading a case's options by name, each checked as it is read: present, of its type,
/// in range. The error names the file and the option.
extension FixtureReading {
    /// `options[key]`, present.
    mutating func option(_ key: String) throws -> FixtureOption {
        optionsRead.insert(key)
        guard let value = fixture.options[key] else { throw failure("missing field options.\(key)") }
        return value
    }

    /// A number option; `requirement` says in words what `isValid` accepts.
    mutating func number(
        _ key: String, _ requirement: String = "finite", _ isValid: (Double) -> Bool = { $0.isFinite }
    ) throws -> Double {
        let value = try option(key)
        guard case .number(let x) = value else { throw failure("options.\(key) must be a number, not \(value)") }
        guard isValid(x) else { throw failure("options.\(key) must be \(requirement), got \(x)") }
        return x
    }

    /// A positive number option (a learning rate, an ε).
    mutating func positive(_ key: String) throws -> Double {
        try number(key, "positive") { $0 > 0 && $0.isFinite }
    }

    /// A number option in [0, 1) (a momentum, a decay, a slope).
    mutating func fraction(_ key: String) throws -> Double {
        try number(key, "in [0, 1)") { $0 >= 0 && $0 < 1 }
    }

    /// A positive whole number option (a count or a size).
    mutating func count(_ key: String) throws -> Int {
        Int(try number(key, "a positive whole number") { $0 >= 1 && $0 == $0.rounded() && $0 < 1e9 })
    }

    /// A list of positive whole numbers (layer widths); may be empty.
    mutating func counts(_ key: String) throws -> [Int] {
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
    mutating func text(_ key: String, oneOf choices: [String]) throws -> String {
        let value = try option(key)
        guard case .text(let s) = value, choices.contains(s) else {
            let listed = choices.map { "\"\($0)\"" }.joined(separator: ", ")
            throw failure("options.\(key) must be one of \(listed), got \(value)")
        }
        return s
    }

    /// The `mode` option: `"training"` or `"evaluation"`.
    mutating func mode() throws -> Mode {
        try text("mode", oneOf: ["training", "evaluation"]) == "training" ? .training : .evaluation
    }

    /// A step count no larger than the inputs could support (so a typo such as 10⁸ steps
    /// is an error at once, not a list of 10⁸ missing tensors).
    mutating func steps(_ key: String, inputsPerStep: Int) throws -> Int {
        let steps = try count(key)
        guard steps * inputsPerStep <= fixture.inputs.count else {
            throw failure(
                "options.\(key) is \(steps), but there are only \(fixture.inputs.count) inputs "
                    + "(\(inputsPerStep) per step are needed)")
        }
        return steps
    }
}
