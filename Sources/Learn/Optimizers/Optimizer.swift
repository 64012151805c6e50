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
    for p in model.parameters {
        // Take each matrix out before writing to it, leaving an empty one behind: then
        // this copy is the storage's only owner and is updated in place, even through
        // a computed path (a container's layers), instead of being copied first.
        var w = model[keyPath: p.path]
        var s = state[keyPath: p.path]
        model[keyPath: p.path] = Matrix(rows: 0, columns: 0)
        state[keyPath: p.path] = Matrix(rows: 0, columns: 0)
        let g = gradients[keyPath: p.path]
        g.requireSameShape(as: w, "gradient of \(p.name)")
        s.requireSameShape(as: w, "optimiser state of \(p.name)")
        g.elements.withUnsafeBufferPointer { g in
            w.elements.withUnsafeMutableBufferPointer { w in
                s.elements.withUnsafeMutableBufferPointer { s in body(w, s, g) }
            }
        }
        model[keyPath: p.path] = w
        state[keyPath: p.path] = s
    }
}

/// ``updateParameters(_:state:gradients:_:)`` with two running statistics per
/// parameter, as Adam keeps (m and v), so one fused loop updates all three.
func updateParameters<Model: Parameterized>(
    _ model: inout Model, states first: inout Model, _ second: inout Model, gradients: Model,
    _ body: (
        _ w: UnsafeMutableBufferPointer<Model.Scalar>, _ s1: UnsafeMutableBufferPointer<Model.Scalar>,
        _ s2: UnsafeMutableBufferPointer<Model.Scalar>, _ g: UnsafeBufferPointer<Model.Scalar>
    ) -> Void
) {
    // Run the one-state walk over (model, first) and, inside it, take the matching
    // matrix of `second` out the same way.
    var index = 0
    let paths = second.parameters
    updateParameters(&model, state: &first, gradients: gradients) { w, s1, g in
        let path = paths[index].path
        index += 1
        var s2 = second[keyPath: path]
        second[keyPath: path] = Matrix(rows: 0, columns: 0)
        precondition(s2.count == w.count, "optimiser state of \(paths[index - 1].name) has the wrong size")
        s2.elements.withUnsafeMutableBufferPointer { s2 in body(w, s1, s2, g) }
        second[keyPath: path] = s2
    }
}
