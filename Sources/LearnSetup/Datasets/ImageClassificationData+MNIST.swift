/// MNIST as a convolutional network of the CIFAR-10 shape reads it: each 28×28 digit in
/// the middle of a 32×32 image (2 pixels of background on every side), one channel.
///
/// A network built for 32×32 inputs (the reduced VGG's five pools take 32 to 1) then
/// runs unchanged on data that is in the repository, and learns it in a quick run.
extension ImageClassificationData {
    /// The images of `mnist`, each padded to `side`×`side` with background (byte 0,
    /// which scales to −1 like MNIST's own background), labelled "0" … "9".
    public init(padding mnist: MNIST, to side: Int = 32) {
        let inner = MNIST.imageSide
        ensure(side >= inner, "MNIST's \(inner)×\(inner) digits cannot be padded to \(side)×\(side)")
        let border = (side - inner) / 2
        var bytes = [UInt8](repeating: 0, count: mnist.count * side * side)
        let source = mnist.images.bytes
        for n in 0..<mnist.count {
            for i in 0..<inner {
                let from = n * inner * inner + i * inner
                let to = n * side * side + (i + border) * side + border
                bytes[to..<(to + inner)] = source[from..<(from + inner)]
            }
        }
        self.init(
            images: ImageBytes(bytes: bytes, rows: mnist.count, columns: side * side), labels: mnist.labels,
            classNames: (0..<MNIST.classes).map { "\($0)" }, channels: 1)
    }
}
