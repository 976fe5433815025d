import SecretsCrypto

/// An audit entry to write in the same transaction as a `put` or `delete`, so the write
/// and its entry commit together or not at all.
public struct AuditAppend: Sendable {
    /// The record; its `version` is filled in by the write.
    public var record: AuditRecord
    /// The audit key, HKDF(MK, "secrets-agent/v1/audit").
    public var key: SecureBytes

    /// An entry to append under `key`.
    public init(record: AuditRecord, key: SecureBytes) {
        self.record = record
        self.key = key
    }
}
