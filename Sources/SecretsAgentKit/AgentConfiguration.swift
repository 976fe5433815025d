import SecretsCore

/// How `secrets-agent serve` runs. Every field has the documented default.
public struct AgentConfiguration: Sendable {
    /// The Unix socket to listen on. Its directory is created 0700 if missing and must not
    /// be group/world-writable or owned by another user.
    public var socketPath: String
    /// The SQLite store, created by `secrets-agent init`.
    public var storePath: String
    /// A key file that unlocks the store at start; nil starts locked.
    public var unlockKeyFile: String?
    /// A systemd credential (in `$CREDENTIALS_DIRECTORY`) that unlocks the store at start.
    public var unlockCredential: String?
    /// Lock after this many seconds without a request; 0 never.
    public var idleLockSeconds: Int = 0
    /// The policy file (DESIGN §6); nil serves only the agent's own uid. SIGHUP reloads it.
    public var policyPath: String?
    /// The socket's mode; nil derives it from the policy (0600, 0660 or 0666, DESIGN §10).
    public var socketMode: UInt32?
    /// Audit entries older than this are pruned, leaving a checkpoint entry.
    public var auditRetentionDays: Int = 90
    /// How often the agent looks for secrets due for rotation (and redraws generated ones).
    public var rotationCheckSeconds: Int = 60
    /// Most connections served at once; more are answered RESOURCE_EXHAUSTED and closed.
    public var maxConnections: Int = 1024
    /// How long SIGTERM waits for in-flight requests before exiting anyway.
    public var shutdownGraceSeconds: Double = 5
    /// A second socket that serves systemd's `LoadCredential=ID:PATH` (`CredentialSocket`);
    /// nil serves none. Created like the agent's socket, mode 0600: only root (the service
    /// manager) and the agent's own uid are answered.
    public var credentialSocketPath: String?
    /// The environment a credential is read from when the unit's rule does not name exactly
    /// one (the rule must still allow it).
    public var credentialEnvironment: Environment = .development
    /// An OpenBao / Vault upstream that holds the secrets, with the local store as its
    /// encrypted cache; nil (the default) keeps every secret local.
    public var upstream: UpstreamSettings?
    /// Answer reads only once their audit entries are durable; by default they are
    /// committed within 2 ms of the reply (see `AuditTrail`). Writes always wait.
    public var durableReadAudit = false

    public init(socketPath: String, storePath: String, unlockKeyFile: String? = nil) {
        self.socketPath = socketPath
        self.storePath = storePath
        self.unlockKeyFile = unlockKeyFile
    }
}
