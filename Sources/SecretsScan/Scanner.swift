/// Finds credentials in bytes: every rule of `Scanner.rules`, with known placeholders and
/// documentation examples excluded and lines marked `secrets-agent:allow` suppressed.
///
/// One pass over the bytes finds the positions where a rule's anchor can start (a 64 Kib
/// table of the first two bytes of each anchor); a hand-written validator per rule then reads
/// a bounded distance around each, so a scan is linear in the input, with no regular
/// expressions and no allocation per byte. Where two rules match overlapping bytes, the
/// finding with the higher confidence is kept, then the more specific rule (a PEM block over
/// a token inside it, a prefixed token over a keyword assignment), then the longer match.
public struct Scanner: Sendable {
    /// Every rule this scanner knows, in a stable order.
    public static let rules: [Rule] = RuleID.allCases.map(\.rule)

    /// The rule with id `id`, or nil when there is none.
    public static func rule(id: String) -> Rule? {
        rules.first { $0.id == id }
    }

    /// The rules this scanner applies.
    public let enabled: Set<String>

    /// Whether a finding on a line containing `secrets-agent:allow` is dropped (true unless
    /// the scanner was made with `appliesInlineAllows: false`, e.g. to audit the allows).
    public let appliesInlineAllows: Bool

    /// `enabled` as bits of `RuleID` raw values.
    let mask: UInt64

    /// A scanner for the rules named in `ruleIDs` (nil: all); ids of no rule are ignored.
    public init(ruleIDs: Set<String>? = nil) {
        self.init(ruleIDs: ruleIDs, appliesInlineAllows: true)
    }

    /// A scanner for the rules named in `ruleIDs` (nil: all) that drops the findings on
    /// lines marked `secrets-agent:allow` only when `appliesInlineAllows` is true.
    public init(ruleIDs: Set<String>? = nil, appliesInlineAllows: Bool) {
        enabled = ruleIDs ?? Set(Scanner.rules.map(\.id))
        self.appliesInlineAllows = appliesInlineAllows
        var mask: UInt64 = 0
        for rule in RuleID.allCases where enabled.contains(rule.rule.id) { mask |= 1 << UInt64(rule.rawValue) }
        self.mask = mask
    }

    /// Findings in `bytes`, ordered by start offset, none overlapping another.
    public func scan(_ bytes: [UInt8]) -> [Finding] {
        bytes.withUnsafeBytes { scan($0) }
    }

    /// Findings in `bytes`, ordered by start offset, none overlapping another.
    public func scan(_ bytes: UnsafeRawBufferPointer) -> [Finding] {
        guard let base = bytes.baseAddress, !bytes.isEmpty, mask != 0 else { return [] }
        let text = ScanText(base: base, count: bytes.count)
        var pass = ScanPass(text: text, mask: mask)
        pass.run()
        guard !pass.candidates.isEmpty else { return [] }
        let kept = Overlaps.resolve(pass.candidates)

        var allowedLines: [Int] = []
        if appliesInlineAllows, !pass.allowMarkers.isEmpty {
            var counter = LineCounter(text)
            allowedLines = pass.allowMarkers.map { counter.locate($0).line }
        }
        var counter = LineCounter(text)
        var allowed = 0
        var findings: [Finding] = []
        findings.reserveCapacity(kept.count)
        for candidate in kept {
            let start = counter.locate(candidate.start)
            let last = counter.locate(candidate.end - 1)
            while allowed < allowedLines.count, allowedLines[allowed] < start.line { allowed += 1 }
            if allowed < allowedLines.count, allowedLines[allowed] == start.line { continue }
            findings.append(Finding(rule: Scanner.rules[candidate.rule.rawValue].id,
                                    confidence: Scanner.rules[candidate.rule.rawValue].confidence,
                                    start: candidate.start, end: candidate.end, line: start.line, column: start.column,
                                    endLine: last.line, endColumn: last.column + 1))
        }
        return findings
    }
}
