/// What a checkpoint needs beyond a model's parameters to *continue* training where it
/// stopped: an optimiser's running statistics, a random-number generator's position,
/// and counters. Each is stored as ordinary tensors, so the file format is unchanged.
///
extension Checkpoint {
    // MARK: Counters

    /// The largest count a checkpoint gives back: far beyond any run (2⁴⁸ steps), and
    /// far enough below 2⁵³, where a `Double` stops counting exactly, that a restored
    /// run can go on counting and saving.
    public static let largestCount = 1 << 48

    /// Stores a count (a step number, a position) as a 1×1 `Double` tensor, exact up to
    /// 2⁵³.
    public mutating func store(count: Int, as name: String) {
        ensure(count >= 0 && count < 1 << 53, "count \(count) for \(name) cannot be stored exactly")
        store(Matrix<Double>(rows: 1, columns: 1, repeating: Double(count)), as: name)
    }

    /// The count stored under `name` by ``store(count:as:)``.
    public func count(_ name: String) throws(CheckpointError) -> Int {
        let m = try matrix(name, as: Double.self)
        guard m.rows == 1 && m.columns == 1 else {
            throw CheckpointError(
                file: source, problem: .shapeMismatch(tensor: name, expected: [1, 1], found: [m.rows, m.columns]))
        }
        let value = m.elements[0]
        guard value >= 0, value < 0x1p53, value == value.rounded() else {
            throw CheckpointError(file: source, problem: .malformed("\(name) holds \(value), not a count"))
        }
        guard value <= Double(Self.largestCount) else {
            throw CheckpointError(
                file: source,
                problem: .malformed("\(name) holds \(Int(value)), beyond any run (at most 2⁴⁸ = \(Self.largestCount))"))
        }
        return Int(value)
    }

    /// ``restore(_:from:)``, then refuses a model with a NaN or an infinity in any
    /// parameter or buffer: training cannot continue from one, and a generator holding
    /// one draws nothing but NaN. `model` is left as it was when anything is refused.
    @_semantics("optimize.sil.specialize.generic.never") @inline(never)
    public func restoreFinite<Model: Parameterized>(_ model: inout Model, from prefix: String) throws(CheckpointError) {
        try fill(&model, model.state, from: prefix, requireFinite: true)
    }

    // MARK: An optimiser's statistics

    /// Stores one tensor per *parameter* of `statistics` (not its buffers), as
    /// `"prefix/name"`: an optimiser's running moments have a model's shape, one matrix
    /// per parameter, but no running averages of their own.
    @_semantics("optimize.sil.specialize.generic.never") @inline(never)
    public mutating func storeParameters<Model: Parameterized>(_ statistics: Model, as prefix: String) {
        for p in statistics.parameters {
            store(statistics[keyPath: p.path], as: Self.qualified(p.name, prefix))
        }
    }

    /// Fills the parameters of `statistics` from the tensors ``storeParameters(_:as:)``
    /// stored: each must be there with its shape and be finite, and no other tensor may
    /// sit under the prefix. `statistics` is left as it was when anything is refused.
    @_semantics("optimize.sil.specialize.generic.never") @inline(never)
    public func restoreFiniteParameters<Model: Parameterized>(
        _ statistics: inout Model, from prefix: String
    ) throws(CheckpointError) {
        try fill(&statistics, statistics.parameters, from: prefix, requireFinite: true)
    }

    // MARK: Random-number generators

    /// Stores the generator's exact position: its four 64-bit words as eight 32-bit
    /// halves (each exact in a `Double`), then whether a spare normal deviate is
    /// waiting, and its value — a 1×10 `Double` tensor.
    public mutating func store(_ generator: SeededGenerator, as name: String) {
        let words = [generator.s0, generator.s1, generator.s2, generator.s3]
        var values = words.flatMap { [Double($0 >> 32), Double($0 & 0xFFFF_FFFF)] }
        values += [generator.spareNormal == nil ? 0 : 1, generator.spareNormal ?? 0]
        store(Matrix(rows: 1, columns: values.count, elements: values), as: name)
    }

    /// The generator stored under `name` by ``store(_:as:)-(SeededGenerator,_)``: it
    /// continues with the very numbers the saved one would have drawn next.
    public func generator(_ name: String) throws(CheckpointError) -> SeededGenerator {
        let m = try matrix(name, as: Double.self)
        guard m.rows == 1 && m.columns == 10 else {
            throw CheckpointError(
                file: source, problem: .shapeMismatch(tensor: name, expected: [1, 10], found: [m.rows, m.columns]))
        }
        let v = m.elements
        let halvesValid = v[0..<8].allSatisfy { $0 >= 0 && $0 <= 0xFFFF_FFFF && $0 == $0.rounded() }
        guard halvesValid, v[8] == 0 || v[8] == 1, v[9].isFinite else {
            throw CheckpointError(file: source, problem: .malformed("\(name) is not a random-number generator's state"))
        }
        func word(_ k: Int) -> UInt64 { UInt64(v[2 * k]) << 32 | UInt64(v[2 * k + 1]) }
        // xoshiro's one fixed point: from four zero words it draws 0 forever.
        guard (0..<4).contains(where: { word($0) != 0 }) else {
            throw CheckpointError(
                file: source,
                problem: .malformed("\(name) is all zeros, a state from which the generator would draw only 0"))
        }
        var generator = SeededGenerator(seed: 0)
        (generator.s0, generator.s1, generator.s2, generator.s3) = (word(0), word(1), word(2), word(3))
        generator.spareNormal = v[8] == 1 ? v[9] : nil
        return generator
    }
}

// MARK: The options a run was saved with

extension Checkpoint {
    /// Stores the options that decide what a training step does, each as a `Double`
    /// (exact for counts, rates held as `Float`, and a seed given in two 32-bit halves),
    /// so that ``requireOptions(_:as:)`` can refuse to resume under others.
    public mutating func store(options: [(name: String, value: Double)], as name: String) {
        store(Matrix(rows: 1, columns: options.count, elements: options.map(\.value)), as: name)
    }

    /// Refuses a checkpoint saved with other options than `options`: resumed under
    /// another learning rate or batch size, a run would silently become a different
    /// one. Each difference is named with both values. A checkpoint with no tensor
    /// `name` (saved before options were recorded) is not checked.
    ///
    /// - Throws: ``CheckpointError`` with ``CheckpointError/Problem/optionsDiffer(_:)``.
    public func requireOptions(
        _ options: [(name: String, value: Double)], as name: String
    )
        throws(CheckpointError)
    {
        guard tensor(named: name) != nil else { return }
        let saved = try matrix(name, as: Double.self)
        guard saved.rows == 1 && saved.columns == options.count else {
            throw CheckpointError(
                file: source,
                problem: .shapeMismatch(
                    tensor: name, expected: [1, options.count], found: [saved.rows, saved.columns]))
        }
        let differences = zip(options, saved.elements).filter { $0.0.value != $0.1 }.map { option, savedValue in
            "\(option.name): saved \(Self.asGiven(savedValue)), this run \(Self.asGiven(option.value))"
        }
        guard differences.isEmpty else { throw CheckpointError(file: source, problem: .optionsDiffer(differences)) }
    }

    /// An option as it was given: 64 as "64", the `Float` 2e-4 as "0.0002".
    static func asGiven(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(Float(x))"
    }
}
