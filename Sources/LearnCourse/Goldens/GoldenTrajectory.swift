import Foundation
import Learn

/// A recorded training trajectory — the first losses of a seeded run — that later runs
/// must reproduce: a regression check for the numbers of the whole training loop.
///
/// Gradient checks and fixtures pin each piece; a golden pins how they add up. If a
/// change to the code moves a golden, either the change has a bug or it changed the
/// numerics on purpose, and the golden is re-recorded (`Course goldens --record`),
/// which prints what moved and by how much.
///
/// On the machine that recorded it a run agrees bit for bit (training is deterministic
/// for a seed). ``tolerance`` allows for another CPU's rounding: a value passes when
/// `|now − recorded| / max(|recorded|, floor) ≤ relative`.
///
/// Stored as JSON under `Fixtures/goldens/`:
///
///     {"name": "lstm-T5", "description": "…", "seed": 0,
///      "tolerance": {"relative": 0.0001, "floor": 0.0001},
///      "series": {"loss": [2.30…, …]}}
public struct GoldenTrajectory: Codable, Sendable, Equatable {
    /// The file's name without `.json`, e.g. `"lstm-T5"`.
    public var name: String
    /// What run it is, for a reader of the file.
    public var description: String
    /// The seed of the run.
    public var seed: UInt64
    /// How far a value may move before the run counts as changed.
    public var tolerance: Tolerance
    /// Named series, one value per training step, e.g. `"loss"`.
    public var series: [String: [Double]]

    /// A relative tolerance with a floor on the denominator (as for fixtures).
    public struct Tolerance: Codable, Sendable, Equatable {
        /// The largest |now − recorded| / max(|recorded|, floor) that passes.
        public var relative: Double
        /// The smallest denominator, so values near 0 are compared absolutely.
        public var floor: Double

        /// A tolerance.
        public init(relative: Double, floor: Double) {
            (self.relative, self.floor) = (relative, floor)
        }
    }

    /// A trajectory.
    public init(name: String, description: String, seed: UInt64, tolerance: Tolerance, series: [String: [Double]]) {
        (self.name, self.description, self.seed, self.tolerance, self.series) =
            (name, description, seed, tolerance, series)
    }

    /// Reads a trajectory; a missing or malformed file is a ``GoldenError`` naming it.
    public static func load(from url: URL) throws(GoldenError) -> GoldenTrajectory {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw GoldenError(file: url.path, problem: "cannot be read (\(error.localizedDescription))")
        }
        do {
            return try JSONDecoder().decode(GoldenTrajectory.self, from: data)
        } catch {
            throw GoldenError(file: url.path, problem: "is not a golden trajectory: \(error)")
        }
    }

    /// Writes the trajectory atomically (a temporary file, then a rename), one series
    /// per line so a diff shows which series moved.
    public func save(to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func json<V: Encodable>(_ value: V) throws -> String {
            String(decoding: try encoder.encode(value), as: UTF8.self)
        }
        var lines = [
            "{", "  \"name\": \(try json(name)),", "  \"description\": \(try json(description)),",
            "  \"seed\": \(seed),", "  \"tolerance\": \(try json(tolerance)),", "  \"series\": {",
        ]
        let names = series.keys.sorted()
        for (k, key) in names.enumerated() {
            lines.append("    \(try json(key)): \(try json(series[key]!))" + (k + 1 < names.count ? "," : ""))
        }
        lines += ["  }", "}", ""]
        try TextFile.write(lines.joined(separator: "\n"), to: url.path)
    }

    /// How `now` (a fresh run) differs from this recorded trajectory, series by series.
    public func compare(with now: GoldenTrajectory) -> GoldenComparison {
        var drifts: [GoldenComparison.Drift] = []
        var problems: [String] = []
        for key in series.keys.sorted() {
            let recorded = series[key]!
            guard let fresh = now.series[key] else {
                problems.append("series \(key) is missing from the new run")
                continue
            }
            guard fresh.count == recorded.count else {
                problems.append("series \(key) has \(fresh.count) values, the recording \(recorded.count)")
                continue
            }
            var drift = GoldenComparison.Drift(series: key, count: recorded.count)
            for (step, (r, f)) in zip(recorded, fresh).enumerated() {
                let error = abs(f - r) / max(abs(r), tolerance.floor)
                // NaN compares false: count it as beyond any tolerance.
                let beyond = !(error <= tolerance.relative)
                if beyond {
                    drift.beyond += 1
                    if drift.firstBeyond == nil { drift.firstBeyond = step }
                }
                guard f != r else { continue }
                drift.changed += 1
                // The largest move wins; a NaN is the largest of all.
                let worse = drift.changed == 1 || (error.isNaN && !drift.worstError.isNaN) || error > drift.worstError
                if worse { (drift.worstStep, drift.recorded, drift.now, drift.worstError) = (step, r, f, error) }
            }
            drifts.append(drift)
        }
        for key in now.series.keys.sorted() where series[key] == nil {
            problems.append("series \(key) is new (not in the recording)")
        }
        return GoldenComparison(name: name, tolerance: tolerance, drifts: drifts, problems: problems)
    }
}

