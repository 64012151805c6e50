import EngineTesting
import Learn
import Testing

/// The palindrome task's data: generation, the finite data set and its split, and the
/// encodings a model reads.
@Suite("Palindromes: generation, data set, batches")
struct PalindromeTests {
    /// Input lengths T with odd and even total lengths T + 1, short and long.
    static let inputLengths = [1, 2, 3, 4, 5, 10, 19, 20]

    static func isPalindrome(_ digits: [Int]) -> Bool { digits == digits.reversed() }

    @Test("left halves are mirrored without repeating an odd middle digit")
    func byHand() {
        #expect(Palindromes.palindrome(leftHalf: [3, 1, 4], inputLength: 4) == [3, 1, 4, 1, 3])
        #expect(Palindromes.palindrome(leftHalf: [3, 1, 4], inputLength: 5) == [3, 1, 4, 4, 1, 3])
        #expect(Palindromes.palindrome(leftHalf: [7], inputLength: 1) == [7, 7])
        #expect(Palindromes.palindrome(leftHalf: [0, 9], inputLength: 2) == [0, 9, 0])
    }

    @Test("the left half has ⌈(T+1)/2⌉ digits", arguments: inputLengths)
    func halfLength(_ t: Int) {
        #expect(Palindromes.halfLength(inputLength: t) == (t + 2) / 2)
        #expect(2 * Palindromes.halfLength(inputLength: t) - (t + 1) == (t + 1) % 2)
    }

    @Test(
        "every random sequence is a palindrome of length T + 1 whose target is its first digit", arguments: inputLengths
    )
    func randomArePalindromes(_ t: Int) {
        var generator = SeededGenerator(seed: UInt64(t))
        for _ in 0..<200 {
            let p = Palindromes.random(inputLength: t, using: &generator)
            #expect(p.count == t + 1 && Self.isPalindrome(p) && p.allSatisfy { (0...9).contains($0) }, "\(p)")
            #expect(p.last == p.first)
        }
        var stream = PalindromeStream(inputLength: t, seed: 1)
        let batch = stream.next(batchSize: 64, as: Float.self)
        #expect(batch.inputs.count == t)
        for n in 0..<64 {
            // The target equals the first digit read.
            #expect(batch.inputs[0][n, batch.targets[n]] == 1, "example \(n): target \(batch.targets[n])")
        }
    }

    @Test(
        "the stream is reproducible for a seed and differs between seeds",
        arguments: [.oneHot, .value] as [DigitEncoding])
    func streamSeeded(_ encoding: DigitEncoding) {
        var a = PalindromeStream(inputLength: 7, encoding: encoding, seed: 3)
        var b = PalindromeStream(inputLength: 7, encoding: encoding, seed: 3)
        var c = PalindromeStream(inputLength: 7, encoding: encoding, seed: 4)
        for _ in 0..<3 {
            let (x, y, z) = (
                a.next(batchSize: 32, as: Double.self), b.next(batchSize: 32, as: Double.self),
                c.next(batchSize: 32, as: Double.self)
            )
            #expect(x.inputs == y.inputs && x.targets == y.targets)
            #expect(x.inputs != z.inputs)
        }
    }

    @Test(
        "a finite data set holds distinct palindromes, train and test disjoint",
        arguments: [(19, 5000), (5, 300), (4, 900), (3, 100), (3, 500), (1, 50)])
    func distinctAndDisjoint(_ t: Int, _ count: Int) {
        let data = PalindromeDataset(inputLength: t, count: count, seed: 2)
        let all = data.train + data.test
        #expect(Set(all).count == all.count, "duplicates in the data set")
        #expect(Set(data.train).isDisjoint(with: Set(data.test)), "train and test overlap")
        #expect(all.allSatisfy { $0.count == t + 1 && Self.isPalindrome($0) })
        let available = PalindromeDataset.distinctCount(inputLength: t)!
        #expect(all.count == min(count, available))
    }

    @Test(
        "the split is 80/20 by default and follows trainFraction",
        arguments: [(1000, 0.8, 800), (1000, 0.5, 500), (999, 0.8, 799), (10, 0.99, 9), (10, 0.01, 1), (2, 0.8, 1)])
    func split(_ count: Int, _ fraction: Double, _ expectedTrain: Int) {
        let data = PalindromeDataset(inputLength: 9, count: count, trainFraction: fraction, seed: 5)
        #expect(data.train.count == expectedTrain)
        #expect(data.test.count == count - expectedTrain)
        #expect(data.warning == nil)
        if fraction == 0.8 {
            #expect(PalindromeDataset(inputLength: 9, count: count, seed: 5).train == data.train)
        }
    }

    @Test(
        "distinctCount is 10^⌈(T+1)/2⌉, or nil when it would overflow",
        arguments: [(1, 10), (2, 100), (3, 100), (4, 1000), (19, 10_000_000_000), (35, 1_000_000_000_000_000_000)])
    func distinctCount(_ t: Int, _ expected: Int) {
        #expect(PalindromeDataset.distinctCount(inputLength: t) == expected)
    }

