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

    /// The record for this request with `outcome`.
    func record(_ peer: PeerIdentity, outcome: AuditOutcome, error: SecretsError? = nil, nowUnixMs: Int64) -> AuditRecord {
        AuditRecord(
            timeUnixMs: nowUnixMs, peerUID: peer.credentials.uid, peerGID: peer.credentials.gid,
            peerPID: peer.credentials.pid, exe: peer.executable, role: grant?.role.rawValue,
            operation: operation ?? "unknown", name: name, environment: environment, version: version,
            outcome: outcome, errorCode: error?.code.rawValue, detail: detail)
    }
}
