import SecretsCore

/// What `SecretStore.list` says about one secret: never its value.
public struct SecretMetadata: Sendable, Equatable {
    /// The secret's name.
    public var name: SecretName
    /// The environment it lives in.
    public var environment: Environment
    /// The version a plain get returns.
    public var currentVersion: UInt64
    /// When the secret was first written, in milliseconds since the Unix epoch.
    public var createdAtUnixMs: Int64
    /// When its current version was written, in milliseconds since the Unix epoch.
    public var updatedAtUnixMs: Int64
    /// How many versions are kept (at most `SecretLimits.versionsKept`).
    public var versionCount: Int
    /// Rotation policy: due this many seconds after the last change; `nil`: none.
    public var rotateEverySeconds: UInt64?
    /// How the agent drew the current value (`ValueGenerator.spec`); `nil` when a caller
    /// supplied it.
    public var generator: String?

    /// When the secret falls due for rotation; `nil` without a policy.
    public var rotationDueUnixMs: Int64? {
        rotateEverySeconds.map { updatedAtUnixMs &+ Int64(clamping: $0) &* 1000 }
    }

    /// Makes a metadata record.
    public init(
        name: SecretName, environment: Environment, currentVersion: UInt64,
        createdAtUnixMs: Int64, updatedAtUnixMs: Int64, versionCount: Int,
        rotateEverySeconds: UInt64? = nil, generator: String? = nil
    ) {
        self.rotateEverySeconds = rotateEverySeconds
        self.generator = generator
        self.name = name
        self.environment = environment
        self.currentVersion = currentVersion
        self.createdAtUnixMs = createdAtUnixMs
        self.updatedAtUnixMs = updatedAtUnixMs
        self.versionCount = versionCount
    }
}