    @Test("distinctCount past Int's range is nil", arguments: [36, 100, 1000])
    func distinctCountOverflow(_ t: Int) {
        #expect(PalindromeDataset.distinctCount(inputLength: t) == nil)
    }

    @Test(
        "a request for more than exist is capped, with a warning naming both numbers",
        arguments: [(3, 101), (3, 500), (1, 11), (4, 5000)])
    func capped(_ t: Int, _ count: Int) throws {
        let data = PalindromeDataset(inputLength: t, count: count, seed: 6)
        let available = PalindromeDataset.distinctCount(inputLength: t)!
        #expect(data.train.count + data.test.count == available)
        let warning = try #require(data.warning)
        #expect(warning.contains("\(count)") && warning.contains("\(available)"), "\(warning)")
        // All of them: every left half appears once.
        #expect(
            Set((data.train + data.test).map { $0.prefix(Palindromes.halfLength(inputLength: t)) }).count == available)
    }

    /// Asking for exactly as many as exist is not asking for more: nothing was capped.
    @Test(
        "a request for exactly as many as exist gives all of them, without a warning", arguments: [(1, 10), (3, 100)])
    func exactlyAll(_ t: Int, _ count: Int) {
        let data = PalindromeDataset(inputLength: t, count: count, seed: 6)
        #expect(data.train.count + data.test.count == count)
        #expect(data.warning == nil, "unexpected warning: \(data.warning ?? "")")
    }

    @Test("the data set is reproducible for a seed and differs between seeds", arguments: [19, 5, 3])
    func datasetSeeded(_ t: Int) {
        let a = PalindromeDataset(inputLength: t, count: 80, seed: 11)
        let b = PalindromeDataset(inputLength: t, count: 80, seed: 11)
        let c = PalindromeDataset(inputLength: t, count: 80, seed: 12)
        #expect(a.train == b.train && a.test == b.test)
        #expect(a.train != c.train)
    }

    /// Left halves include leading zeros, so every digit 0–9 is a target about equally
    /// often (a data set of numbers without leading zeros would never end in 0).
    @Test("targets are spread over all ten digits", arguments: [19, 7])
    func targetsUniform(_ t: Int) {
        let data = PalindromeDataset(inputLength: t, count: 5000, seed: 13)
        var counts = [Int](repeating: 0, count: 10)
        for p in data.train + data.test { counts[p.last!] += 1 }
        // 500 expected per digit, standard deviation ≈ 21.
        #expect(counts.allSatisfy { abs($0 - 500) <= 110 }, "\(counts)")
    }

    @Test("one-hot batches: T matrices of N×10, a single 1 per row at the digit")
    func oneHotBatch() {
        let palindromes = [[1, 2, 3, 2, 1], [0, 9, 9, 9, 0], [5, 5, 5, 5, 5]]
        let batch = SequenceBatch<Float>(palindromes: palindromes, encoding: .oneHot)
        #expect(batch.inputs.count == 4)
        #expect(batch.targets == [1, 0, 5])
        for (t, x) in batch.inputs.enumerated() {
            #expect(x.shape == Shape2(3, 10))
            for (n, digits) in palindromes.enumerated() {
                #expect(x.row(n) == (0..<10).map { $0 == digits[t] ? Float(1) : 0 }, "step \(t), example \(n)")
            }
        }
        #expect(DigitEncoding.oneHot.featureCount == 10)
    }

    @Test("value batches: T matrices of N×1 holding the digit")
    func valueBatch() {
        let palindromes = [[1, 2, 3, 2, 1], [0, 9, 9, 9, 0]]
        let batch = SequenceBatch<Double>(palindromes: palindromes, encoding: .value)
        #expect(batch.inputs.count == 4)
        #expect(batch.inputs.allSatisfy { $0.shape == Shape2(2, 1) })
        #expect(batch.inputs.map { $0.elements } == [[1, 0], [2, 9], [3, 9], [2, 9]])
        #expect(batch.targets == [1, 0])
        #expect(DigitEncoding.value.featureCount == 1)
    }

    @Test(
        "stream batches have the requested size and encoding", arguments: [.oneHot, .value] as [DigitEncoding], [1, 4])
    func streamShapes(_ encoding: DigitEncoding, _ t: Int) {
        var stream = PalindromeStream(inputLength: t, encoding: encoding, seed: 0)
        let batch = stream.next(batchSize: 17, as: Float.self)
        #expect(batch.inputs.count == t)
        #expect(batch.inputs.allSatisfy { $0.shape == Shape2(17, encoding.featureCount) })
        #expect(batch.targets.count == 17 && batch.targets.allSatisfy { (0...9).contains($0) })
    }
}
