/// A table written as comma-separated values (RFC 4180), for results a reader wants
/// to open in a spreadsheet or load with pandas.
///
/// A field is quoted only when it must be: when it contains a comma, a double quote,
/// a line break, or starts or ends with a space (which some readers would trim). Inside
/// quotes a double quote is written twice: `say "hi"` becomes `"say ""hi"""`.
/// Lines end with `\n`; every common reader accepts that as well as RFC 4180's `\r\n`.
///
/// ```swift
/// var table = CSVTable(header: ["T", "accuracy"])
/// table.append(["5", "1.0000"])
/// try table.write(to: "out/results.csv")
/// ```
///
/// See also: ``LineChart``, ``TextFile``.
public struct CSVTable: Sendable, Equatable {
    /// The column names, written as the first line.
    public let header: [String]
    /// The rows so far, each with one field per column.
    public private(set) var rows: [[String]] = []

    /// An empty table with the given column names.
    public init(header: [String]) {
        ensure(!header.isEmpty, "a CSV table needs at least one column")
        self.header = header
    }

    /// Adds a row; it must have exactly one field per column.
    public mutating func append(_ row: [String]) {
        ensure(
            row.count == header.count,
            "CSV row has \(row.count) fields but the table has \(header.count) columns (\(header))")
        rows.append(row)
    }

    /// The whole table as CSV text, header first, ending with a line break.
    public var text: String {
        ([header] + rows).map { $0.map(Self.quoted).joined(separator: ",") + "\n" }.joined()
    }

    /// Writes ``text`` to `path`, atomically (see ``TextFile/write(_:to:)``).
    public func write(to path: String) throws(OutputFileError) {
        try TextFile.write(text, to: path)
    }

    /// One field, quoted if it needs to be.
    public static func quoted(_ field: String) -> String {
        // isNewline, not == "\n": Swift reads "\r\n" as one Character, equal to neither.
        let special = field.contains { $0 == "," || $0 == "\"" || $0.isNewline }
        let padded = field.first == " " || field.last == " "
        guard special || padded else { return field }
        var out = "\""
        for character in field {
            out += character == "\"" ? "\"\"" : String(character)
        }
        return out + "\""
    }
}

extension CSVTable {
    /// The records of CSV `text` as written by ``text``: fields split at commas, quoted
    /// ones unquoted (a doubled quote inside is one quote, a line break is kept).
    /// Nil when a quoted field is left open.
    public static func records(in text: String) -> [[String]]? {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(text)[...]
        while let c = characters.popFirst() {
            if quoted {
                if c == "\"" {
                    if characters.first == "\"" {
                        field.append("\"")
                        characters.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
            } else if c == "\"" && field.isEmpty {
                quoted = true
            } else if c == "," {
                record.append(field)
                field = ""
            } else if c == "\n" || c == "\r\n" {
                record.append(field)
                records.append(record)
                (record, field) = ([], "")
            } else {
                field.append(c)
            }
        }
        if quoted { return nil }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        return records
    }
}
