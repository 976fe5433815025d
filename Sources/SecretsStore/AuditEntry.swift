/// One row of the audit trail as stored: a record with its place in the hash chain.
public struct AuditEntry: Sendable, Equatable {
    /// What an entry is.
    public enum Kind: String, Sendable {
        /// Something a caller recorded with `SecretStore.appendAudit` or a write's `audit:`.
        case event
        /// Written by `SecretStore.pruneAudit`: names the last entry it removed, so the
        /// chain can still be verified from the oldest entry left.
        case checkpoint
    }

    /// The entry's number: 1 for the first, then one more than the entry before.
    public var sequence: UInt64
    /// Event or checkpoint.
    public var kind: Kind
    /// What was recorded.
    public var record: AuditRecord
    /// The hash of entry `sequence - 1`; 32 zero bytes for entry 1.
    public var previousHash: [UInt8]
    /// HMAC-SHA256(audit key, `previousHash` ‖ canonical encoding of this entry).
    public var hash: [UInt8]

    /// An entry as read from the store.
    public init(sequence: UInt64, kind: Kind, record: AuditRecord, previousHash: [UInt8], hash: [UInt8]) {
        self.sequence = sequence
        self.kind = kind
        self.record = record
        self.previousHash = previousHash
        self.hash = hash
    }
}
