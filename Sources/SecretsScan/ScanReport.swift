import SecretsCore

/// What `scan` found: one entry per finding, holding where it is, which rule, its masked
/// form and a fingerprint, never the value (DESIGN §12).
public struct ScanReport: Sendable, Equatable {
    /// One finding as reported.
    public struct Entry: Sendable, Equatable, Hashable {
        /// The file as named in the report (`-` for stdin; in history, the path in the commit).
        public let file: String
        public let line: Int
        public let column: Int
        public let endLine: Int
        /// Exclusive, in bytes.
        public let endColumn: Int
        public let rule: String
        public let confidence: Confidence
        /// `Masking.mask` of the matched bytes.
        public let masked: String
        /// The fingerprint of the matched bytes (lowercase hex SHA-256 in the CLI): what a
        /// baseline and SARIF's `partialFingerprints` hold.
        public let hash: String
        /// The commit that added it, in history mode.
        public let commit: String?

        public init(file: String, line: Int, column: Int, endLine: Int, endColumn: Int, rule: String,
                    confidence: Confidence, masked: String, hash: String, commit: String? = nil) {
            self.file = file
            self.line = line
            self.column = column
            self.endLine = endLine
            self.endColumn = endColumn
            self.rule = rule
            self.confidence = confidence
            self.masked = masked
            self.hash = hash
            self.commit = commit
        }

        /// The entry for `finding`, whose bytes are `matched`; `fingerprint` turns bytes
        /// into `hash`.
        public init(_ finding: Finding, matched: UnsafeRawBufferPointer, file: String, commit: String? = nil,
                    fingerprint: (UnsafeRawBufferPointer) -> String) {
            self.init(file: file, line: finding.line, column: finding.column, endLine: finding.endLine,
                      endColumn: finding.endColumn, rule: finding.rule, confidence: finding.confidence,
                      masked: Masking.mask(matched), hash: fingerprint(matched), commit: commit)
        }

        /// `path:line:column: rule-id (confidence): masked`, prefixed with `commit:` in history mode.
        public var text: String {
            let location = "\(file):\(line):\(column)"
            return "\(commit.map { $0 + ":" } ?? "")\(location): \(rule) (\(confidence.rawValue)): \(masked)"
        }
    }

    /// The findings, in the order found.
    public var entries: [Entry] = []
    /// Files read and scanned (stdin counts as one; in history mode, commits).
    public var scanned = 0
    /// Files left out: binary, over the size limit, links and special files.
    public var skipped = 0
    /// Findings dropped because the baseline holds them.
    public var baselined = 0
    /// Paths that could not be read.
    public var unreadable = 0

    public init() {}

    /// The line `scan` prints on stderr at the end; `unit` names what `scanned` counts.
    public func summary(unit: String = "file") -> String {
        func count(_ n: Int, _ one: String) -> String { "\(n) \(one)\(n == 1 ? "" : "s")" }
        var parts = [count(scanned, unit) + " scanned"]
        if skipped > 0 { parts.append("\(skipped) skipped") }
        if baselined > 0 { parts.append("\(baselined) in the baseline") }
        if unreadable > 0 { parts.append("\(unreadable) unreadable") }
        let files = Set(entries.map(\.file)).count
        let found = entries.isEmpty ? "no findings" : "\(count(entries.count, "finding")) in \(count(files, "file"))"
        return "scan: \(found) (\(parts.joined(separator: ", ")))"
    }
}
