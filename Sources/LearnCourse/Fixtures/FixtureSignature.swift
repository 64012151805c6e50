import Learn
/// What a case of one kind must hold: its tensors, with shapes written in named
/// dimensions (`N×D`, `H×H`), its options and its objective.
///
/// ``FixtureCase`` checks a case against its kind's signature when it is loaded: every
/// tensor present and no stranger, every named dimension the same wherever it appears,
/// labels inside 0..<K, a gradient for every differentiable tensor. A case that passes
/// can be handed to the library, whose preconditions it can no longer trip.
struct FixtureSignature {
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

    /// The sections of a case that hold tensors (gradients are checked separately).
    enum Section: String, CaseIterable {
        case inputs, parameters, buffers, outputs
    }

    /// One expected tensor.
    struct Entry {
        var section: Section
        var name: String
        var rows: Dimension
        var columns: Dimension
        /// Whether the case must give the objective's gradient with respect to it.
        var differentiable: Bool
        /// For class labels: the dimension K that bounds them (0 ≤ label < K).
        var classes: Dimension?
    }

    /// The objective a kind is computed with.
    enum Objective {
        case output(String)
        case weightedSum(String)
        case none
    }

    var entries: [Entry] = []
    var objective: Objective
    /// The options this kind reads; any other is a mistake in the file.
    var options: [String]
    /// Dimensions that must be at least some size, with the reason.
    var minimums: [(dimension: String, minimum: Int, reason: String)] = []

    init(objective: Objective, options: [String] = []) {
        (self.objective, self.options) = (objective, options)
    }

    mutating func input(_ name: String, _ rows: Dimension, _ columns: Dimension) {
        entries.append(Entry(section: .inputs, name: name, rows: rows, columns: columns, differentiable: true))
    }

    mutating func labels(_ rows: Dimension, classes: Dimension) {
        entries.append(
            Entry(section: .inputs, name: "labels", rows: rows, columns: 1, differentiable: false, classes: classes))
    }

    mutating func parameter(_ name: String, _ rows: Dimension, _ columns: Dimension) {
        entries.append(Entry(section: .parameters, name: name, rows: rows, columns: columns, differentiable: true))
    }

    mutating func buffer(_ name: String, _ rows: Dimension, _ columns: Dimension) {
        entries.append(Entry(section: .buffers, name: name, rows: rows, columns: columns, differentiable: false))
    }

    mutating func output(_ name: String, _ rows: Dimension, _ columns: Dimension) {
        entries.append(Entry(section: .outputs, name: name, rows: rows, columns: columns, differentiable: false))
    }
}

extension FixtureCase {
    func tensors(in section: FixtureSignature.Section) -> [String: Matrix<Double>] {
        switch section {
        case .inputs: inputs
        case .parameters: parameters
        case .buffers: buffers
        case .outputs: outputs
        }
    }

