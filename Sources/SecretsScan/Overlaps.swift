/// Resolves candidates that cover the same bytes: of two overlapping candidates the one with
/// the higher confidence is kept, then the higher tier (`RuleID.tier`), then the longer one.
enum Overlaps {
    /// Above this many candidates in one overlapping cluster, a linear sweep replaces the
    /// exact choice (which is quadratic in the cluster).
    static let exactClusterLimit = 64

    /// The candidates that are kept, ordered by start, none overlapping another.
    static func resolve(_ candidates: [Candidate]) -> [Candidate] {
        let sorted = candidates.sorted { $0.start != $1.start ? $0.start < $1.start : $0.end < $1.end }
        var kept: [Candidate] = []
        kept.reserveCapacity(sorted.count)
        var i = 0
        while i < sorted.count {
            var j = i + 1
            var clusterEnd = sorted[i].end
            while j < sorted.count, sorted[j].start < clusterEnd {
                clusterEnd = max(clusterEnd, sorted[j].end)
                j += 1
            }
            if j == i + 1 {
                kept.append(sorted[i])
            } else if j - i <= exactClusterLimit {
                // Best first, each kept unless it overlaps one kept before it.
                var chosen: [Candidate] = []
                for candidate in sorted[i..<j].sorted(by: outranks)
                where !chosen.contains(where: { $0.start < candidate.end && candidate.start < $0.end }) {
                    chosen.append(candidate)
                }
                kept += chosen.sorted { $0.start < $1.start }
            } else {
                // In order of start, a candidate overlaps at most the last one kept.
                let first = kept.count
                for candidate in sorted[i..<j] {
                    if kept.count > first, let last = kept.last, candidate.start < last.end {
                        if outranks(candidate, last) { kept[kept.count - 1] = candidate }
                    } else {
                        kept.append(candidate)
                    }
                }
            }
            i = j
        }
        return kept
    }

    /// Whether `a` is kept over `b` when they overlap.
    static func outranks(_ a: Candidate, _ b: Candidate) -> Bool {
        let ra = rank[a.rule.rawValue], rb = rank[b.rule.rawValue]
        if ra != rb { return ra > rb }
        let la = a.end - a.start, lb = b.end - b.start
        if la != lb { return la > lb }
        if a.start != b.start { return a.start < b.start }
        return a.rule.rawValue < b.rule.rawValue
    }

    /// Per rule: confidence, then tier.
    private static let rank: [Int] = RuleID.allCases.map { rule in
        let confidence = switch rule.rule.confidence { case .low: 0; case .medium: 1; case .high: 2 }
        return confidence * 16 + rule.tier
    }
}
