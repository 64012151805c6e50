/// An optimiser's update rule applied to a whole model, element by element, in place.
///
/// An optimiser piece says only its rule, over named numbers — here a rule that steps
/// along the sum of every gradient so far:
///
///     model.update(by: gradients, keeping: &total) { theta, sum, g in
///         sum += g
///         theta -= learningRate * sum
///     }
///
/// and this is where it is made fast: every parameter matrix and its running
/// statistics are taken out of their models while they change, so each is its
/// storage's only owner and is written in place instead of copied; and the rule runs
/// in a plain loop over raw buffers, into which the compiler inlines it and which it
/// then vectorises. (The loop stays on one core: a rule handed to another thread is
/// a call per element, which costs more than the second core gains.)
extension Parameterized {
    /// Applies `rule(θ, s, g)` to every element θ of every parameter, with the same
    /// element s of `state` — a running statistic of the optimiser, all zeros before
    /// the first step — and g of `gradients`. `state` holds the updated statistic after.
    @inlinable @inline(__always)  // so that `rule` is inlined into the loop, which then vectorises
    public mutating func update(
        by gradients: Self, keeping state: inout Self?,
        _ rule: (_ theta: inout Scalar, _ s: inout Scalar, _ g: Scalar) -> Void
    ) {
        var s = state ?? zeroed()
        state = nil  // so the statistic's matrices have one owner each, and change in place
        for p in parameters {
            let g = gradients[keyPath: p.path]
            var (theta, sp) = (take(p, from: &self), take(p, from: &s))
            check(theta, sp, g, p.name)
            theta.elements.withUnsafeMutableBufferPointer { theta in
                sp.elements.withUnsafeMutableBufferPointer { sp in
                    g.elements.withUnsafeBufferPointer { g in
                        for k in g.indices { rule(&theta[k], &sp[k], g[k]) }
                    }
                }
            }
            (self[keyPath: p.path], s[keyPath: p.path]) = (theta, sp)
        }
        state = s
    }

    /// Applies `rule(θ, s₁, s₂, g)` to every element θ of every parameter, with the
    /// same elements of two running statistics (all zeros before the first step) and
    /// of `gradients`. `first` and `second` hold the updated statistics after.
    @inlinable @inline(__always)
    public mutating func update(
        by gradients: Self, keeping first: inout Self?, _ second: inout Self?,
        _ rule: (_ theta: inout Scalar, _ s1: inout Scalar, _ s2: inout Scalar, _ g: Scalar) -> Void
    ) {
        var (s1, s2) = (first ?? zeroed(), second ?? zeroed())
        (first, second) = (nil, nil)  // one owner each, as above
        for p in parameters {
            let g = gradients[keyPath: p.path]
            var (theta, a, b) = (take(p, from: &self), take(p, from: &s1), take(p, from: &s2))
            check(theta, a, g, p.name)
            check(theta, b, g, p.name)
            theta.elements.withUnsafeMutableBufferPointer { theta in
                a.elements.withUnsafeMutableBufferPointer { a in
                    b.elements.withUnsafeMutableBufferPointer { b in
                        g.elements.withUnsafeBufferPointer { g in
                            for k in g.indices { rule(&theta[k], &a[k], &b[k], g[k]) }
                        }
                    }
                }
            }
            (self[keyPath: p.path], s1[keyPath: p.path], s2[keyPath: p.path]) = (theta, a, b)
        }
        (first, second) = (s1, s2)
    }

    /// The matrix at `parameter` of `model`, taken out of it (an empty matrix left
    /// behind) so that it is its storage's only owner and changes in place, even
    /// through a computed key path such as a container's layers, instead of being
    /// copied on the first write.
    @inlinable
    func take(
        _ parameter: (name: String, path: WritableKeyPath<Self, Matrix<Scalar>>), from model: inout Self
    ) -> Matrix<Scalar> {
        let matrix = model[keyPath: parameter.path]
        model[keyPath: parameter.path] = Matrix(rows: 0, columns: 0)
        return matrix
    }

    /// Stops with a clear message unless a parameter, its statistic and its gradient
    /// have one shape.
    @inlinable
    func check(_ theta: Matrix<Scalar>, _ state: Matrix<Scalar>, _ g: Matrix<Scalar>, _ name: String) {
        g.requireSameShape(as: theta, "gradient of \(name)")
        state.requireSameShape(as: theta, "optimiser state of \(name)")
    }
}