    /// Checks the case against its kind's signature (see ``FixtureSignature``).
    func validate() throws {
        let signature = try FixtureSignature.of(self)
        let kindName = "a \(kind.rawValue) case"

        for key in options.keys.sorted() where !signature.options.contains(key) {
            let known =
                signature.options.isEmpty ? "it takes none" : "known: " + signature.options.joined(separator: ", ")
            throw failure("options.\(key) is not an option of \(kindName) (\(known))")
        }

        // The same names, section by section.
        for section in FixtureSignature.Section.allCases {
            let expected = signature.entries.filter { $0.section == section }
            let present = tensors(in: section)
            for entry in expected where present[entry.name] == nil {
                throw failure("missing \(section.rawValue).\(entry.name) (\(entry.rows)×\(entry.columns))")
            }
            for name in present.keys.sorted() where !expected.contains(where: { $0.name == name }) {
                let known = expected.map(\.name)
                let listed = known.isEmpty ? "none" : known.joined(separator: ", ")
                throw failure("unexpected \(section.rawValue).\(name): \(kindName) has \(section.rawValue) \(listed)")
            }
        }

        // Every named dimension the same wherever it appears.
        var sizes: [String: (size: Int, from: String)] = [:]
        for entry in signature.entries {
            guard let m = tensors(in: entry.section)[entry.name] else { continue }
            let place = "\(entry.section.rawValue).\(entry.name)"
            let known = sizes
            func explain() -> String {
                let bound = [entry.rows, entry.columns].compactMap { d -> String? in
                    guard case .named(let n) = d, let s = known[n] else { return nil }
                    return "\(n) = \(s.size) (from \(s.from))"
                }
                let unique = bound.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
                return "expected \(entry.rows)×\(entry.columns)"
                    + (unique.isEmpty ? "" : " with " + unique.joined(separator: ", "))
            }
            for (dimension, size) in [(entry.rows, m.rows), (entry.columns, m.columns)] {
                switch dimension {
                case .fixed(let fixed) where fixed != size:
                    throw failure("\(place) is \(m.shapeDescription), \(explain())")
                case .named(let n):
                    if let s = sizes[n], s.size != size {
                        throw failure("\(place) is \(m.shapeDescription), \(explain())")
                    }
                    if sizes[n] == nil { sizes[n] = (size, place) }
                default:
                    break
                }
            }
        }
        for rule in signature.minimums {
            if let s = sizes[rule.dimension], s.size < rule.minimum {
                throw failure("\(rule.dimension) = \(s.size) (from \(s.from)), but \(rule.reason)")
            }
        }

        // Labels: whole numbers in 0..<K.
        for entry in signature.entries {
            guard case .named(let k)? = entry.classes, let classes = sizes[k]?.size else { continue }
            for (row, label) in try labels().enumerated() where !(0..<classes).contains(label) {
                throw failure("inputs.labels[\(row)] is \(label), outside 0..<\(classes) (K = \(classes))")
            }
        }

        try validateObjective(signature)
    }

    /// The objective is the kind's, and there is a gradient for exactly the
    /// differentiable tensors, each of their shape.
    func validateObjective(_ signature: FixtureSignature) throws {
        let kindName = "a \(kind.rawValue) case"
        switch (signature.objective, objective) {
        case (.output(let expected), .output(let name)) where name == expected:
            if let m = outputs[name], m.rows != 1 || m.columns != 1 {
                throw failure("objective.output \"\(name)\" must be a 1×1 output, it is \(m.shapeDescription)")
            }
        case (.weightedSum(let expected), .weightedSum(let name, let weights)) where name == expected:
            if let m = outputs[name], m.rows != weights.rows || m.columns != weights.columns {
                throw failure(
                    "objective.weights is \(weights.shapeDescription), but outputs.\(name) is \(m.shapeDescription)")
            }
        case (.none, .none):
            break
        case (.output(let expected), _):
            throw failure("the objective of \(kindName) must be {\"type\": \"output\", \"output\": \"\(expected)\"}")
        case (.weightedSum(let expected), _):
            throw failure(
                "the objective of \(kindName) must be {\"type\": \"weightedSum\", \"output\": \"\(expected)\", …}")
        case (.none, _):
            throw failure("the objective of \(kindName) must be {\"type\": \"none\"}: a trajectory has no gradients")
        }

        let differentiable = signature.entries.filter { $0.differentiable }
        if case .none = signature.objective {
            if let name = gradients.keys.sorted().first {
                throw failure("unexpected gradients.\(name): \(kindName) has no gradients")
            }
            return
        }
        for entry in differentiable {
            guard let g = gradients[entry.name] else {
                throw failure(
                    "missing gradients.\(entry.name) (the gradient with respect to \(entry.section.rawValue).\(entry.name))"
                )
            }
            if let m = tensors(in: entry.section)[entry.name], m.rows != g.rows || m.columns != g.columns {
                throw failure(
                    "gradients.\(entry.name) is \(g.shapeDescription), but \(entry.section.rawValue).\(entry.name) is \(m.shapeDescription)"
                )
            }
        }
        for name in gradients.keys.sorted() where !differentiable.contains(where: { $0.name == name }) {
            throw failure("unexpected gradients.\(name): not a differentiable input or parameter of \(kindName)")
        }
    }
}
