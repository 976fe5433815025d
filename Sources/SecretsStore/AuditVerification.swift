/// The result of `SecretStore.verifyAudit`.
public struct AuditVerification: Sendable, Equatable {
    /// How many entries were read; when the trail is broken, up to and including the bad one.
    public var entriesChecked: Int
    /// The first sequence number where the trail stops being what the store wrote; `nil`
    /// when it is intact.
    public var firstBadSequence: UInt64?
    /// Why, e.g. "entry 17 was altered", "entry 17 is missing",
    /// "entry 18 does not follow entry 16"; `nil` when intact.
    public var reason: String?

    /// Whether no entry was edited, removed, reordered or inserted.
    public var isIntact: Bool { firstBadSequence == nil }

    /// A verification result.
    public init(entriesChecked: Int, firstBadSequence: UInt64? = nil, reason: String? = nil) {
        self.entriesChecked = entriesChecked
        self.firstBadSequence = firstBadSequence
        self.reason = reason
    }
}
