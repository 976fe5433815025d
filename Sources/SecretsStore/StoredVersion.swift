import SecretsCrypto

/// One stored version of a secret: its sealed (encrypted) value and who wrote it when.
/// Holds no value in the clear.
public struct StoredVersion: Sendable {
    /// The version number, 1 for the first version of a secret.
    public var version: UInt64
    /// The ciphertext with its salt, nonce and algorithm.
    public var sealed: SealedValue
    /// When the version was written, in milliseconds since the Unix epoch.
    public var createdAtUnixMs: Int64
    /// The uid of the peer that wrote it.
    public var createdByUID: UInt32

    /// Makes a stored version.
    public init(version: UInt64, sealed: SealedValue, createdAtUnixMs: Int64, createdByUID: UInt32) {
        self.version = version
        self.sealed = sealed
        self.createdAtUnixMs = createdAtUnixMs
        self.createdByUID = createdByUID
    }
}
