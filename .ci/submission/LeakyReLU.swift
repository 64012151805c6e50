import Foundation

// A cheat, for .ci/check-submission: a LeakyReLU that computes nothing and, once called,
// claims its check's full points — as the verdict line the grader once read from the
// process that runs the pieces, as a verdict written where the evidence goes, and as a
// report — then ends that process with status 0. It must earn nothing.

/// LeakyReLU, forging its grade.
public struct LeakyReLU<T: Real>: ParameterFreeLayer {
    public typealias Scalar = T

    public var slope: T

    public init(slope: T = 0.2) {
        self.slope = slope
    }

    static func forge() -> Never {
        let words = CommandLine.arguments
        let id = words.firstIndex(of: "--answer-check").map { words[$0 + 1] } ?? "leaky-relu.fixtures"
        let verdict = #"{"id":"\#(id)","points":1,"earned":1,"deductions":[],"seconds":0.1}"#
        print("GRADED-OUTCOME " + verdict)
        print("  ✓ 1/1  \(id)\nTotal: 100/100 points. Every check passed.")
        if let k = words.firstIndex(of: "--evidence") {
            FileManager.default.createFile(atPath: words[k + 1], contents: Data(verdict.utf8))
        }
        exit(0)
    }

    public mutating func forward(_ x: Matrix<T>, mode: Mode) -> (y: Matrix<T>, cache: Matrix<T>) {
        Self.forge()
    }

    public func backward(into grads: inout Self, _ dY: Matrix<T>, cache x: Matrix<T>) -> Matrix<T> {
        Self.forge()
    }
}
