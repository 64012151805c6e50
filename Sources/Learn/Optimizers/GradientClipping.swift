/// Gradient-norm clipping over all parameters together, as PyTorch's
/// `clip_grad_norm_`: with the global norm ‖g‖ = √(Σ over every parameter of Σ g²),
///
///     if ‖g‖ > maxNorm:   g ← g · maxNorm / (‖g‖ + 1e-6)
///
/// Scaling all gradients by one factor keeps the step's direction and only bounds its
/// length, which tames the rare huge gradient of a recurrent net. Returns ‖g‖ before
/// clipping (worth logging: it tells when clipping fires).
@discardableResult
public func clipGlobalNorm<Model: Parameterized>(
    _ gradients: inout Model, maxNorm: Model.Scalar
) -> Model.Scalar {
    ensure(maxNorm > 0, "maxNorm must be positive, got \(maxNorm)")
    let norm = gradients.globalNorm()
    let scale = maxNorm / (norm + 1e-6)
    if scale < 1 {
        for p in gradients.parameters {
            gradients[keyPath: p.path] = scale * gradients[keyPath: p.path]
        }
    }
    return norm
}
