import Foundation

/// Where the package's own files are: the checkout this library was built from.
///
/// Fixtures, MNIST and the sources (which the starter kit and the grader read) are
/// found from this file's compile-time location, which works for `swift test` and
/// `swift run` in a checkout wherever the current directory is. If that checkout has
/// moved, the current directory is tried instead.
public enum PackageDirectory {
    /// The package root: the directory holding `Package.swift`.
    public static var root: URL {
        // #filePath is …/Sources/LearnEngine/Data/PackageDirectory.swift: the root is 4 levels up.
        let built = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        if FileManager.default.fileExists(atPath: built.appendingPathComponent("Package.swift").path) {
            return built
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }

    /// `path` under the package root, e.g. `"Fixtures/MNIST"`.
    public static func appending(_ path: String) -> URL {
        root.appendingPathComponent(path)
    }
}
