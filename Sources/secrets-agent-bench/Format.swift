import Foundation

/// How the table writes numbers: "123,457", "12.3 us", "4.56 ms", "0.45x"; "-" for none.
enum Format {
    /// 123456.7 -> "123,457".
    static func grouped(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        let digits = String(Int(value.rounded()))
        var out = ""
        for (index, character) in digits.reversed().enumerated() {
            if index > 0 && index % 3 == 0 && character != "-" { out.append(",") }
            out.append(character)
        }
        return String(out.reversed())
    }

    static func micro(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value >= 1_000 ? String(format: "%.2f ms", value / 1_000) : String(format: "%.1f us", value)
    }

    static func milli(_ value: Double?) -> String {
        guard let value else { return "-" }
        return String(format: value >= 100 ? "%.0f ms" : "%.2f ms", value)
    }

    static func rate(_ value: Double?) -> String {
        guard let value else { return "-" }
        return "\(grouped(value))/s"
    }

    static func times(_ value: Double?) -> String {
        guard let value else { return "-" }
        return String(format: value < 0.1 ? "%.3fx" : "%.2fx", value)
    }

    /// `text` right-aligned in `width` columns (at least one space before it).
    static func right(_ text: String, _ width: Int) -> String {
        text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
    }

    /// `text` left-aligned in `width` columns.
    static func left(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text.padding(toLength: width, withPad: " ", startingAt: 0)
    }
}
