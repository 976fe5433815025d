/// How sure a rule is that what it matched is a live credential.
public enum Confidence: String, Sendable, Comparable, CaseIterable {
    case low, medium, high

    public static func < (a: Confidence, b: Confidence) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One credential format `scan` and `redact` know (DESIGN §12, issue 6).
public struct Rule: Sendable, Equatable {
    /// Stable id used in output, SARIF and baselines, e.g. `aws-access-key-id`.
    public let id: String
    /// One line a person reads in a report.
    public let description: String
    public let confidence: Confidence

    public init(id: String, description: String, confidence: Confidence) {
        self.id = id
        self.description = description
        self.confidence = confidence
    }
}
