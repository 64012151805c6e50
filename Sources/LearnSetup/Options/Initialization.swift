/// How a recurrent model's weights and biases are drawn before training, as
/// `PalindromeOptions/initialization` chooses. The draws themselves (Xavier's bound
/// a = √(6 / (fan_in + fan_out)) and the uniform matrices) are pieces, in Learn's
/// `Models/Initialization.swift`.
public enum Initialization: String, Sendable, CaseIterable {
    /// Every weight and bias uniform in ±1/√H, as PyTorch initialises `nn.RNN`.
    case pytorchDefault
    /// Weights U(−a, a) with a = √(6/(fan_in + fan_out)); biases zero.
    case xavierUniform
}
