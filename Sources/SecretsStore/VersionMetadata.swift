/// What `SecretStore.history` says about one kept version: never its value.
public struct VersionMetadata: Sendable, Equatable {
    /// The version number.
    public var version: UInt64
    /// When it was written, in milliseconds since the Unix epoch.
    public var createdAtUnixMs: Int64
    /// The uid of the peer that wrote it.
    public var createdByUID: UInt32
    /// Whether this is the version a plain get returns.
    public var isCurrent: Bool

    /// Makes a version record.
    public init(version: UInt64, createdAtUnixMs: Int64, createdByUID: UInt32, isCurrent: Bool) {
        self.version = version
        self.createdAtUnixMs = createdAtUnixMs
        self.createdByUID = createdByUID
        self.isCurrent = isCurrent
    }
}
