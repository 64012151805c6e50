/// A finite data set of *distinct* palindromes split into training and test parts.
///
/// Left halves are drawn without replacement from all 10^⌈(T+1)/2⌉ of them (numbers
/// written with leading zeros, so the target digit is uniform over 0–9). Asking for
/// more than exist gives all of them and a ``warning``.
public struct PalindromeDataset: Sendable {
    /// T, the number of digits the model reads.
    public let inputLength: Int
    /// The training palindromes, each of length T + 1.
    public let train: [[Int]]
    /// The held-out palindromes, disjoint from `train`.
    public let test: [[Int]]
    /// Set when the request was capped at the number of distinct palindromes.
    public let warning: String?

    /// How many distinct palindromes of input length T exist (nil beyond `Int`).
    public static func distinctCount(inputLength: Int) -> Int? {
        var total = 1
        for _ in 0..<Palindromes.halfLength(inputLength: inputLength) {
            let (product, overflow) = total.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            total = product
        }
        return total
    }

    /// Draws `count` distinct palindromes and splits them, reproducibly for `seed`.
    /// `trainFraction` must lie in (0, 1); both parts get at least one palindrome.
    public init(inputLength: Int, count: Int, trainFraction: Double = 0.8, seed: UInt64) {
        ensure(inputLength >= 1, "input length must be at least 1, got \(inputLength)")
        ensure(count >= 2, "a data set needs at least 2 palindromes to split, got \(count)")
        ensure(
            trainFraction > 0 && trainFraction < 1, "trainFraction must lie in (0, 1), got \(trainFraction)")
        self.inputLength = inputLength
        var generator = SeededGenerator(seed: seed)
        let halfLength = Palindromes.halfLength(inputLength: inputLength)
        let available = Self.distinctCount(inputLength: inputLength)
        var halves: [[Int]]
        if let available, available <= count {
            // Asking for exactly as many as exist is not asking for too many.
            warning =
                available < count
                ? "asked for \(count) palindromes of input length \(inputLength), but only \(available) distinct ones exist; using all \(available)"
                : nil
            halves = (0..<available).map { Self.digits(of: $0, count: halfLength) }
            generator.shuffle(&halves)
        } else if let available, available <= 4 * count {
            // Dense request: shuffle all and take a prefix (no long rejection runs).
            warning = nil
            var numbers = Array(0..<available)
            generator.shuffle(&numbers)
            halves = numbers.prefix(count).map { Self.digits(of: $0, count: halfLength) }
        } else {
            // Sparse request: draw at random and reject repeats (rare when sparse).
            warning = nil
            var seen = Set<[Int]>()
            halves = []
            while halves.count < count {
                let half = (0..<halfLength).map { _ in generator.integer(below: 10) }
                if seen.insert(half).inserted { halves.append(half) }
            }
        }
        let all = halves.map { Palindromes.palindrome(leftHalf: $0, inputLength: inputLength) }
        let trainCount = min(max(Int((Double(all.count) * trainFraction).rounded()), 1), all.count - 1)
        train = Array(all[..<trainCount])
        test = Array(all[trainCount...])
    }

    /// The decimal digits of `number`, most significant first, padded with zeros.
    static func digits(of number: Int, count: Int) -> [Int] {
        var digits = [Int](repeating: 0, count: count)
        var rest = number
        for k in stride(from: count - 1, through: 0, by: -1) {
            digits[k] = rest % 10
            rest /= 10
        }
        return digits
    }
}
