import Learn

/// A small image set whose classes a line can separate: `count` images `width` pixels
/// wide, image n of class n mod `classes`, class k's pixels 40 + 50k give or take 20 —
/// each class its own mean brightness. Seeded, so a test repeats exactly.
public func brightnessImages(count: Int, width: Int = 12, classes: Int = 3, seed: UInt64) -> ImageClassificationData {
    ensure(classes >= 2 && classes <= 4, "brightnessImages: 2…4 classes fit in a byte, got \(classes)")
    var random = SeededGenerator(seed: seed)
    let labels = (0..<count).map { $0 % classes }
    let bytes = labels.flatMap { k in
        (0..<width).map { _ in UInt8(40 + 50 * k + random.integer(below: 41) - 20) }
    }
    return ImageClassificationData(
        images: ImageBytes(bytes: bytes, rows: count, columns: width), labels: labels,
        classNames: (0..<classes).map { "class \($0)" })
}