/// A recorded trajectory against a fresh run: per series, how many values changed,
/// how many moved beyond the tolerance, and the largest move.
public struct GoldenComparison: Sendable, CustomStringConvertible {
    /// The trajectory's name.
    public var name: String
    /// The tolerance applied.
    public var tolerance: GoldenTrajectory.Tolerance
    /// One per series present in both.
    public var drifts: [Drift]
    /// Series missing, added or of another length.
    public var problems: [String]

    /// How one series moved.
    public struct Drift: Sendable, CustomStringConvertible {
        /// The series' name.
        public var series: String
        /// Its length.
        public var count: Int
        /// Values not bit-for-bit equal to the recording.
        public var changed = 0
        /// Values beyond the tolerance.
        public var beyond = 0
        /// The first step (0-based) with a value beyond the tolerance; nil when none is.
        public var firstBeyond: Int?
        /// The largest relative move: at which step, and the values recorded and now.
        public var worstStep = 0, recorded = 0.0, now = 0.0, worstError = 0.0

        /// Nothing beyond the tolerance.
        public var passed: Bool { beyond == 0 }

        /// `loss: 3 of 100 values changed, largest at step 41: 0.6931 → 0.6935 (relative 5.8e-04)`.
        public var description: String {
            guard changed > 0 else { return "\(series): all \(count) values identical" }
            var text =
                "\(series): \(changed) of \(count) values changed, largest at step \(worstStep + 1): "
                + "\(recorded) → \(now) (relative \(NumberFormat.scientific(worstError)))"
            if let firstBeyond {
                text += "; \(beyond) beyond tolerance, the first at step \(firstBeyond + 1)"
            }
            return text
        }
    }

    /// No series beyond the tolerance, none missing or added.
    public var passed: Bool { problems.isEmpty && drifts.allSatisfy(\.passed) }

    /// True when every value is bit-for-bit the recording.
    public var identical: Bool { problems.isEmpty && drifts.allSatisfy { $0.changed == 0 } }

    /// A headline and one line per series.
    public var description: String {
        let verdict = identical ? "identical" : passed ? "within tolerance" : "CHANGED"
        let head =
            "\(name): \(verdict) (tolerance relative \(NumberFormat.scientific(tolerance.relative)), "
            + "floor \(NumberFormat.scientific(tolerance.floor)))"
        return ([head] + problems.map { "  " + $0 } + drifts.map { "  \($0)" }).joined(separator: "\n")
    }
}

/// A golden trajectory file that cannot be used.
public struct GoldenError: Error, Sendable, CustomStringConvertible {
    /// The file's path.
    public var file: String
    /// What is wrong.
    public var problem: String

    /// `"<file>: <problem>"`.
    public var description: String { "\(file): \(problem)" }
}
