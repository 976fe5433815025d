extension ScanReport {
    /// The keys of one `--json` object, in order (DESIGN §12); `commit` follows in history mode.
    public static let jsonKeys = ["file", "line", "column", "end_line", "end_column", "rule", "confidence", "masked"]

    /// `scan --json`: one JSON array, one object per line, keys in the order of `jsonKeys`
    /// (plus `commit` when `history`, even if nil). Ends with a newline.
    public func json(history: Bool = false) -> String {
        guard !entries.isEmpty else { return "[]\n" }
        let objects = entries.map { entry -> String in
            var fields = [
                ("file", ScanReport.quoted(entry.file)), ("line", String(entry.line)), ("column", String(entry.column)),
                ("end_line", String(entry.endLine)), ("end_column", String(entry.endColumn)),
                ("rule", ScanReport.quoted(entry.rule)), ("confidence", ScanReport.quoted(entry.confidence.rawValue)),
                ("masked", ScanReport.quoted(entry.masked)),
            ]
            if history { fields.append(("commit", entry.commit.map(ScanReport.quoted) ?? "null")) }
            return "  {" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
        }
        return "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    }

    /// `text` as a JSON string literal.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
