/// A rule that moves every parameter of a model a little against its gradient.
///
/// Optimisers know nothing of the maths of the model: they walk
/// `Parameterized/parameters` and update each matrix with its gradient, which
/// ``SequenceClassifier/backward(_:cache:)`` stored in a value of the model's type.
public protocol Optimizer<Model> {
    /// The kind of model this optimiser updates.
    associatedtype Model: Parameterized
    /// Takes one step: `model ← model − update(gradients)`.
    mutating func step(_ model: inout Model, gradients: Model)
}
