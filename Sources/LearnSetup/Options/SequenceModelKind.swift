/// The two models of Part I.
public enum SequenceModelKind: String, Sendable, CaseIterable {
    /// The LSTM of equations (1)–(9).
    case lstm
    /// The vanilla RNN baseline.
    case rnn
}
