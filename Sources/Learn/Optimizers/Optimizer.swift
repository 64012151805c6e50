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
///
/// Each element's update reads and writes only that element, so a large matrix is
/// handed to `body` in two halves, one per core: the update streams several arrays
/// through memory, and two cores draw on more of its bandwidth than one.
func updateParameters<Model: Parameterized>(
    _ model: inout Model, state: inout Model, gradients: Model,
    _ body: (
        _ w: UnsafeMutableBufferPointer<Model.Scalar>, _ s: UnsafeMutableBufferPointer<Model.Scalar>,
        _ g: UnsafeBufferPointer<Model.Scalar>
    ) -> Void
) {
    for p in model.parameters {
        let g = gradients[keyPath: p.path]
        takingOut(p.path, of: &model) { w in
            takingOut(p.path, of: &state) { s in
                g.requireSameShape(as: w, "gradient of \(p.name)")
                s.requireSameShape(as: w, "optimiser state of \(p.name)")
                g.elements.withUnsafeBufferPointer { g in
                    w.elements.withUnsafeMutableBufferPointer { w in
                        s.elements.withUnsafeMutableBufferPointer { s in
                            Parallel.halves(of: w.count, minimum: 1 << 15) { range in
                                body(.init(rebasing: w[range]), .init(rebasing: s[range]), .init(rebasing: g[range]))
                            }
                        }
                    }
                }
            }
        }
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
    for p in model.parameters {
        let g = gradients[keyPath: p.path]
        takingOut(p.path, of: &model) { w in
            takingOut(p.path, of: &first) { s1 in
                takingOut(p.path, of: &second) { s2 in
                    g.requireSameShape(as: w, "gradient of \(p.name)")
                    s1.requireSameShape(as: w, "optimiser state of \(p.name)")
                    s2.requireSameShape(as: w, "optimiser state of \(p.name)")
                    g.elements.withUnsafeBufferPointer { g in
                        w.elements.withUnsafeMutableBufferPointer { w in
                            s1.elements.withUnsafeMutableBufferPointer { s1 in
                                s2.elements.withUnsafeMutableBufferPointer { s2 in
                                    Parallel.halves(of: w.count, minimum: 1 << 15) { range in
                                        body(
                                            .init(rebasing: w[range]), .init(rebasing: s1[range]),
                                            .init(rebasing: s2[range]), .init(rebasing: g[range]))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Calls `body` with the matrix at `path` taken out of `model`, then puts it back.
///
/// Taking it out leaves an empty matrix behind, so the copy `body` writes to is its
/// storage's only owner and is updated in place, even through a computed path (a
/// container's layers), instead of being copied first.
private func takingOut<Model: Parameterized>(
    _ path: WritableKeyPath<Model, Matrix<Model.Scalar>>, of model: inout Model,
    _ body: (inout Matrix<Model.Scalar>) -> Void
) {
    var matrix = model[keyPath: path]
    model[keyPath: path] = Matrix(rows: 0, columns: 0)
    body(&matrix)
    model[keyPath: path] = matrix
}
