/// Palindromes of digits, the memory task of Part I.
///
/// A palindrome of length T + 1 is made from its first half — ⌈(T+1)/2⌉ digits —
/// mirrored, without repeating the middle digit when the length is odd:
/// `[3, 1, 4]` → `3 1 4 1 3` (length 5), `[3, 1, 4]` → `3 1 4 4 1 3` (length 6).
/// The model reads the first T digits and must predict the last, which equals the
/// first: to answer it must remember x(1) across T steps.
public enum Palindromes {
    /// The number of digits in the left half of a palindrome of input length T.
    public static func halfLength(inputLength: Int) -> Int { (inputLength + 2) / 2 }

    /// The whole palindrome (length T + 1) whose left half is `half`.
    public static func palindrome(leftHalf half: [Int], inputLength: Int) -> [Int] {
        ensure(
            half.count == halfLength(inputLength: inputLength),
            "input length \(inputLength) needs a left half of \(halfLength(inputLength: inputLength)) digits, got \(half.count)"
        )
        let total = inputLength + 1
        return (0..<total).map { k in k < half.count ? half[k] : half[total - 1 - k] }
    }

    /// One random palindrome of input length T: fresh random left-half digits.
    public static func random(inputLength: Int, using generator: inout SeededGenerator) -> [Int] {
        let half = (0..<halfLength(inputLength: inputLength)).map { _ in generator.integer(below: 10) }
        return palindrome(leftHalf: half, inputLength: inputLength)
    }
}

/// How a digit is presented to the model at each step.
public enum DigitEncoding: String, Sendable, CaseIterable {
    /// Ten features, a single 1 at the digit's index (the default).
    case oneHot = "one-hot"
    /// One feature holding the digit's value 0…9 (as the course template allowed).
    case value

    /// D, the number of features per step.
    public var featureCount: Int { self == .oneHot ? 10 : 1 }
}

/// A minibatch ready for a model: T input matrices (N×D) and N target digits.
public struct SequenceBatch<T: Real>: Sendable {
    /// x(1)…x(T), each N×D.
    public var inputs: [Matrix<T>]
    /// The digit each sequence must predict (the palindrome's last digit).
    public var targets: [Int]

    /// Encodes palindromes (each of length T + 1): the first T digits become inputs,
    /// the last becomes the target.
    public init(palindromes: [[Int]], encoding: DigitEncoding) {
        ensure(!palindromes.isEmpty, "a batch needs at least one palindrome")
        let length = palindromes[0].count
        ensure(length >= 2, "a palindrome must have at least 2 digits, got \(length)")
        let d = encoding.featureCount
        inputs = (0..<(length - 1)).map { t in
            var x = Matrix<T>(rows: palindromes.count, columns: d)
            for (n, digits) in palindromes.enumerated() {
                ensure(digits.count == length, "palindrome \(n) has \(digits.count) digits, expected \(length)")
                switch encoding {
                case .oneHot: x[n, digits[t]] = 1
                case .value: x[n, 0] = T(digits[t])
                }
            }
            return x
        }
        targets = palindromes.map { $0[length - 1] }
    }
}

/// The endless stream of random palindromes: every batch is freshly drawn.
public struct PalindromeStream: Sendable {
    /// T, the number of digits the model reads.
    public let inputLength: Int
    /// How digits are presented.
    public let encoding: DigitEncoding
    var generator: SeededGenerator

    /// A stream fixed by `seed`.
    public init(inputLength: Int, encoding: DigitEncoding = .oneHot, seed: UInt64) {
        ensure(inputLength >= 1, "input length must be at least 1, got \(inputLength)")
        (self.inputLength, self.encoding) = (inputLength, encoding)
        generator = SeededGenerator(seed: seed)
    }

    /// The next `size` random palindromes, encoded.
    public mutating func next<T: Real>(batchSize size: Int, as _: T.Type = T.self) -> SequenceBatch<T> {
        let items = (0..<size).map { _ in Palindromes.random(inputLength: inputLength, using: &generator) }
        return SequenceBatch(palindromes: items, encoding: encoding)
    }
}
