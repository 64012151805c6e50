import Foundation

/// What `JSONDecoder` lets pass and an answers file must not have: an object that names
/// a key twice (the decoder keeps one of the two, Python's `json` the other, so the same
/// file would grade differently depending on who reads it), and nesting so deep that
/// the decoder only says the file is "not valid JSON".
///
/// ``check(_:maximumDepth:)`` walks the bytes once, before anything is decoded, and
/// names the first such place: the key and the byte offset. It does not validate the
/// rest of the grammar; the decoder does that after it.
public enum JSONStructure {
    /// Why a JSON text is refused before it is decoded.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        /// An object names `key` twice; the second is at byte `offset`.
        case duplicateKey(String, offset: Int)
        /// Arrays and objects are nested deeper than `limit` at byte `offset`.
        case tooDeep(limit: Int, offset: Int)
        /// A string runs to the end of the text, or holds a bad escape, from byte `offset`.
        case badString(offset: Int)

        /// The problem in words.
        public var description: String {
            switch self {
            case .duplicateKey(let key, let offset):
                "an object names the key \"\(key)\" twice (the second at byte \(offset)); each key may appear once"
            case .tooDeep(let limit, let offset):
                "arrays and objects are nested more than \(limit) deep (at byte \(offset))"
            case .badString(let offset): "the string at byte \(offset) is not closed or holds a bad escape"
            }
        }
    }

    /// Throws the first duplicate key or the first place nested deeper than `maximumDepth`.
    public static func check(_ data: Data, maximumDepth: Int = 64) throws(Problem) {
        let bytes = [UInt8](data)
        // Per open container: nil for an array, the keys seen so far for an object.
        var open: [Set<String>?] = []
        var expectingKey = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard open.count < maximumDepth else { throw .tooDeep(limit: maximumDepth, offset: index) }
                open.append(byte == UInt8(ascii: "{") ? Set<String>() : nil)
                expectingKey = byte == UInt8(ascii: "{")
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if !open.isEmpty { open.removeLast() }
                expectingKey = false
                index += 1
            case UInt8(ascii: ","):
                expectingKey = open.last.map { $0 != nil } ?? false
                index += 1
            case UInt8(ascii: "\""):
                let start = index
                let (text, end) = try string(in: bytes, from: index)
                if expectingKey, var keys = open.last.flatMap({ $0 }) {
                    guard keys.insert(text).inserted else { throw .duplicateKey(text, offset: start) }
                    open[open.count - 1] = keys
                    expectingKey = false
                }
                index = end
            default:
                index += 1
            }
        }
    }

    /// The string starting at the quote at `start`, its escapes decoded, and the index
    /// after its closing quote.
    static func string(in bytes: [UInt8], from start: Int) throws(Problem) -> (String, Int) {
        var units: [UInt16] = []
        var raw: [UInt8] = []
        func flushRaw() {
            units += String(decoding: raw, as: UTF8.self).utf16
            raw.removeAll()
        }
        var index = start + 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                flushRaw()
                return (String(decoding: units, as: UTF16.self), index + 1)
            }
            guard byte == UInt8(ascii: "\\") else {
                raw.append(byte)
                index += 1
                continue
            }
            guard index + 1 < bytes.count else { break }
            flushRaw()
            let escaped = bytes[index + 1]
            let simple: [UInt8: UInt16] = [
                UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5c, UInt8(ascii: "/"): 0x2f, UInt8(ascii: "b"): 0x08,
                UInt8(ascii: "f"): 0x0c, UInt8(ascii: "n"): 0x0a, UInt8(ascii: "r"): 0x0d, UInt8(ascii: "t"): 0x09,
            ]
            if let unit = simple[escaped] {
                units.append(unit)
                index += 2
            } else if escaped == UInt8(ascii: "u"), index + 6 <= bytes.count,
                let unit = UInt16(String(decoding: bytes[(index + 2)..<(index + 6)], as: UTF8.self), radix: 16)
            {
                units.append(unit)  // surrogate pairs come as two escapes and join in UTF-16
                index += 6
            } else {
                throw .badString(offset: start)
            }
        }
        throw .badString(offset: start)
    }
}
