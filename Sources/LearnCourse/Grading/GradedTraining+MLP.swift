import Foundation
import Learn

/// The graded MLP runs of Assignment 2: the default settings on moons and on circles.
/// The pieces train and hand over their weights; the grader draws the same points and
/// measures the test accuracy with its own arithmetic, so the points go to a network
/// that classifies, not to a reported number.
extension GradedTraining {
    /// A trained MLP's layers, input side first, as the answering process sends them.
    struct MLPWeights: Codable, Sendable {
        /// Each layer's W (outputs×inputs), row by row, and its shape.
        var weights: [[Float]]
        /// Each layer's b.
        var biases: [[Float]]
    }

    /// The course defaults on `dataset`, seed 0.
    static func mlpSettings(_ dataset: PlanarDataset) -> MLPOptions {
        var settings = MLPOptions()
        settings.dataset = dataset
        return settings
    }

    /// The required test accuracy.
    static let mlpRequired = 0.95

    /// Trains the default MLP on `dataset`; ≥ 95% test accuracy earns the check's 6 points.
    static func mlpLearns(_ dataset: PlanarDataset) -> GradedWork<NoQuestion, MLPWeights> {
        GradedWork(
            ask: { _ in NoQuestion() },
            answer: { _ in
                var trainer = try MLPTrainer(options: mlpSettings(dataset))
                _ = try trainer.run()
                let layers = trainer.model.layers
                return MLPWeights(weights: layers.map(\.w.elements), biases: layers.map(\.b.elements))
            },
            judge: { _, trained, _ in
                let settings = mlpSettings(dataset)
                let test = try MLPTrainer(options: settings).test
                let accuracy = try mlpAccuracy(trained, widths: settings.widths, on: test)
                guard accuracy >= mlpRequired else {
                    return [
                        Deduction(
                            points: 6,
                            reason: "test accuracy on \(dataset) \(percent(accuracy)) after \(settings.epochs) epochs "
                                + "(seed 0, SGD \(settings.learningRate), batch \(settings.batchSize)); "
                                + "at least \(percent(mlpRequired)) is needed")
                    ]
                }
                return []
            })
    }

    /// The accuracy on `points` of the network `trained` holds, computed here:
    /// aₖ = ReLU(aₖ₋₁·Wₖᵀ + bₖ), scores = a·W_Lᵀ + b_L, the class the larger score.
    static func mlpAccuracy(_ trained: MLPWeights, widths: [Int], on points: LabelledPoints) throws -> Double {
        let layers = widths.count - 1
        guard trained.weights.count == layers, trained.biases.count == layers else {
            throw GradingError(
                problem: "the answering process sent \(trained.weights.count) weight matrices and "
                    + "\(trained.biases.count) biases for a network of \(layers) layers")
        }
        var a = points.inputs
        for k in 0..<layers {
            let (inputs, outputs) = (widths[k], widths[k + 1])
            guard trained.weights[k].count == outputs * inputs, trained.biases[k].count == outputs,
                trained.weights[k].allSatisfy(\.isFinite), trained.biases[k].allSatisfy(\.isFinite)
            else {
                throw GradingError(
                    problem: "layer \(k) of the trained network is not \(outputs)×\(inputs) with a bias of "
                        + "\(outputs), or holds a number that is not finite")
            }
            let w = Matrix(rows: outputs, columns: inputs, elements: trained.weights[k])
            let b = Matrix(rows: 1, columns: outputs, elements: trained.biases[k])
            a = Matrix.product(a, w, transposeB: true).addingRow(b)
            if k < layers - 1 { a = a.map { max($0, 0) } }
        }
        let correct = (0..<a.rows).filter { n in
            let row = a.row(n)
            return (row.indices.max { row[$0] < row[$1] } ?? 0) == points.labels[n]
        }
        return Double(correct.count) / Double(max(points.count, 1))
    }

    /// Assignment 2's RNN at T = 5, stopping at 99.5% test accuracy: Xavier-uniform weights
    /// and zero biases, RMSProp 1e-3 decayed ×0.98 every 10 epochs, the gradient clipped.
    static func rnnSettings() -> PalindromeOptions {
        var settings = lstmSettings()
        settings.model = .rnn
        settings.initialization = .xavierUniform
        settings.learningRateDecay = 0.98
        settings.decayInterval = 10
        return settings
    }

    /// The RNN with Assignment 2's settings at T = 5: ≥ 99% test accuracy earns 12 points.
    static let rnnLearns = palindromeLearns(rnnSettings, model: "RNN", points: 12)
}
