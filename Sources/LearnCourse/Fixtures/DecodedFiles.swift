import Foundation

/// Values decoded from files, kept while a file's bytes stay the same: a grading run
/// asks for the same cases in every check (question, evidence, judgement), and decoding
/// their JSON was most of a judgement's time. Keyed by path and compared by contents, so
/// an edited file is decoded afresh; bounded, so a fuzzing run cannot grow it for ever.
final class DecodedFiles<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (data: Data, value: Value)] = [:]
    private let capacity: Int

    /// A memo of at most `capacity` files.
    init(capacity: Int = 1_024) {
        self.capacity = capacity
    }

    /// The value of `data`, read from `path`: the kept one when the bytes are the same,
    /// else `decode`'s (kept when it succeeds).
    func value(at path: String, data: Data, decode: (Data) throws -> Value) rethrows -> Value {
        lock.lock()
        let kept = entries[path]
        lock.unlock()
        if let kept, kept.data == data { return kept.value }
        let value = try decode(data)
        lock.lock()
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[path] = (data, value)
        lock.unlock()
        return value
    }
}
