/// How a recurrent model's weights and biases are drawn before training: the
/// equation of Xavier's initialisation (the kinds are listed in LearnSetup, where the
/// options that choose one live).
///
/// - ``pytorchDefault``: what `nn.RNN` and `nn.Linear(H, K)` do, every weight and bias
///   uniform in ±1/√H. Assignment 3 uses it (and its goldens pin it).
/// - ``xavierUniform``: what Assignment 2 asks for the vanilla RNN, every weight matrix
///   W (fan_out × fan_in) drawn from U(−a, a) with
///
///       a = √(6 / (fan_in + fan_out))
///
///   (Glorot and Bengio, 2010; PyTorch's `nn.init.xavier_uniform_` with gain 1), and
///   every bias zero. Its variance a²/3 = 2/(fan_in + fan_out) is their compromise
///   between keeping the forward signal's scale (1/fan_in) and the backward
///   gradient's (1/fan_out) through a linear map.
///
/// For the RNN: W_hx is H×D, W_hh H×H and W_ph K×H, so a is √(6/(D + H)), √(3/H) and
/// √(6/(H + K)): at the course's D = 10, H = 128, K = 10 that is 0.21, 0.15 and 0.21,
/// against PyTorch's 1/√128 ≈ 0.088 for all of them.
///
/// See also: ``RNN/init(inputSize:hiddenSize:classes:initialization:using:)``,
/// `PalindromeOptions/initialization`.
extension Initialization {
    /// a = √(6 / (fan_in + fan_out)), the half-width of Xavier's uniform interval.
    public static func xavierBound<T: Real>(fanIn: Int, fanOut: Int) -> T {
        ensure(fanIn > 0 && fanOut > 0, "Xavier's bound needs positive fans, got fan_in=\(fanIn), fan_out=\(fanOut)")
        // BEGIN SOLUTION xavierInitialization
        return T.sqrt(6 / T(fanIn + fanOut))
        // END SOLUTION
    }

    /// A weight matrix W of `rows` = fan_out and `columns` = fan_in (W maps a row
    /// vector of `columns` inputs to `rows` outputs as y = x·Wᵀ), uniform in ±a with
    /// a = √(6/(fan_in + fan_out)).
    public static func xavierUniform<T: Real>(
        rows: Int, columns: Int, using generator: inout SeededGenerator
    ) -> Matrix<T> {
        // BEGIN SOLUTION xavierInitialization
        .uniform(rows: rows, columns: columns, bound: xavierBound(fanIn: columns, fanOut: rows), using: &generator)
        // END SOLUTION
    }
}
