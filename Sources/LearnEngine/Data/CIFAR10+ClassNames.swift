import Foundation

/// The ten class names: the published ones, or a folder's `batches.meta.txt`.
extension CIFAR10 {
    /// The classes in label order, 0 to 9, as the data set's page and its
    /// `batches.meta.txt` give them.
    public static let classNames = [
        "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
    ]

    /// The name of the file of class names in the data set's folder.
    public static let classNamesFileName = "batches.meta.txt"

    /// The largest `batches.meta.txt` read: the published one is 61 bytes, so a bigger
    /// file is refused from its first bytes, never read whole.
    static let maximumClassNamesBytes = 4_096

    /// The class names in `folder`'s `batches.meta.txt` (`folder` being the one holding
    /// the `.bin` files, or its parent), or ``classNames-swift.type.property`` when there is no such file.
    ///
    /// The file must be ten names, one a line, each used once; spaces around a name,
    /// Windows line ends and blank lines at the end are ignored, as the published file
    /// ends with one.
    ///
    /// - Throws: ``CIFAR10Error`` for a folder that is not there, a file that cannot be
    ///   read, or one that is not ten names.
    public static func classNames(in folder: URL) throws(CIFAR10Error) -> [String] {
        let url = try locateFolder(folder).appendingPathComponent(classNamesFileName)
        let bytes: [UInt8]
        do {
            bytes = try readPrefix(url, count: maximumClassNamesBytes + 1)
        } catch {
            switch error {
            case .missing: return classNames
            case .unreadable(let reason): throw CIFAR10Error(path: url.path, problem: .unreadable(reason))
            }
        }
        do throws(ClassNamesProblem) {
            return try parseClassNames(bytes)
        } catch {
            throw CIFAR10Error(path: url.path, problem: .malformedClassNames(error.reason))
        }
    }

    /// Why a class-names file was refused.
    struct ClassNamesProblem: Error {
        let reason: String
    }

    /// The ten names in `bytes`, the contents of a `batches.meta.txt`.
    static func parseClassNames(_ bytes: [UInt8]) throws(ClassNamesProblem) -> [String] {
        guard bytes.count <= maximumClassNamesBytes else {
            throw ClassNamesProblem(reason: "it is over \(maximumClassNamesBytes) bytes")
        }
        // Decoding replaces bad UTF-8 with U+FFFD, so a text that does not encode back
        // to the same bytes was not UTF-8.
        let text = String(decoding: bytes, as: UTF8.self)
        guard Array(text.utf8) == bytes else {
            throw ClassNamesProblem(reason: "it is not UTF-8 text")
        }
        // By Character, "\r\n" is one newline, not "\r" then "\n".
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard lines.count == classes else {
            throw ClassNamesProblem(reason: "it has \(lines.count) lines of names")
        }
        if let blank = lines.firstIndex(where: \.isEmpty) {
            throw ClassNamesProblem(reason: "line \(blank + 1) is blank")
        }
        // A name is printed in reports; an escape sequence in one could rewrite the terminal.
        let isControl = { (scalar: Unicode.Scalar) in scalar.properties.generalCategory == .control }
        if let bad = lines.firstIndex(where: { $0.unicodeScalars.contains(where: isControl) }) {
            throw ClassNamesProblem(reason: "line \(bad + 1) holds a control character")
        }
        for (k, name) in lines.enumerated() where lines[..<k].contains(name) {
            throw ClassNamesProblem(reason: "line \(k + 1) repeats the name \"\(name)\"")
        }
        return lines
    }
}
