import SecretsCore
import SecretsStore

/// What a handler learned about the request for its audit entry: the operation, the
/// secret it names, the version, and whether the entry was already committed with a write.
struct AuditContext {
    var operation: String?
    var grant: Grant?
    var name: String?
    var environment: String?
    var version: UInt64?
    var detail: String?
    /// The entry went into the write's own transaction.
    var committed = false

    /// Operations that change nothing in the store or the agent: their entries may be
    /// committed after the reply (see `AuditTrail`).
    static let readOperations: Set<String> = [
        "get", "get-masked", "list", "history", "verify", "derive", "credential",
        "audit-query", "audit-verify", "keyslot-list", "watch",
    ]

    /// Whether this request only read (see `readOperations`).
    var isRead: Bool { operation.map(Self.readOperations.contains) ?? false }

    /// The record for this request with `outcome`.
    func record(_ peer: PeerIdentity, outcome: AuditOutcome, error: SecretsError? = nil, nowUnixMs: Int64) -> AuditRecord {
        AuditRecord(
            timeUnixMs: nowUnixMs, peerUID: peer.credentials.uid, peerGID: peer.credentials.gid,
            peerPID: peer.credentials.pid, exe: peer.executable, role: grant?.role.rawValue,
            operation: operation ?? "unknown", name: name, environment: environment, version: version,
            outcome: outcome, errorCode: error?.code.rawValue, detail: detail)
    }
}
