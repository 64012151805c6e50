/// Where an MLP run on images stands after an epoch: the curves' numbers — mean loss and
/// accuracy on the training images and the test images, as for points (``MLPEpoch``) —
/// and the test accuracy class by class, all measured with the weights at the end of
/// the epoch.
public struct MLPImageEpoch: Sendable, Equatable {
    /// The epoch, the losses and the overall accuracies. The training figures are
    /// measured on ``MLPImageOptions/trainEvaluationSize`` of the training images.
    public var curves: MLPEpoch
    /// The test images counted class by class; its ``ClassAccuracy/overall`` is
    /// `curves.testAccuracy`.
    public var testByClass: ClassAccuracy

    /// The record of one epoch: its curves' point and its test accuracy by class.
    public init(curves: MLPEpoch, testByClass: ClassAccuracy) {
        (self.curves, self.testByClass) = (curves, testByClass)
    }

    /// The epoch, from 1.
    public var epoch: Int { curves.epoch }
}
