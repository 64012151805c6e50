import Learn

/// Assignment 2, Part III's training settings for the vanilla RNN, and the budget this
/// chapter gives each run.
enum A2RNNSettings {
    /// The input lengths the assignment asks for.
    static let lengths = [8, 10, 12, 15, 20]
    /// Seeds per length: enough to see whether a length is learnt reliably or by luck.
    static let seeds = 3

    /// W_hx, W_hh and W_ph Xavier-uniform, b_h and b_p zero.
    static let initialization = Initialization.xavierUniform
    /// RMSProp's step size at the start.
    static let learningRate: Float = 1e-3
    /// ×0.98 every 10 epochs, as the reports decay it.
    static let decay: Float = 0.98
    static let decayInterval = 10
    /// The global gradient-norm clip (the course's 10).
    static let clipNorm: Float = 10

    /// Palindromes per length: Assignment 3's data set, 100,000 distinct (all there are
    /// at T = 8), 80,000 to train: 625 steps of 128 per epoch.
    static let datasetSize = 100_000
    /// Passes over the training set, the same for every length and seed. Measured on
    /// the 2-core development machine, an RNN step (H = 128, batch 128) takes about
    /// 0.11·T + 0.2 ms: 1.1 ms at T = 8, 2.4 ms at T = 20, 8 ms for one step of each
    /// default length. 25 epochs of 625 steps, for 3 seeds, is then about 6½ minutes of
    /// training and half a minute of test evaluations, under the ten minutes asked; a
    /// busy machine takes longer (18 minutes at a load average of 7, measured). It is
    /// 15,625 steps a run — what a run of this model does in that budget, not what an
    /// unlimited one would — and the decay acts twice (η ends at 0.98² ≈ 0.96 of η₀).
    static let epochs = 25

    /// --quick: two lengths, two seeds, a small data set, 12 short epochs (so the rate
    /// decays once); a smoke run of a few seconds, not a result.
    static let quickLengths = [8, 12]
    static let quickSeeds = 2
    static let quickDatasetSize = 2_560
    static let quickEpochs = 12
}
