import Foundation

/// Named matrices saved to, or read from, one file: a model's parameters, or several
/// models and states side by side ("generator/…", "discriminator/…", "adam.m/…").
///
/// ```swift
/// try Checkpoint.save(model, to: url)              // one model
/// try Checkpoint.load(into: &model, from: url)     // fills an existing model
///
/// var checkpoint = Checkpoint()                     // several things in one file
/// checkpoint.store(generator, as: "generator")
/// checkpoint.store(discriminator, as: "discriminator")
/// try checkpoint.write(to: url)
/// try Checkpoint(contentsOf: url).restore(&generator, from: "generator")
/// ```
///
/// Loading fills a model that already exists, so the model says which tensors it needs
/// and what shapes they must have; a missing, extra, mis-shaped or wrongly typed tensor
/// is an error naming the file and the tensor, and the model is left untouched.
///
/// ## File format, version 1
///
/// All integers are unsigned and little-endian; numbers are IEEE 754, little-endian.
///
///     offset    size  field
///     0         8     magic: 89 4C 45 41 52 4E 0D 0A   ("\x89LEARN\r\n")
///     8         4     format version (1)
///     12        8     P, the payload length in bytes
///     20        P     payload (below)
///     20 + P    4     CRC-32 of the payload (see Checksum.crc32)
///
/// The payload is a table of contents, then the data in the same order:
///
///     4     n, the number of tensors
///     n ×   4     L, the name's length in bytes
///           L     the name, UTF-8 (unique within the file)
///           1     scalar type: 1 = Float (binary32), 2 = Double (binary64)
///           4     rows
///           4     columns
///     n ×   rows · columns · (4 or 8) bytes, the elements row-major
///
/// The magic's first byte has its high bit set and it ends in `\r\n`, as PNG's does,
/// so a transfer that strips the eighth bit or converts line endings breaks it
/// visibly. The version comes right after it so a future version may change anything
/// that follows. The CRC covers the payload; each field of the 20 bytes before it is
/// checked on its own (magic, version, and a length that must match the file's size),
/// so every single-byte corruption is caught. An empty checkpoint is 28 bytes.
///
/// See also: ``Parameterized``, ``CheckpointError``, ``BinaryFile`` (the atomic write).
public struct Checkpoint: Sendable {
    /// The first 8 bytes of every checkpoint.
    public static let magic: [UInt8] = [0x89, 0x4C, 0x45, 0x41, 0x52, 0x4E, 0x0D, 0x0A]
    /// The format version this code writes and reads.
    public static let formatVersion: UInt32 = 1
    /// Bytes before the payload: magic, version, payload length.
    static let preludeSize = 8 + 4 + 8

    /// How the elements of a tensor are stored.
    public enum ScalarType: UInt8, Sendable, CustomStringConvertible {
        /// IEEE 754 binary32, Swift's `Float`.
        case float32 = 1
        /// IEEE 754 binary64, Swift's `Double`.
        case float64 = 2

        /// The type that stores `T`.
        public init<T: Real>(_: T.Type) {
            if T.self == Float.self {
                self = .float32
            } else if T.self == Double.self {
                self = .float64
            } else {
                fatalError("checkpoints store Float and Double, not \(T.self)")
            }
        }

        /// Bytes per element.
        public var size: Int { self == .float32 ? 4 : 8 }

        /// "Float" or "Double", as a Swift reader would call it.
        public var description: String { self == .float32 ? "Float" : "Double" }
    }

    /// One named matrix, its elements kept as the file stores them.
    public struct Tensor: Sendable, Equatable {
        /// The name, e.g. `"wfx"` or `"generator/0.w"`.
        public let name: String
        /// The element type.
        public let scalarType: ScalarType
        /// The number of rows.
        public let rows: Int
        /// The number of columns.
        public let columns: Int
        /// `rows · columns` elements, row-major, each little-endian.
        public let data: [UInt8]

        /// The shape as messages write it: `"128×10"`.
        public var shapeDescription: String { "\(rows)×\(columns)" }
    }

    /// The tensors, in the order they were stored.
    public internal(set) var tensors: [Tensor] = []
    /// Where this checkpoint was read from, for error messages.
    public let source: String

    /// An empty checkpoint, to fill with ``store(_:as:)-(Model,_)``.
    public init() {
        source = "checkpoint"
        tensors = []
    }

    /// The tensor called `name`, if there is one.
    public func tensor(named name: String) -> Tensor? {
        tensors.first { $0.name == name }
    }

    // MARK: Storing

    /// Adds a matrix under `name`, which must not be taken yet.
    public mutating func store<T: Real>(_ matrix: Matrix<T>, as name: String) {
        ensure(!name.isEmpty, "a checkpoint tensor needs a name")
        ensure(tensor(named: name) == nil, "the checkpoint already holds a tensor named \(name)")
        ensure(
            matrix.rows <= Int(UInt32.max) && matrix.columns <= Int(UInt32.max),
            "tensor \(name) of \(matrix.shapeDescription) is too large for a checkpoint")
        tensors.append(
            Tensor(
                name: name, scalarType: ScalarType(T.self), rows: matrix.rows, columns: matrix.columns,
                data: Self.littleEndianBytes(matrix.elements)))
    }

