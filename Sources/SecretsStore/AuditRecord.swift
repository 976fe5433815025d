/// How an audited operation ended.
public enum AuditOutcome: String, Sendable {
    /// It was done.
    case ok
    /// Policy refused it.
    case denied
    /// It failed; `AuditRecord.errorCode` says how.
    case error
}

/// What a caller appends to the audit trail (DESIGN §7): who asked for what, and how it
/// ended. There is no field for a secret's value, and none may be put in `detail`.
public struct AuditRecord: Sendable, Equatable {
    /// When the operation happened, in milliseconds since the Unix epoch.
    public var timeUnixMs: Int64
    /// The peer's uid, from `SO_PEERCRED`; `nil` when there is no peer (the agent itself).
    public var peerUID: UInt32?
    /// The peer's gid.
    public var peerGID: UInt32?
    /// The peer's pid.
    public var peerPID: Int32?
    /// The peer's executable (`/proc/PID/exe`), when known.
    public var exe: String?
    /// The role the policy gave the peer (`admin`, `viewer`, `agent`), when one matched.
    public var role: String?
    /// The operation, e.g. `get`, `put`, `unlock`.
    public var operation: String
    /// The secret's name, for operations that name one.
    public var name: String?
    /// The secret's environment.
    public var environment: String?
    /// The version read or written. `SecretStore.put(…, audit:)` sets it to the new version
    /// and `delete(…, audit:)` to `nil`. At most `Int64.max`.
    public var version: UInt64?
    /// How the operation ended.
    public var outcome: AuditOutcome
    /// The wire error code (`SecretsError.Code.rawValue`) when `outcome` is not `.ok`.
    public var errorCode: String?
    /// Free text for anything else worth keeping; never a value.
    public var detail: String?

    /// A record; everything but the time, the operation and the outcome is optional.
    public init(
        timeUnixMs: Int64, peerUID: UInt32? = nil, peerGID: UInt32? = nil, peerPID: Int32? = nil,
        exe: String? = nil, role: String? = nil, operation: String, name: String? = nil,
        environment: String? = nil, version: UInt64? = nil, outcome: AuditOutcome,
        errorCode: String? = nil, detail: String? = nil
    ) {
        self.timeUnixMs = timeUnixMs
        self.peerUID = peerUID
        self.peerGID = peerGID
        self.peerPID = peerPID
        self.exe = exe
        self.role = role
        self.operation = operation
        self.name = name
        self.environment = environment
        self.version = version
        self.outcome = outcome
        self.errorCode = errorCode
        self.detail = detail
    }
}
