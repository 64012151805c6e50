import Foundation
import Learn

/// Where a CIFAR-10 chapter's images come from: the reader's own CIFAR-10 folder, or small
/// synthetic files in CIFAR-10's format written to a temporary folder for `--quick`
/// (``CIFAR10/writeSynthetic(to:recordsPerFile:seed:)``), so the chapter runs on a fresh
/// clone; and what to say when there are no data.
struct CIFARSource {
    /// The folder handed to the reader: the one holding the `.bin` files, or its parent.
    let folder: URL
    /// Files written for this run, in a temporary folder, rather than the reader's data.
    let isSynthetic: Bool
    /// The records each batch file must hold: the published 10,000, so a download cut
    /// short is refused, or the synthetic files' count.
    let recordsPerFile: Int

    /// Records per synthetic file: 1,000 training images (five files) and 200 test images,
    /// a run of a few seconds.
    static let syntheticRecordsPerFile = 200
    /// The published archive, the "binary version".
    static let archiveURL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
    /// The data set's page, which lists the archive.
    static let pageURL = "https://www.cs.toronto.edu/~kriz/cifar.html"

    /// The reader's folder, as given with `--data`.
    static func folder(_ path: String) -> CIFARSource {
        CIFARSource(
            folder: URL(fileURLWithPath: path), isSynthetic: false, recordsPerFile: CIFAR10.publishedRecordsPerFile)
    }

    /// Synthetic files, written now to a fresh temporary folder.
    static func synthetic(seed: UInt64, chapter: String) throws(OutputFileError) -> CIFARSource {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(chapter)-\(UUID().uuidString)")
        try CIFAR10.writeSynthetic(to: folder, recordsPerFile: syntheticRecordsPerFile, seed: seed)
        return CIFARSource(folder: folder, isSynthetic: true, recordsPerFile: syntheticRecordsPerFile)
    }

    /// Both splits, the training images cut to the first `limit` (nil: all of them).
    func load(limit: Int?) throws(CIFAR10Error) -> (train: ImageClassificationData, test: ImageClassificationData) {
        let train = try CIFAR10.load(split: .train, from: folder, limit: limit, recordsPerFile: recordsPerFile)
        let test = try CIFAR10.load(split: .test, from: folder, recordsPerFile: recordsPerFile)
        return (ImageClassificationData(train), ImageClassificationData(test))
    }

    /// Removes the synthetic files (the reader's own data are never touched).
    func removeIfSynthetic() {
        guard isSynthetic else { return }
        try? FileManager.default.removeItem(at: folder)
    }

    /// Whether `error` means there are no CIFAR-10 data there at all — no such folder,
    /// or a folder holding none of the six batch files — which the chapter answers with
    /// where to get them. A folder with some of the files, or a file of the wrong size,
    /// is a damaged download instead, and an error.
    static func meansNoData(_ error: CIFAR10Error) -> Bool {
        switch error.problem {
        case .missingFolder: return true
        case .missingFile(let found):
            let batchNames = Set(CIFAR10.Split.allCases.flatMap(\.fileNames))
            return !found.contains(where: batchNames.contains)
        default: return false
        }
    }

    /// How to get the data and pass them to `chapter`, step by step, then `without`:
    /// what the chapter does without them.
    static func downloadGuide(chapter: String, without: [String]) -> [String] {
        [
            "  CIFAR-10 is not part of the package. To train on it:",
            "",
            "    1. Download the binary version (162 MB, listed on \(pageURL) as",
            "       \"CIFAR-10 binary version (suitable for C programs)\"):",
            "         curl -LO \(archiveURL)",
            "    2. Unpack it; it makes the folder cifar-10-batches-bin, holding data_batch_1.bin …",
            "       data_batch_5.bin, test_batch.bin and batches.meta.txt:",
            "         tar xzf cifar-10-binary.tar.gz",
            "    3. Pass that folder, or the one holding it:",
            "         swift run -c release Tutorials \(chapter) --data cifar-10-batches-bin",
            "",
        ] + without
    }
}
