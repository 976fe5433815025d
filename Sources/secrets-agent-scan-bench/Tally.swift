/// True positives, false positives and false negatives of one rule (or of all), and the
/// scores they give.
struct Tally: Sendable, Equatable {
    var truePositives = 0
    var falsePositives = 0
    var falseNegatives = 0

    /// Of what was reported, the share that was labeled; nil when nothing was reported.
    var precision: Double? {
        truePositives + falsePositives == 0 ? nil : Double(truePositives) / Double(truePositives + falsePositives)
    }

    /// Of what was labeled, the share that was reported; nil when nothing was labeled.
    var recall: Double? {
        truePositives + falseNegatives == 0 ? nil : Double(truePositives) / Double(truePositives + falseNegatives)
    }

    /// 2TP / (2TP + FP + FN): the harmonic mean of precision and recall, 0 when nothing was
    /// found, nil when there was nothing to find and nothing was reported.
    var f1: Double? {
        let denominator = 2 * truePositives + falsePositives + falseNegatives
        return denominator == 0 ? nil : Double(2 * truePositives) / Double(denominator)
    }

    var labeled: Int { truePositives + falseNegatives }

    /// Tallies `reported` against `expected`.
    init<T: Hashable>(reported: Set<T>, expected: Set<T>) {
        truePositives = reported.intersection(expected).count
        falsePositives = reported.count - truePositives
        falseNegatives = expected.count - truePositives
    }

    init() {}

    static func + (a: Tally, b: Tally) -> Tally {
        var sum = Tally()
        sum.truePositives = a.truePositives + b.truePositives
        sum.falsePositives = a.falsePositives + b.falsePositives
        sum.falseNegatives = a.falseNegatives + b.falseNegatives
        return sum
    }
}
