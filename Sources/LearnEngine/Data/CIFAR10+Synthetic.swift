import Foundation

/// Small synthetic data sets in CIFAR-10's binary format, for tests and quick runs that
/// cannot wait for (or download) the real 163 MB.
extension CIFAR10 {
    /// The colour of each class's object in synthetic images, red, green, blue: sky
    /// blue for airplane, red for automobile, … grey-blue for truck — ten colours far
    /// enough apart that a classifier can tell the classes.
    public static let syntheticColours: [[UInt8]] = [
        [90, 150, 230], [210, 40, 40], [235, 205, 50], [150, 95, 55], [110, 140, 40],
        [240, 150, 200], [40, 190, 80], [80, 40, 20], [20, 40, 140], [120, 170, 170],
    ]

    /// Writes a synthetic data set to `directory` (created if need be): the six batch
    /// files of `recordsPerFile` records each, and `batches.meta.txt`. Load it with
    /// `load(split:from:recordsPerFile:)` and the same `recordsPerFile`.
    ///
    /// The files follow from `seed` alone; see ``syntheticBatch(records:using:)`` for
    /// what the images show.
    public static func writeSynthetic(to directory: URL, recordsPerFile: Int, seed: UInt64) throws(OutputFileError) {
        ensure(recordsPerFile > 0, "CIFAR10.writeSynthetic: recordsPerFile must be positive, got \(recordsPerFile)")
        try TextFile.createDirectory(directory.path)
        var generator = SeededGenerator(seed: seed)
        for name in Split.allCases.flatMap(\.fileNames) {
            let bytes = syntheticBatch(records: recordsPerFile, using: &generator)
            try BinaryFile.write(bytes, to: directory.appendingPathComponent(name))
        }
        // The published file ends with a blank line; so does this one.
        let names = classNames.joined(separator: "\n") + "\n\n"
        try TextFile.write(names, to: directory.appendingPathComponent(classNamesFileName).path)
    }

    /// The bytes of one batch file of `records` synthetic records.
    ///
    /// The labels are balanced (each class `records / 10` times, give or take one) in a
    /// random order. Each image is a square of its class's colour
    /// (``syntheticColours``), 16 to 24 pixels a side at a random place, on a gray
    /// background of random brightness, with noise of ±32 on every value: the mean
    /// colour alone tells most classes apart, and the square gives a convolution
    /// something to find.
    public static func syntheticBatch(records: Int, using generator: inout SeededGenerator) -> [UInt8] {
        ensure(records >= 0, "CIFAR10.syntheticBatch: records must not be negative, got \(records)")
        var labels = (0..<records).map { $0 % classes }
        generator.shuffle(&labels)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(records * recordSize)
        let side = imageSide
        for label in labels {
            let gray = 100 + generator.integer(below: 57)
            let size = 16 + generator.integer(below: 9)
            let top = generator.integer(below: side - size + 1)
            let left = generator.integer(below: side - size + 1)
            bytes.append(UInt8(label))
            for channel in 0..<channels {
                let colour = Int(syntheticColours[label][channel])
                for row in 0..<side {
                    for column in 0..<side {
                        let inside = (top..<(top + size)).contains(row) && (left..<(left + size)).contains(column)
                        let value = (inside ? colour : gray) + generator.integer(below: 65) - 32
                        bytes.append(UInt8(min(255, max(0, value))))
                    }
                }
            }
        }
        return bytes
    }
}
