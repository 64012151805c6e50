import Foundation

/// Where a kit may be written: never over anyone's work.
extension StarterKit {
    /// Refuses a destination a kit must not be written to, saying why: one that exists
    /// and is not an empty folder (a file, a symbolic link, a folder with anything in
    /// it — a kit never replaces anyone's work), or one under a file, where no folder
    /// can be made.
    public static func checkDestination(_ destination: URL) throws(StarterKitError) {
        let manager = FileManager.default
        func refuse(_ problem: String) -> StarterKitError {
            StarterKitError(file: destination.path, line: nil, problem: problem + "; choose a new folder")
        }
        if let type = try? manager.attributesOfItem(atPath: destination.path)[.type] as? FileAttributeType {
            switch type {
            case .typeDirectory:
                let contents = (try? manager.contentsOfDirectory(atPath: destination.path)) ?? [""]
                if !contents.isEmpty { throw refuse("exists and is not empty") }
                return
            case .typeSymbolicLink: throw refuse("is a symbolic link, and a kit replaces nothing")
            default: throw refuse("is a file, not a folder, and a kit replaces nothing")
            }
        }
        // It does not exist: the nearest folder above it that does must be a folder.
        var above = destination.deletingLastPathComponent()
        while !manager.fileExists(atPath: above.path) && above.path != "/" { above = above.deletingLastPathComponent() }
        var isFolder: ObjCBool = false
        if manager.fileExists(atPath: above.path, isDirectory: &isFolder), !isFolder.boolValue {
            throw refuse("lies under \(above.path), which is a file, not a folder")
        }
    }
}
