/// A rule that moves every parameter of a model a little against its gradient.
///
/// Optimisers know nothing of the maths of the model: they walk
/// ``Parameterized/parameters`` and update each matrix with its gradient, which
/// ``SequenceClassifier/backward(_:cache:)`` stored in a value of the model's type.
public protocol Optimizer<Model> {
    /// The kind of model this optimiser updates.
    associatedtype Model: Parameterized
    /// Takes one step: `model ← model − update(gradients)`.
    mutating func step(_ model: inout Model, gradients: Model)
}

/// Visits each parameter of `model` together with the same matrix of `state` (an
/// optimiser's running statistics) and of `gradients`, as raw buffers so that the
/// update loop runs at full speed. `body(w, s, g)` updates `w` and `s` in place.
func updateParameters<Model: Parameterized>(
    _ model: inout Model, state: inout Model, gradients: Model,
    _ body: (
        _ w: UnsafeMutableBufferPointer<Model.Scalar>, _ s: UnsafeMutableBufferPointer<Model.Scalar>,
        _ g: UnsafeBufferPointer<Model.Scalar>
    ) -> Void
) {
    for p in Model.parameters {
        gradients[keyPath: p.path].requireSameShape(as: model[keyPath: p.path], "gradient of \(p.name)")
        gradients[keyPath: p.path].elements.withUnsafeBufferPointer { g in
            model[keyPath: p.path].elements.withUnsafeMutableBufferPointer { w in
                state[keyPath: p.path].elements.withUnsafeMutableBufferPointer { s in
                    body(w, s, g)
                }
            }
        }
    }
}