    /// Adds every parameter and buffer of `model` (its ``Parameterized/state``), named
    /// as the model names them, or as `"prefix/name"` when a prefix is given (to keep
    /// several models in one file).
    // The functions over a whole model are compiled once, here, and never specialised
    // into their callers: they run once per save or load, where a generic loop over a
    // model's tensors costs nothing measurable, while a specialised copy per model type
    // made up an eighth of the optimiser's time in every rebuild of Learn. (The
    // per-tensor conversions below them, `store(_:as:)` and `matrix(_:as:)`, stay
    // specialisable: they touch every number.)
    @_semantics("optimize.sil.specialize.generic.never") @inline(never)
    public mutating func store<Model: Parameterized>(_ model: Model, as prefix: String? = nil) {
        for p in model.state {
            store(model[keyPath: p.path], as: Self.qualified(p.name, prefix))
        }
    }

    // MARK: Restoring

    /// The matrix stored under `name`.
    ///
    /// - Throws: ``CheckpointError`` if there is none, or it holds another scalar type.
    public func matrix<T: Real>(_ name: String, as _: T.Type = T.self) throws(CheckpointError) -> Matrix<T> {
        guard let tensor = tensor(named: name) else {
            throw CheckpointError(file: source, problem: .missingTensor(name))
        }
        guard tensor.scalarType == ScalarType(T.self) else {
            throw CheckpointError(
                file: source,
                problem: .scalarTypeMismatch(tensor: name, expected: ScalarType(T.self), found: tensor.scalarType))
        }
        return Matrix(rows: tensor.rows, columns: tensor.columns, elements: Self.elements(tensor.data, as: T.self))
    }

    /// Fills every parameter and buffer of `model` from the tensors stored by
    /// ``store(_:as:)-(Model,_)`` under the same prefix.
    ///
    /// Every parameter must be present with the model's shape and scalar type, and no
    /// other tensor may sit under the prefix (with no prefix: in the whole file) — an
    /// extra tensor means the file was saved from a different architecture. Nothing
    /// is written into `model` unless everything matches.
    ///
    /// - Throws: ``CheckpointError`` naming the file and the first tensor at fault.
    @_semantics("optimize.sil.specialize.generic.never") @inline(never)
    public func restore<Model: Parameterized>(_ model: inout Model, from prefix: String? = nil) throws(CheckpointError)
    {
        try fill(&model, model.state, from: prefix, requireFinite: false)
    }

    /// Fills the tensors `entries` of `model` from those stored under `prefix` (each
    /// present, with its shape and scalar type, finite if `requireFinite`; no other
    /// tensor under the prefix), or throws and leaves `model` as it was.
    func fill<Model: Parameterized>(
        _ model: inout Model, _ entries: [(name: String, path: WritableKeyPath<Model, Matrix<Model.Scalar>>)],
        from prefix: String?, requireFinite: Bool
    ) throws(CheckpointError) {
        var filled = model
        var expected = Set<String>()
        for p in entries {
            let name = Self.qualified(p.name, prefix)
            expected.insert(name)
            let current = model[keyPath: p.path]
            let stored = try matrix(name, as: Model.Scalar.self)
            guard stored.rows == current.rows && stored.columns == current.columns else {
                throw CheckpointError(
                    file: source,
                    problem: .shapeMismatch(
                        tensor: name, expected: [current.rows, current.columns], found: [stored.rows, stored.columns]))
            }
            guard !requireFinite || stored.isFinite else {
                throw CheckpointError(file: source, problem: .malformed("\(name) holds a number that is not finite"))
            }
            filled[keyPath: p.path] = stored
        }
        let scope = prefix.map { $0 + "/" } ?? ""
        if let extra = tensors.first(where: { $0.name.hasPrefix(scope) && !expected.contains($0.name) }) {
            throw CheckpointError(file: source, problem: .unexpectedTensor(extra.name))
        }
        model = filled
    }

    // MARK: One model, one file

    /// Writes `model`'s parameters to `url` as a checkpoint of their own.
    @_semantics("optimize.sil.specialize.generic.never") @inline(never)
    public static func save<Model: Parameterized>(_ model: Model, to url: URL) throws(CheckpointError) {
        var checkpoint = Checkpoint()
        checkpoint.store(model)
        try checkpoint.write(to: url)
    }

    /// Fills `model` from a checkpoint written by ``save(_:to:)``.
    @_semantics("optimize.sil.specialize.generic.never") @inline(never)
    public static func load<Model: Parameterized>(into model: inout Model, from url: URL) throws(CheckpointError) {
        try Checkpoint(contentsOf: url).restore(&model)
    }
}
