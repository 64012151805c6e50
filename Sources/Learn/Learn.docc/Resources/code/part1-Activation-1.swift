/// The two squashing functions of the LSTM, each with its derivative written in terms
/// of its *output* — the value the forward pass already cached:
///
/// - sigmoid: `y = σ(z) = 1/(1 + e^(−z))`, `dy/dz = y(1 − y)`;
/// - tanh: `y = tanh(z)`, `dy/dz = 1 − y²`.
///
/// See also: ``GateMachinery``, ``HiddenState`` (which applies tanh to the cell state).
public enum Activation: Sendable, CaseIterable {
    /// σ, whose output lies in (0, 1): a gate that lets a fraction through.
    case sigmoid
    /// tanh, whose output lies in (−1, 1): a candidate value with a sign.
    case tanh

    /// y = φ(z), elementwise.
    public func forward<T>(_ z: Matrix<T>) -> Matrix<T> {
        switch self {
        case .sigmoid: z.sigmoid()
        case .tanh: z.tanh()
        }
    }

    /// z ← φ(z) in place (the forward pass without a new allocation).
    public func apply<T>(to z: inout Matrix<T>) {
        switch self {
        case .sigmoid: z.formSigmoid()
        case .tanh: z.formTanh()
        }
    }

    /// dZ = dY ⊙ φ′(z), with φ′ taken from the cached output y.
    public func backward<T>(_ dY: Matrix<T>, output y: Matrix<T>) -> Matrix<T> {
        switch self {
        case .sigmoid: dY.combined(with: y, operation: "sigmoid backward") { d, y in d * y * (1 - y) }
        case .tanh: dY.combined(with: y, operation: "tanh backward") { d, y in d * (1 - y * y) }
        }
    }
}
