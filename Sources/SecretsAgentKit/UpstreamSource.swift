import SecretsCore
import SecretsCrypto

/// Where secrets live when the agent fronts a shared store (DESIGN §9): an OpenBao or
/// HashiCorp Vault KV v2 mount, or anything that answers like one. The agent holds one only
/// when `serve --upstream` asks for it; in local-only mode no upstream code path runs.
///
/// Every call blocks the calling thread (a connection thread of the agent) until the
/// upstream answers or times out. Errors follow one contract, which decides whether the
/// local cache may answer instead:
/// - `.unavailable`: the upstream could not be reached, timed out or answered 5xx. The
///   cache answers reads (marked stale) up to the configured staleness.
/// - `.notFound`: the upstream has no such secret (or no such version).
/// - `.conflict`: a check-and-set write found another version.
/// - `.permissionDenied`: the upstream refused the agent's credentials for this path.
/// - `.invalidArgument`: the upstream refused the request itself.
/// No message ever holds a token or a value.
public protocol UpstreamSource: Sendable {
    /// What the agent fronts, for logs and `status`, e.g. `http://127.0.0.1:8200 mount secret`.
    var summary: String { get }

    /// Checks the credentials (token look-up, or AppRole login) and starts keeping the
    /// token alive.
    /// - Throws: `.permissionDenied` when the credentials are refused (the agent does not
    ///   start); `.unavailable` when the upstream cannot be reached (the agent starts and
    ///   serves from its cache, retrying in the background).
    func start() throws(SecretsError)

    /// Stops renewing the token and releases connections.
    func stop()

    /// The value of a secret: its current version, or `version` when given.
    func read(_ name: SecretName, in environment: Environment, version: UInt64?) throws(SecretsError) -> UpstreamValue

    /// Writes a new version and returns its number. `checkAndSet` 0: only when the secret
    /// does not exist; N: only when its current version is N; nil: unconditionally.
    func write(_ name: SecretName, in environment: Environment, value: SecureBytes,
               checkAndSet: UInt64?) throws(SecretsError) -> UInt64

    /// The versions the upstream keeps of a secret.
    func metadata(_ name: SecretName, in environment: Environment) throws(SecretsError) -> UpstreamMetadata

    /// Removes a secret with all its versions.
    func delete(_ name: SecretName, in environment: Environment) throws(SecretsError)

    /// How the upstream looked at the last request.
    var health: UpstreamHealth { get }
}

/// A value read from an upstream, in locked memory.
public struct UpstreamValue: Sendable {
    /// The value.
    public var value: SecureBytes
    /// Its version upstream.
    public var version: UInt64

    /// Makes a value.
    public init(value: SecureBytes, version: UInt64) {
        self.value = value
        self.version = version
    }
}

/// One version an upstream keeps of a secret.
public struct UpstreamVersion: Sendable, Equatable {
    /// The version number.
    public var version: UInt64
    /// When it was written, in milliseconds since the Unix epoch.
    public var createdAtUnixMs: Int64
    /// Soft-deleted (KV v2 `deletion_time` set).
    public var deleted: Bool
    /// Destroyed (KV v2 `destroyed`).
    public var destroyed: Bool

    /// Makes a version record.
    public init(version: UInt64, createdAtUnixMs: Int64, deleted: Bool = false, destroyed: Bool = false) {
        self.version = version
        self.createdAtUnixMs = createdAtUnixMs
        self.deleted = deleted
        self.destroyed = destroyed
    }
}

/// What an upstream keeps of a secret: metadata only.
public struct UpstreamMetadata: Sendable, Equatable {
    /// The version a plain read returns.
    public var currentVersion: UInt64
    /// The kept versions, newest first.
    public var versions: [UpstreamVersion]

    /// Makes a metadata record.
    public init(currentVersion: UInt64, versions: [UpstreamVersion]) {
        self.currentVersion = currentVersion
        self.versions = versions
    }
}

/// How an upstream looked when last asked.
public struct UpstreamHealth: Sendable, Equatable {
    /// Whether the last request got an answer (any answer but a 5xx).
    public var reachable: Bool
    /// Why the last request failed; nil after a success.
    public var lastError: String?
    /// When the upstream last answered, in milliseconds since the Unix epoch; 0: never.
    public var lastContactUnixMs: Int64
    /// Seconds left on the token when it was last looked up or renewed; 0: unknown or
    /// not expiring.
    public var tokenTTLSeconds: UInt64

    /// Makes a health record.
    public init(reachable: Bool, lastError: String? = nil, lastContactUnixMs: Int64 = 0, tokenTTLSeconds: UInt64 = 0) {
        self.reachable = reachable
        self.lastError = lastError
        self.lastContactUnixMs = lastContactUnixMs
        self.tokenTTLSeconds = tokenTTLSeconds
    }
}
