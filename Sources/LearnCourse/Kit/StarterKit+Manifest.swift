import Foundation
import Learn

/// What a starter kit says of itself, in ``StarterKit/manifestFile`` at its root: the
/// assignment it is for, so that `grade`, `swift test` and the progress lines speak of
/// that assignment's pieces without being told.
extension StarterKit {
    /// The file at a kit's root that names its assignment.
    public static let manifestFile = "learn-kit.json"

    /// A kit's manifest.
    public struct Manifest: Codable, Sendable, Equatable {
        /// The assignment the kit was written for.
        public var assignment: Assignment

        /// A manifest for `assignment`.
        public init(assignment: Assignment) {
            self.assignment = assignment
        }

        /// As the kit holds it: `{"assignment": 2}`, with a newline.
        public var encoded: String { "{\"assignment\": \(assignment.rawValue)}\n" }
    }

    /// The manifest of the package at `root`; nil for the reference solution (which has
    /// none) and for a manifest that cannot be read — a kit is then taken for the
    /// default assignment, as the reference is.
    public static func manifest(inPackage root: URL) -> Manifest? {
        let url = root.appendingPathComponent(manifestFile)
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONDecoder().decode(Manifest.self, from: data)
    }
}
