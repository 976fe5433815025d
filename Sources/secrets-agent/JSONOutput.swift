import Foundation

/// `--json` output: one JSON document on stdout, keys sorted.
enum JSONOutput {
    static func print(_ object: Any) {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]) else {
            Terminal.printError("secrets-agent: cannot encode JSON output")
            return
        }
        Terminal.write(fd: 1, Array(data) + [0x0A])
    }

    /// One JSON object on one line (for streams such as `watch --json`).
    static func printLine(_ object: Any) {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            Terminal.printError("secrets-agent: cannot encode JSON output")
            return
        }
        Terminal.write(fd: 1, Array(data) + [0x0A])
    }

    /// RFC 3339 UTC time for a Unix time in milliseconds.
    static func timestamp(_ unixMs: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: Double(unixMs) / 1000))
    }
}
