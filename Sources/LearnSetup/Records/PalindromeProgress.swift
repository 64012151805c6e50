/// One step of a training run.
public struct PalindromeProgress: Sendable {
    /// The pass over the training set this step belongs to, from 1.
    public var epoch: Int
    /// The optimiser steps taken, this one included (from 1).
    public var step: Int
    /// The minibatch loss before the step.
    public var loss: Double
    /// RMSProp's step size η for this step (it changes only when the rate decays).
    public var learningRate: Float
    /// The test accuracy, on steps where it was measured.
    public var testAccuracy: Double?

    /// A record of the step `step` in epoch `epoch`.
    public init(epoch: Int, step: Int, loss: Double, learningRate: Float, testAccuracy: Double?) {
        (self.epoch, self.step, self.loss) = (epoch, step, loss)
        (self.learningRate, self.testAccuracy) = (learningRate, testAccuracy)
    }
}
