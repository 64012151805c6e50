import Foundation
import Learn

/// Assignment 2's pieces with no reference case: the Xavier draw (random, so judged by
/// its distribution) and the learning-rate schedule (judged against the formula at
/// chosen epochs, worked out here).
extension GradedProperties {
    /// The shapes the Xavier draw is asked for (fan_out × fan_in): the RNN's W_hx, W_hh
    /// and W_ph at the course's sizes, and a wide one that pins the variance.
    static let xavierShapes = [(128, 10), (128, 128), (10, 128), (300, 400)]

    /// What the pieces drew, one matrix per shape.
    struct XavierEvidence: Codable, Sendable {
        var draws: [AnswerTensor]
    }

    /// Every weight in ±a with a = √(6/(fan_in + fan_out)), the draw reaching near ±a (a
    /// narrower interval, such as √(1/fan_in)'s, would not), mean near 0 and variance
    /// near a²/3. The tolerances are about five standard errors of each statistic.
    static let xavier = GradedWork<NoQuestion, XavierEvidence>(
        ask: { _ in NoQuestion() },
        answer: { _ in
            var generator = SeededGenerator(seed: 21)
            return XavierEvidence(
                draws: xavierShapes.map { rows, columns in
                    AnswerTensor(Initialization.xavierUniform(rows: rows, columns: columns, using: &generator))
                })
        },
        judge: { _, evidence, _ in
            guard evidence.draws.count == xavierShapes.count else {
                throw GradingError(problem: "the answering process sent \(evidence.draws.count) draws, not 4")
            }
            var problems: [String] = []
            for ((rows, columns), draw) in zip(xavierShapes, evidence.draws) {
                guard let w = draw.matrix, w.rows == rows, w.columns == columns, w.elements.allSatisfy(\.isFinite)
                else {
                    problems.append("the \(rows)×\(columns) draw is not a \(rows)×\(columns) matrix of finite numbers")
                    continue
                }
                let a = (6.0 / Double(rows + columns)).squareRoot()
                let n = Double(w.count)
                let mean = w.elements.reduce(0, +) / n
                let variance = w.elements.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
                let largest = w.elements.map(abs).max() ?? 0
                let shape = "\(rows)×\(columns) (fan_in \(columns), fan_out \(rows))"
                let fmt = { (x: Double) in NumberFormat.scientific(x) }
                if largest > a * (1 + 1e-6) {
                    problems.append("\(shape): a weight of \(fmt(largest)) is outside ±a = ±\(fmt(a))")
                } else if largest < a * (1 - 20 / n) {
                    problems.append("\(shape): the largest weight is \(fmt(largest)), short of a = \(fmt(a))")
                }
                let expected = a * a / 3
                if abs(variance - expected) > 5 * expected * (0.8 / n).squareRoot() + 1e-12 {
                    problems.append("\(shape): variance \(fmt(variance)), expected a²/3 = \(fmt(expected))")
                }
                if abs(mean) > 5 * (expected / n).squareRoot() {
                    problems.append("\(shape): mean \(fmt(mean)), expected near 0")
                }
            }
            return problems.isEmpty ? [] : [Deduction(points: 2, reason: problems.joined(separator: "; "))]
        })

    /// The schedules asked for: (η₀, γ, k) and the finished epochs e.
    static let decaySettings: [(rate: Float, factor: Float, interval: Int)] = [(1e-3, 0.98, 10), (0.5, 0.5, 3)]
    static let decayEpochs = [0, 1, 2, 3, 9, 10, 11, 19, 20, 29, 30, 99, 100, 250]

    /// What the schedule gave: for each setting, η at each of ``decayEpochs``.
    struct DecayEvidence: Codable, Sendable {
        var rates: [[Float]]
    }

    /// η_e = η₀·γ^⌊e/k⌋ at every asked epoch, to Float's precision (relative 1e-5).
    static let decay = GradedWork<NoQuestion, DecayEvidence>(
        ask: { _ in NoQuestion() },
        answer: { _ in
            DecayEvidence(
                rates: decaySettings.map { s in
                    let schedule = ExponentialDecay(initialRate: s.rate, factor: s.factor, interval: s.interval)
                    return decayEpochs.map { schedule.learningRate(afterEpochs: $0) }
                })
        },
        judge: { _, evidence, _ in
            guard evidence.rates.count == decaySettings.count,
                evidence.rates.allSatisfy({ $0.count == decayEpochs.count })
            else {
                throw GradingError(problem: "the answering process sent rates of another shape than asked")
            }
            for (s, rates) in zip(decaySettings, evidence.rates) {
                for (e, given) in zip(decayEpochs, rates) {
                    let expected = Double(s.rate) * pow(Double(s.factor), Double(e / s.interval))
                    guard abs(Double(given) - expected) <= 1e-5 * expected else {
                        return [
                            Deduction(
                                points: 2,
                                reason: "with η₀ = \(s.rate), γ = \(s.factor), k = \(s.interval): after \(e) epochs "
                                    + "η is \(NumberFormat.scientific(Double(given))), expected η₀·γ^⌊e/k⌋ = "
                                    + "\(NumberFormat.scientific(expected)) (⌊\(e)/\(s.interval)⌋ = \(e / s.interval))")
                        ]
                    }
                }
            }
            return []
        })
}
