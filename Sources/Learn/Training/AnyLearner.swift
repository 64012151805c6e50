/// A model with its optimiser state, concrete per model kind so each is specialised.
///
/// An enum, not `any` protocol: a generic type's conformance runs its generic code
/// through witness tables, and an existential learner was measured 8–15× slower per
/// training step (LSTM at T = 20: 51 ms against 4.4 ms). Each case here is a concrete
/// type the compiler specialises.
enum AnyLearner: Sendable {
    case lstm(Learner<LSTM<Float>>)
    case rnn(Learner<RNN<Float>>)
}
