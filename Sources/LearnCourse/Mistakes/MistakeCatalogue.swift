import Learn

/// The typical mistakes, piece by piece (see ``Mistake``). Each edit's `find` is text of
/// the reference solution; a test checks that every one still applies exactly once.
public enum MistakeCatalogue {
    /// Every mistake, in the order of work.
    public static let all: [Mistake] = [
        // Equation building blocks
        Mistake(
            "affine.no-bias", .affine, "the forward pass leaves out the bias b",
            "var y = Matrix(rows: x.rows, repeatingRow: b)", "var y = Matrix<T>(rows: x.rows, columns: w.rows)"),
        Mistake(
            "affine.dW-assigned", .affine,
            "dW = … instead of dW += … (a weight used at many steps keeps one step's gradient)",
            "dW.addProduct(dY, x, transposeA: true)", "dW = Matrix.product(dY, x, transposeA: true)"),
        Mistake(
            "affine.dB-assigned", .affine, "dB = … instead of dB += …",
            "dB += dY.sumOverRows()", "dB = dY.sumOverRows()"),
        Mistake(
            "affine.dB-mean", .affine, "db averaged over the rows instead of summed",
            "dB += dY.sumOverRows()", "dB += (1 / T(dY.rows)) * dY.sumOverRows()"),
        Mistake(
            "affine.dX-wrong-transpose", .affine, "dX = dY·Wᵀ instead of dY·W",
            "Matrix.product(dY, w)", "Matrix.product(dY, w, transposeB: true)"),
        Mistake(
            "activation.sigmoid-missing-y", .activation, "σ′ written as 1 − σ (a factor σ lost)",
            "d * y * (1 - y)", "d * (1 - y)"),
        Mistake(
            "activation.tanh-not-squared", .activation, "tanh′ written as 1 − tanh instead of 1 − tanh²",
            "d * (1 - y * y)", "d * (1 - y)"),
        Mistake(
            "activation.tanh-sign", .activation, "tanh′ with its sign flipped",
            "d * (1 - y * y)", "d * (y * y - 1)"),
        Mistake(
            "gate.no-recurrence", .gateMachinery, "the gate ignores h(t−1): W_h h(t−1) left out of the forward pass",
            "y.addProduct(prevH, wh, transposeB: true)", "_ = wh"),
        Mistake(
            "gate.no-activation-derivative", .gateMachinery, "backward skips the activation's derivative (dz = dy)",
            "let dZ = activation.backward(dY, output: cache.y)", "let dZ = dY"),
        Mistake(
            "gate.dPrevH-transposed", .gateMachinery, "dh(t−1) = dz·W_hᵀ instead of dz·W_h (silent: W_h is square)",
            "Matrix.product(dZ, wh)", "Matrix.product(dZ, wh, transposeB: true)"),
        Mistake(
            "gate.dWh-assigned", .gateMachinery, "dW_h = … instead of dW_h += …",
            "dWh.addProduct(dZ, cache.prevH, transposeA: true)",
            "dWh = Matrix.product(dZ, cache.prevH, transposeA: true)"),
        Mistake(
            "gate.dWh-from-x", .gateMachinery, "dW_h computed from x(t) instead of h(t−1)",
            "dWh.addProduct(dZ, cache.prevH, transposeA: true)", "dWh.addProduct(dZ, cache.x, transposeA: true)"),

        // Equations (1)–(4)
        Mistake(
            "g.sigmoid", .inputModulation, "(1) g with σ instead of tanh, forward and backward",
            [
                .init(function: "forward", find: "activation: .tanh", replace: "activation: .sigmoid"),
                .init(function: "backward", find: "activation: .tanh", replace: "activation: .sigmoid"),
            ]),
        Mistake(
            "g.backward-sigmoid", .inputModulation, "(1) g's backward with σ′ although its forward is tanh",
            in: "backward", "activation: .tanh", "activation: .sigmoid"),
        Mistake(
            "i.tanh", .inputGate, "(2) i with tanh instead of σ, forward and backward",
            [
                .init(function: "forward", find: "activation: .sigmoid", replace: "activation: .tanh"),
                .init(function: "backward", find: "activation: .sigmoid", replace: "activation: .tanh"),
            ]),
        Mistake(
            "i.backward-tanh", .inputGate, "(2) i's backward with tanh′ although its forward is σ",
            in: "backward", "activation: .sigmoid", "activation: .tanh"),
        Mistake(
            "f.tanh", .forgetGate, "(3) f with tanh instead of σ, forward and backward",
            [
                .init(function: "forward", find: "activation: .sigmoid", replace: "activation: .tanh"),
                .init(function: "backward", find: "activation: .sigmoid", replace: "activation: .tanh"),
            ]),
        Mistake(
            "f.backward-tanh", .forgetGate, "(3) f's backward with tanh′ although its forward is σ",
            in: "backward", "activation: .sigmoid", "activation: .tanh"),
        Mistake(
            "o.tanh", .outputGate, "(4) o with tanh instead of σ, forward and backward",
            [
                .init(function: "forward", find: "activation: .sigmoid", replace: "activation: .tanh"),
                .init(function: "backward", find: "activation: .sigmoid", replace: "activation: .tanh"),
            ]),
        Mistake(
            "o.backward-tanh", .outputGate, "(4) o's backward with tanh′ although its forward is σ",
            in: "backward", "activation: .sigmoid", "activation: .tanh"),

        // Equations (5)–(9)
        Mistake(
            "c.no-forget", .cellState, "(5) c(t) = g ⊙ i + c(t−1): the forget gate left out",
            "let c = g * i + prevC * f", "let c = g * i + prevC"),
        Mistake(
            "c.dF-from-f", .cellState, "(5) ∂c/∂f taken as f instead of c(t−1)",
            "dF: dC * cache.prevC", "dF: dC * cache.f"),
        Mistake(
            "c.dPrevC-without-f", .cellState, "(5) dc(t−1) = dc, the product with f lost",
            "dPrevC: dC * cache.f", "dPrevC: dC"),
        Mistake(
            "c.dG-dI-swapped", .cellState, "(5) dg and di swapped",
            "dG: dC * cache.i, dI: dC * cache.g", "dG: dC * cache.g, dI: dC * cache.i"),
        Mistake(
            "h.no-tanh-derivative", .hiddenState, "(6) dc = dh ⊙ o, the factor 1 − tanh²(c) lost",
            "{ d, t in d * (1 - t * t) }", "{ d, t in d }"),
        Mistake(
            "h.dO-from-o", .hiddenState, "(6) ∂h/∂o taken as o instead of tanh(c)",
            "let dO = dH * cache.tanhC", "let dO = dH * cache.o"),
        Mistake(
            "h.no-tanh", .hiddenState, "(6) h(t) = c(t) ⊙ o(t), the tanh left out of the forward pass",
            "let tanhC = c.tanh()", "let tanhC = c"),
        Mistake(
            "p.no-bias", .prediction, "(7) p = W_ph h, the bias left out of the forward pass",
            "Affine.forward(h, wph, bp)", "Affine.forward(h, wph, Matrix(shapeOf: bp))"),
        Mistake(
            "p.backward-divides-by-N", .prediction,
            "(7) backward divides dp by N, although the loss's gradient is already a mean",
            "Affine.backward(dW: &grads.wph, dB: &grads.bp, dP, x: h, w: wph)",
            "Affine.backward(dW: &grads.wph, dB: &grads.bp, (1 / T(dP.rows)) * dP, x: h, w: wph)"),
        Mistake(
            "softmax.no-max", .softmaxCrossEntropy, "(8)–(9) softmax without subtracting the row maximum",
            [
                .init(function: "softmax", find: "let m = p.elements[row].max() ?? 0", replace: "let m: T = 0"),
                .init(function: "forward", find: "let m = row.max() ?? 0", replace: "let m: T = 0"),
            ]),
        Mistake(
            "softmax.sum-not-mean", .softmaxCrossEntropy, "(9) the loss summed over the batch, not averaged",
            [
                .init(function: "forward", find: "return (loss / count,", replace: "return (loss,"),
                .init(function: "backward", find: "let scale = 1 / T(max(dP.rows, 1))", replace: "let scale: T = 1"),
            ]),
        Mistake(
            "softmax.no-minus-one", .softmaxCrossEntropy, "(9) dp = ŷ: the −1 at the label lost",
            "dP[n, y] -= 1", "dP[n, y] -= 0"),
        Mistake(
            "softmax.backward-not-scaled", .softmaxCrossEntropy, "(9) backward forgets the 1/N of the mean",
            "return scale * dP", "return dP"),
        Mistake(
            "softmax.wrong-normaliser", .softmaxCrossEntropy, "(8) softmax divides by K instead of Σ exp",
            "for k in row { y.elements[k] /= total }", "for k in row { y.elements[k] /= T(p.columns) }"),

        // Backpropagation through time
        Mistake(
            "lstm.dC-carry-lost", .lstm, "dc from step t+1 overwritten instead of added to",
            "dC += fromHidden.dC", "dC = fromHidden.dC"),
        Mistake(
            "lstm.dC-not-carried", .lstm, "dc(t−1) never carried back: each step starts from dc = 0",
            "dC = fromCell.dPrevC", "dC = Matrix<T>(shapeOf: dH)"),
        Mistake(
            "lstm.dH-missing-g", .lstm, "dh(t−1) sums the paths through i, f, o but not g",
            "dH = viaO.dPrevH + viaF.dPrevH + viaI.dPrevH + viaG.dPrevH",
            "dH = viaO.dPrevH + viaF.dPrevH + viaI.dPrevH"),
        Mistake(
            "lstm.dX-missing-g", .lstm, "dx(t) sums the paths through i, f, o but not g",
            "dXs.append(viaO.dX + viaF.dX + viaI.dX + viaG.dX)", "dXs.append(viaO.dX + viaF.dX + viaI.dX)"),
        Mistake(
            "lstm.c-not-carried", .lstm, "the forward pass never carries c: every step starts from c = 0",
            "(h, c) = (ht, ct)", "(h, c) = (ht, c)"),
        Mistake(
            "lstm.h-not-carried", .lstm, "the forward pass never carries h: every gate sees h(t−1) = 0",
            "(h, c) = (ht, ct)", "(h, c) = (h, ct)"),
        Mistake(
            "lstm.dX-order", .lstm, "the input gradients returned last step first",
            "return (LSTM(g: dG, i: dI, f: dF, o: dO, p: dP), dXs.reversed())",
            "return (LSTM(g: dG, i: dI, f: dF, o: dO, p: dP), dXs)"),
        Mistake(
            "rnnHidden.sigmoid", .rnnHiddenState, "the RNN's recurrence with σ instead of tanh, forward and backward",
            [
                .init(function: "forward", find: "activation: .tanh", replace: "activation: .sigmoid"),
                .init(function: "backward", find: "activation: .tanh", replace: "activation: .sigmoid"),
            ]),
        Mistake(
            "rnnHidden.backward-sigmoid", .rnnHiddenState,
            "the recurrence's backward with σ′ although its forward is tanh",
            in: "backward", "activation: .tanh", "activation: .sigmoid"),
        Mistake(
            "rnn.dH-not-carried", .rnn, "dh(t−1) never carried back: the gradient stops after one step",
            "dH = d.dPrevH", "dH = Matrix(shapeOf: dH)"),
        Mistake(
            "rnn.h-not-carried", .rnn, "the forward pass never carries h",
            "h = ht", "_ = ht"),
        Mistake(
            "rnn.dX-order", .rnn, "the input gradients returned last step first",
            "return (grads, dXs.reversed())", "return (grads, dXs)"),

        // Optimisers
        Mistake(
            "sgd.no-momentum", .sgd, "SGD ignores the momentum: v = g",
            "v = mu * v + g", "v = g"),
        Mistake(
            "sgd.ascent", .sgd, "SGD steps up the gradient: θ += ηv",
            "theta -= eta * v", "theta += eta * v"),
        Mistake(
            "sgd.dampened", .sgd, "v = μv + (1 − μ)g, a moving average instead of PyTorch's v = μv + g",
            "v = mu * v + g", "v = mu * v + (1 - mu) * g"),
        Mistake(
            "rmsprop.epsilon-inside-root", .rmsProp, "RMSProp with ε inside the root: √(s + ε)",
            "theta -= eta * g / (Model.Scalar.sqrt(s) + eps)", "theta -= eta * g / Model.Scalar.sqrt(s + eps)"),
        Mistake(
            "rmsprop.alpha-swapped", .rmsProp, "s = (1 − α)s + αg², the decay on the wrong term",
            "s = a * s + (1 - a) * g * g", "s = (1 - a) * s + a * g * g"),
        Mistake(
            "rmsprop.state-forgotten", .rmsProp, "the average of squares is not kept between steps",
            "model.update(by: gradients, keeping: &squareAverage) { theta, s, g in",
            "var fresh: Model? = nil  // a new average every step\n        model.update(by: gradients, keeping: &fresh) { theta, s, g in"
        ),
        Mistake(
            "adam.no-bias-correction", .adam, "Adam without bias correction",
            [
                .init(function: nil, find: "let mHat = m / correction1", replace: "let mHat = m"),
                .init(function: nil, find: "let vHat = v / correction2", replace: "let vHat = v"),
            ]),
        Mistake(
            "adam.epsilon-inside-root", .adam, "Adam with ε inside the root: √(v̂ + ε)",
            "theta -= eta * mHat / (Model.Scalar.sqrt(vHat) + eps)",
            "theta -= eta * mHat / Model.Scalar.sqrt(vHat + eps)"),
        Mistake(
            "adam.t-stuck-at-1", .adam, "the β powers never advance: every step corrected as the first",
            [
                .init(function: nil, find: "beta1Power *= beta1", replace: "beta1Power = beta1"),
                .init(function: nil, find: "beta2Power *= beta2", replace: "beta2Power = beta2"),
            ]),
        Mistake(
            "adam.betas-swapped", .adam, "m decays with β₂ instead of β₁",
            "m = b1 * m + (1 - b1) * g", "m = b2 * m + (1 - b2) * g"),

        // Part II layers
        Mistake(
            "linear.caches-output", .linear, "the layer caches its output instead of its input",
            "return (Affine.forward(x, w, b), x)", "let y = Affine.forward(x, w, b)\n        return (y, y)"),
        Mistake(
            "linear.backward-sign", .linear, "backward from −dy: every gradient with its sign flipped",
            "Affine.backward(dW: &grads.w, dB: &grads.b, dY, x: x, w: w)",
            "Affine.backward(dW: &grads.w, dB: &grads.b, -dY, x: x, w: w)"),
        Mistake(
            "leakyReLU.negative-slope-lost-d", .leakyReLU, "backward gives α instead of α·dy where x ≤ 0",
            "x > 0 ? d : a * d", "x > 0 ? d : a"),
        Mistake(
            "leakyReLU.slope-on-positive", .leakyReLU, "the slope applied to the positive side",
            "x.map { $0 > 0 ? $0 : a * $0 }", "x.map { $0 > 0 ? a * $0 : $0 }"),
        Mistake(
            "relu.backward-identity", .relu, "ReLU's backward passes dy through everywhere (the mask lost)",
            "return leaky.backward(into: &noParameters, dY, cache: cache)", "return dY"),
        Mistake(
            "relu.forward-identity", .relu, "ReLU's forward passes x through unchanged",
            "leaky.forward(x, mode: mode)", "(x, x)"),
        // Assignment 2: the MLP
        Mistake(
            "mlp.relu-on-scores", .mlp, "a ReLU after the last layer too: negative class scores become 0",
            in: "forward", "return (layers[layers.count - 1].forward(a, mode: mode).y, cache)",
            "return (activation.forward(layers[layers.count - 1].forward(a, mode: mode).y, mode: mode).y, cache)"),
        Mistake(
            "mlp.backward-no-mask", .mlp, "backward skips the ReLUs: the gradient is not masked where z ≤ 0",
            "d = activation.backward(into: &noParameters, d, cache: cache.preactivations[k])",
            "noParameters = activation"),
        // Assignment 2: the CNN's layers
        Mistake(
            "conv2d.bias-dropped", .conv2d, "the convolution forgets its bias",
            "let outputRows = Affine.forward(patches, w, b)",
            "let outputRows = Affine.forward(patches, w, Matrix(shapeOf: b))"),
        Mistake(
            "conv2d.gradient-in-image-order", .conv2d,
            "backward reads dY in NCHW order as if it were one row per pixel (no pixelRows)",
            "let dOutputRows = dY.pixelRows()",
            "let dOutputRows = Matrix(rows: dY.count / outputChannels, columns: outputChannels, elements: dY.elements)"),
        Mistake(
            "conv2d.flipped-kernel", .conv2d,
            "each kernel flipped, a true convolution where PyTorch's Conv2d is a cross-correlation",
            "let outputRows = Affine.forward(patches, w, b)",
            "let outputRows = Affine.forward(patches, Matrix(rows: w.rows, columns: w.columns, elements: "
                + "Swift.stride(from: 0, to: w.elements.count, by: kernelHeight * kernelWidth).flatMap { "
                + "w.elements[$0..<($0 + kernelHeight * kernelWidth)].reversed() }), b)"),
        Mistake(
            "maxPool2d.last-of-ties", .maxPool2d, "ties go to the last maximum of the window, not the first",
            "where windows[r, k] > windows[r, best]", "where windows[r, k] >= windows[r, best]"),
        Mistake(
            "maxPool2d.padding-zero", .maxPool2d, "padding counts as 0, so it wins over negative windows",
            "x.patchesPerChannel(window, padding: -T.infinity)", "x.patchesPerChannel(window, padding: 0)"),
        Mistake(
            "maxPool2d.gradient-to-whole-window", .maxPool2d, "backward sends dy to every element of the window",
            "dWindows[r, cache.argMax[r]] = dY.elements[r]",
            "for k in 0..<dWindows.columns { dWindows[r, k] = dY.elements[r] }"),
        Mistake(
            "batchNorm2d.statistics-per-feature", .batchNorm2d,
            "statistics per feature over the images alone (BatchNorm1d on the flattened maps), not per channel "
                + "over N, H and W",
            "let pixels = x.pixelRows()", "let pixels = x.flattened()"),
        Mistake(
            "batchNorm2d.unbiased-in-training", .batchNorm2d, "training normalises by the unbiased variance (÷ M−1)",
            "sigma2 = sigma2.map { $0 / T(m) }", "sigma2 = sigma2.map { $0 / T(m - 1) }"),
        Mistake(
            "batchNorm2d.running-biased", .batchNorm2d, "the running variance takes the biased batch variance",
            "let unbiased = sigma2[c] * T(m) / T(m - 1)", "let unbiased = sigma2[c]"),
        Mistake(
            "batchNorm2d.backward-missing-xhat-term", .batchNorm2d, "dx leaves out the term through the variance",
            "T(m) * dXHat[r, c] - sumOfDXHat[c] - cache.xHat[r, c] * sumOfDXHatXHat[c]",
            "T(m) * dXHat[r, c] - sumOfDXHat[c]"),
        Mistake(
            "xavier.fan-in-only", .xavierInitialization, "Xavier's bound from fan_in alone: a = √(6/fan_in)",
            "T.sqrt(6 / T(fanIn + fanOut))", "T.sqrt(6 / T(fanIn))"),
        Mistake(
            "xavier.no-six", .xavierInitialization, "Xavier's bound without its 6: a = √(1/(fan_in + fan_out))",
            "T.sqrt(6 / T(fanIn + fanOut))", "T.sqrt(1 / T(fanIn + fanOut))"),
        Mistake(
            "decay.every-epoch", .learningRateDecay, "the step size decays every epoch instead of every k",
            "let decays = epochs / interval", "let decays = epochs"),
        Mistake(
            "decay.one-early", .learningRateDecay, "the first decay one epoch early: ⌊(e + 1)/k⌋",
            "let decays = epochs / interval", "let decays = (epochs + 1) / interval"),
        Mistake(
            "decay.linear", .learningRateDecay, "the schedule linear, η₀·(1 − n(1 − γ)), instead of η₀·γⁿ",
            "Float(Foundation.pow(Double(factor), Double(decays)))", "(1 - Float(decays) * (1 - factor))"),
        Mistake(
            "squashing.tanh-backward-sigmoid", .squashing, "tanh's backward with σ′",
            "Activation.tanh.backward(dY, output: y)", "Activation.sigmoid.backward(dY, output: y)"),
        Mistake(
            "squashing.sigmoid-caches-input", .squashing, "σ caches its input, so backward takes σ′ of the wrong value",
            [
                .init(
                    function: "forward", find: "let y = Activation.sigmoid.forward(x)\n        return (y, y)",
                    replace: "let y = Activation.sigmoid.forward(x)\n        return (y, x)")
            ]),
        Mistake(
            "batchNorm.unbiased-in-training", .batchNorm, "training normalises by the unbiased variance (÷ N−1)",
            "variance = variance.map { $0 / T(n) }", "variance = variance.map { $0 / T(n - 1) }"),
        Mistake(
            "batchNorm.running-biased", .batchNorm, "the running variance takes the biased batch variance",
            "let unbiased = variance[j] * T(n) / T(n - 1)", "let unbiased = variance[j]"),
        Mistake(
            "batchNorm.momentum-swapped", .batchNorm, "running ← momentum·running + (1 − momentum)·batch",
            "(1 - momentum) * runningMean.elements[j] + momentum * mean[j]",
            "momentum * runningMean.elements[j] + (1 - momentum) * mean[j]"),
        Mistake(
            "batchNorm.epsilon-outside-root", .batchNorm, "1/(√σ² + ε) instead of 1/√(σ² + ε)",
            "1 / T.sqrt($0 + epsilon)", "1 / (T.sqrt($0) + epsilon)"),
        Mistake(
            "batchNorm.backward-missing-xhat-term", .batchNorm, "dx leaves out the term through the variance",
            "T(n) * dXHat[i, j] - sumDXHat[j] - cache.xHat[i, j] * sumDXHatXHat[j]", "T(n) * dXHat[i, j] - sumDXHat[j]"),
        Mistake(
            "batchNorm.backward-without-gamma", .batchNorm, "dx̂ = dy, the factor γ lost",
            "for j in 0..<features { dXHat[i, j] *= gamma.elements[j] }", "for j in 0..<features { dXHat[i, j] *= 1 }"),
        Mistake(
            "batchNorm.evaluation-uses-batch", .batchNorm, "evaluation normalises by the batch's statistics",
            "if mode == .training {", "if n > 1 {"),
        Mistake(
            "batchNorm.dGamma-assigned", .batchNorm, "dγ = … instead of dγ += …",
            "grads.gamma += (dY * cache.xHat).sumOverRows()", "grads.gamma = (dY * cache.xHat).sumOverRows()"),
        Mistake(
            "dropout.not-rescaled", .dropout, "kept units not scaled by 1/(1 − p)",
            "T(generator.uniform()) < keep ? 1 / keep : 0", "T(generator.uniform()) < keep ? 1 : 0"),
        Mistake(
            "dropout.backward-ignores-mask", .dropout, "backward passes dy through unmasked",
            "return dY * mask", "return dY"),
        Mistake(
            "dropout.drops-in-evaluation", .dropout, "units dropped in evaluation too",
            "guard mode == .training, probability > 0 else", "guard probability > 0 else"),

        // Equation (10)
        Mistake(
            "minimax.real-sign", .minimaxLoss, "(10) L_D's real term as −log(1 − D(x)), forward and backward",
            [
                .init(
                    function: nil, find: "real: Softplus.mean(-realLogits)", replace: "real: Softplus.mean(realLogits)"),
                .init(
                    function: nil, find: "(-Softplus.meanGradient(-realLogits),",
                    replace: "(Softplus.meanGradient(realLogits),"),
            ]),
        Mistake(
            "minimax.real-chain-rule", .minimaxLoss, "(10) ∂L_D/∂ℓ_real loses the chain rule's minus",
            "(-Softplus.meanGradient(-realLogits),", "(Softplus.meanGradient(-realLogits),"),
        Mistake(
            "minimax.generator-gradient-sign", .minimaxLoss, "the saturating L_G's gradient with its sign flipped",
            "-Softplus.meanGradient(fakeLogits)", "Softplus.meanGradient(fakeLogits)"),
        Mistake(
            "nonSaturating.saturating", .nonSaturatingLoss,
            "the non-saturating loss written as −(saturating): mean softplus(ℓ)",
            [
                .init(function: nil, find: "Softplus.mean(-fakeLogits)", replace: "Softplus.mean(fakeLogits)"),
                .init(
                    function: nil, find: "-Softplus.meanGradient(-fakeLogits)",
                    replace: "Softplus.meanGradient(fakeLogits)"),
            ]),
        Mistake(
            "nonSaturating.chain-rule", .nonSaturatingLoss, "the gradient loses the chain rule's minus",
            "-Softplus.meanGradient(-fakeLogits)", "Softplus.meanGradient(-fakeLogits)"),

        // Part II, task 3
        Mistake(
            "latent.misses-end", .latentInterpolation, "α = k/(count) never reaches 1: the path stops short of z_b",
            "let alpha = T(k) / T(count - 1)", "let alpha = T(k) / T(count)"),
        Mistake(
            "latent.reversed", .latentInterpolation, "the path runs from z_b to z_a",
            "(1 - alpha) * za[0, j] + alpha * zb[0, j]", "alpha * za[0, j] + (1 - alpha) * zb[0, j]"),
    ]
}
