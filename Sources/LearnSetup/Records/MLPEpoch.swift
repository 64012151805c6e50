/// Where an MLP run stands after an epoch: the mean loss and the accuracy on each part
/// of the data, measured with the weights at the end of the epoch.
public struct MLPEpoch: Sendable, Equatable {
    /// The epoch, from 1.
    public var epoch: Int
    /// Mean cross-entropy and accuracy on the training points.
    public var trainLoss: Double, trainAccuracy: Double
    /// Mean cross-entropy and accuracy on the test points.
    public var testLoss: Double, testAccuracy: Double

    /// The record of epoch `epoch`.
    public init(epoch: Int, trainLoss: Double, trainAccuracy: Double, testLoss: Double, testAccuracy: Double) {
        (self.epoch, self.trainLoss, self.trainAccuracy) = (epoch, trainLoss, trainAccuracy)
        (self.testLoss, self.testAccuracy) = (testLoss, testAccuracy)
    }
}
