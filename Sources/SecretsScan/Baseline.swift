import Foundation
import SecretsCore

/// Findings accepted earlier, so `scan` reports only new ones: a JSON array of
/// `{"file", "rule", "hash"}` where `hash` is the fingerprint of the matched bytes (the
/// lowercase hex SHA-256), so the file holds no value and can be committed.
public struct Baseline: Sendable, Equatable {
    /// One accepted finding.
    public struct Entry: Sendable, Hashable, Codable, Comparable {
        public let file: String
        public let rule: String
        public let hash: String

        public init(file: String, rule: String, hash: String) {
            self.file = file
            self.rule = rule
            self.hash = hash
        }

        public init(_ entry: ScanReport.Entry) {
            self.init(file: entry.file, rule: entry.rule, hash: entry.hash)
        }

        public static func < (a: Entry, b: Entry) -> Bool {
            (a.file, a.rule, a.hash) < (b.file, b.rule, b.hash)
        }
    }

    public private(set) var entries: Set<Entry>

    /// A baseline accepting `entries`.
    public init(_ entries: some Sequence<Entry> = []) {
        self.entries = Set(entries)
    }

    /// A baseline accepting every finding of `report`.
    public init(accepting report: ScanReport) {
        self.init(report.entries.map(Entry.init))
    }

    /// Reads a baseline file's contents.
    /// - Throws: `.invalidArgument` when `data` is not a JSON array of entries.
    public init(decoding data: [UInt8]) throws(SecretsError) {
        do {
            self.init(try JSONDecoder().decode([Entry].self, from: Data(data)))
        } catch {
            throw .invalidArgument("not a baseline: want a JSON array of {\"file\", \"rule\", \"hash\"}")
        }
    }

    /// Whether the baseline accepts `entry`.
    public func accepts(_ entry: ScanReport.Entry) -> Bool {
        entries.contains(Entry(entry))
    }

    /// The file's contents: the entries sorted, one per line, ending with a newline.
    public func encoded() -> [UInt8] {
        let lines = entries.sorted().map { entry in
            "  {\"file\": \(ScanReport.quoted(entry.file)), \"rule\": \(ScanReport.quoted(entry.rule)), \"hash\": \(ScanReport.quoted(entry.hash))}"
        }
        return Array((lines.isEmpty ? "[]\n" : "[\n" + lines.joined(separator: ",\n") + "\n]\n").utf8)
    }

    /// `report` without the findings this baseline accepts (counted in `baselined`).
    public func filter(_ report: ScanReport) -> ScanReport {
        var kept = report
        kept.entries = report.entries.filter { !accepts($0) }
        kept.baselined += report.entries.count - kept.entries.count
        return kept
    }
}
