import CommandLineOptions
import Foundation
import Learn

/// Writes `value` as sorted, indented JSON to `path` (`grade --json`, `mistakes --json`);
/// on failure prints `command: <why>` and returns false.
func writeJSON<Value: Encodable>(_ value: Value, to path: String, command: String) -> Bool {
    do {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try TextFile.write(String(decoding: try encoder.encode(value), as: UTF8.self), to: path)
        return true
    } catch {
        printError("\(command): \(error)")
        return false
    }
}
