import SecretsProtocol
import SecretsStore

/// Audit entries in their wire form.
enum AuditWire {
    static func entry(_ entry: AuditEntry) -> SecretsAgent_V1_AuditEntry {
        var wire = SecretsAgent_V1_AuditEntry()
        let record = entry.record
        wire.sequence = entry.sequence
        wire.kind = entry.kind.rawValue
        wire.timeUnixMs = record.timeUnixMs
        if let uid = record.peerUID { wire.peerUid = uid }
        if let gid = record.peerGID { wire.peerGid = gid }
        if let pid = record.peerPID { wire.peerPid = pid }
        wire.exe = record.exe ?? ""
        wire.role = record.role ?? ""
        wire.operation = record.operation
        wire.name = record.name ?? ""
        wire.environment = record.environment ?? ""
        if let version = record.version { wire.version = version }
        wire.outcome = record.outcome.rawValue
        wire.errorCode = record.errorCode ?? ""
        wire.detail = record.detail ?? ""
        return wire
    }
}
