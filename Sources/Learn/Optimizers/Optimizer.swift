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

/// Visits each parameter of `model` with the same matrix of each of `states` (an
/// optimiser's running statistics) and of `gradients`, and updates them in place:
/// `body(range, t, g)` gets raw pointers, `t[0]` the parameter and `t[1]`, … the states
/// in order, and `g` the gradient (see ``Matrix/updateInPlace(_:reading:_:)``).
///
/// Each matrix is taken out of its model while it is updated (an empty matrix left
/// behind), so it is its storage's only owner and changes in place, even through a
/// computed key path such as a container's layers, instead of being copied first.
func updateParameters<Model: Parameterized>(
    _ model: inout Model, states: inout [Model], gradients: Model,
    _ body: (_ t: [UnsafeMutableBufferPointer<Model.Scalar>], _ g: UnsafeBufferPointer<Model.Scalar>) -> Void
) {
    let empty = Matrix<Model.Scalar>(rows: 0, columns: 0)
    for p in model.parameters {
        var matrices = [model[keyPath: p.path]]
        model[keyPath: p.path] = empty
        for i in states.indices {
            matrices.append(states[i][keyPath: p.path])
            states[i][keyPath: p.path] = empty
        }
        let g = gradients[keyPath: p.path]
        g.requireSameShape(as: matrices[0], "gradient of \(p.name)")
        for state in matrices.dropFirst() { state.requireSameShape(as: matrices[0], "optimiser state of \(p.name)") }
        Matrix.updateInPlace(&matrices, reading: g, body)
        model[keyPath: p.path] = matrices[0]
        for i in states.indices { states[i][keyPath: p.path] = matrices[i + 1] }
    }
}
