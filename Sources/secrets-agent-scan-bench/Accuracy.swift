import SecretsScan

/// The scores of a scanner's findings against the corpus labels: per rule and overall
/// (micro-averaged) matching (file, line, rule) exactly, and by line, which is how a scanner
/// with other rule names (detect-secrets) is compared like for like.
///
/// By line, a finding on any line a credential spans (`Corpus.spans`) finds that credential,
/// and only a finding on no credential's line is a false positive.
struct Accuracy: Sendable {
    /// Per rule, in `RuleCatalog` order, then any rule the catalog does not know.
    let perRule: [(rule: String, tally: Tally)]
    /// Summed over the rules.
    let overall: Tally
    let byLine: Tally
    /// The false positives of the headline score (by rule for ours, by line for a scanner
    /// scored by line) by what their line holds: a decoy kind, or where else it was.
    let falsePositiveCauses: [String: Int]
    /// Every false positive and false negative, for `misses.tsv`.
    let misses: [Miss]

    struct Miss: Sendable {
        enum Outcome: String, Sendable { case falsePositive = "false-positive", falseNegative = "false-negative" }
        let outcome: Outcome
        let file: Int
        let line: Int
        let rule: String
        let cause: String
    }

    /// Scores findings that carry a rule id.
    init(findings: Set<Corpus.Label>, corpus: Corpus) {
        let labels = corpus.labels
        var rules = RuleCatalog.ids
        rules += Set(findings.map(\.rule)).subtracting(rules).sorted()
        let reportedByRule = Dictionary(grouping: findings, by: \.rule)
        let labeledByRule = Dictionary(grouping: labels, by: \.rule)
        perRule = rules.map { rule in
            (rule, Tally(reported: Set(reportedByRule[rule] ?? []), expected: Set(labeledByRule[rule] ?? [])))
        }
        overall = perRule.reduce(Tally()) { $0 + $1.tally }
        byLine = Self.scoreByLine(Set(findings.map { Corpus.LineRef(file: $0.file, line: $0.line) }), corpus).tally

        let causes = LineCauses(corpus)
        var misses: [Miss] = []
        var causeCounts: [String: Int] = [:]
        for finding in findings where !labels.contains(finding) {
            let cause = causes.of(Corpus.LineRef(file: finding.file, line: finding.line))
            causeCounts[cause, default: 0] += 1
            misses.append(Miss(outcome: .falsePositive, file: finding.file, line: finding.line, rule: finding.rule, cause: cause))
        }
        for label in labels where !findings.contains(label) {
            let other = findings.filter { $0.file == label.file && $0.line == label.line }.map(\.rule).sorted()
            misses.append(Miss(outcome: .falseNegative, file: label.file, line: label.line, rule: label.rule,
                               cause: other.isEmpty ? "not found" : "reported as " + other.joined(separator: ",")))
        }
        self.misses = misses.sorted { ($0.file, $0.line, $0.rule) < ($1.file, $1.line, $1.rule) }
        falsePositiveCauses = causeCounts
    }

    /// Scores lines reported by a scanner whose types are not our rules (detect-secrets):
    /// by line, and per rule as the share of that rule's credentials it found.
    init(lines: Set<Corpus.LineRef>, corpus: Corpus) {
        let scored = Self.scoreByLine(lines, corpus)
        let labeledByRule = Dictionary(grouping: corpus.labels, by: \.rule)
        perRule = RuleCatalog.ids.map { rule in
            let labeled = labeledByRule[rule] ?? []
            var tally = Tally()
            tally.truePositives = labeled.filter { scored.found.contains($0) }.count
            tally.falseNegatives = labeled.count - tally.truePositives
            return (rule, tally)
        }
        byLine = scored.tally
        overall = scored.tally
        let causes = LineCauses(corpus)
        falsePositiveCauses = Dictionary(grouping: scored.falsePositives, by: causes.of).mapValues(\.count)
        misses = scored.falsePositives.map { Miss(outcome: .falsePositive, file: $0.file, line: $0.line, rule: "*", cause: causes.of($0)) }
            .sorted { ($0.file, $0.line) < ($1.file, $1.line) }
            + corpus.labels.subtracting(scored.found).map { Miss(outcome: .falseNegative, file: $0.file, line: $0.line, rule: $0.rule, cause: "not found") }
            .sorted { ($0.file, $0.line) < ($1.file, $1.line) }
    }

    /// Which credentials the reported lines find, and which lines are on no credential.
    static func scoreByLine(_ lines: Set<Corpus.LineRef>, _ corpus: Corpus)
        -> (tally: Tally, found: Set<Corpus.Label>, falsePositives: Set<Corpus.LineRef>) {
        let spanned = corpus.labelsBySpannedLine()
        var found = Set<Corpus.Label>()
        var falsePositives = Set<Corpus.LineRef>()
        for line in lines {
            if let labels = spanned[line] { found.formUnion(labels) } else { falsePositives.insert(line) }
        }
        var tally = Tally()
        tally.truePositives = found.count
        tally.falsePositives = falsePositives.count
        tally.falseNegatives = corpus.plants.count - found.count
        return (tally, found, falsePositives)
    }

    /// Runs `scanner` over every file of `corpus` (each file on its own, as `scan` on a
    /// directory does) and scores it.
    static func measure(_ scanner: Scanner, on corpus: Corpus) -> Accuracy {
        var findings = Set<Corpus.Label>()
        for (index, file) in corpus.files.enumerated() {
            for finding in scanner.scan(file.bytes) {
                findings.insert(Corpus.Label(file: index, line: finding.line, rule: finding.rule))
            }
        }
        return Accuracy(findings: findings, corpus: corpus)
    }

    /// `outcome<TAB>file<TAB>line<TAB>rule<TAB>cause`, one miss a line.
    func missesTSV(_ corpus: Corpus) -> String {
        "outcome\tfile\tline\trule\tcause\n" + misses.map {
            "\($0.outcome.rawValue)\t\(corpus.files[$0.file].path)\t\($0.line)\t\($0.rule)\t\($0.cause)\n"
        }.joined()
    }
}

/// What a line of the corpus holds, to explain a false positive on it.
struct LineCauses {
    static let otherRule = "labeled line, other rule"
    static let insideCredential = "inside a planted credential"
    static let unmarked = "unmarked line"

    private let decoys: [Corpus.LineRef: DecoyKind]
    private let labeled: Set<Corpus.LineRef>
    private let parts: Set<Corpus.LineRef>

    init(_ corpus: Corpus) {
        decoys = Dictionary(corpus.decoys.map { (Corpus.LineRef(file: $0.file, line: $0.line), $0.kind) }) { first, _ in first }
        labeled = Set(corpus.labels.map { Corpus.LineRef(file: $0.file, line: $0.line) })
        parts = corpus.partLines
    }

    func of(_ line: Corpus.LineRef) -> String {
        if labeled.contains(line) { return Self.otherRule }
        if parts.contains(line) { return Self.insideCredential }
        if let kind = decoys[line] { return kind.rawValue }
        return Self.unmarked
    }
}
