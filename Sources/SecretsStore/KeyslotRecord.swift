/// One keyslot as stored: the master key wrapped for one unlock method (DESIGN §4).
/// Holds no key in the clear.
public struct KeyslotRecord: Sendable, Equatable {
    /// The kinds of keyslot the store accepts.
    public static let kinds: [String] = ["passphrase", "key-file", "systemd-credential"]

    /// Assigned by the store; ignored by `SecretStore.addKeyslot`.
    public var id: Int64
    /// `"passphrase"`, `"key-file"` or `"systemd-credential"`.
    public var kind: String
    /// Salt for deriving the wrapping key (Argon2id for passphrases).
    public var salt: [UInt8]
    /// AEAD nonce used to wrap the master key.
    public var nonce: [UInt8]
    /// The wrapped master key with its authentication tag.
    public var wrappedKey: [UInt8]
    /// Argon2id passes; set for passphrase slots only.
    public var argon2OpsLimit: UInt64?
    /// Argon2id memory in bytes; set for passphrase slots only.
    public var argon2MemLimitBytes: UInt64?
    /// When the slot was added, in milliseconds since the Unix epoch.
    public var createdAtUnixMs: Int64

    /// Makes a record; `id` is only meaningful on records read back from the store.
    public init(
        id: Int64 = 0, kind: String, salt: [UInt8], nonce: [UInt8], wrappedKey: [UInt8],
        argon2OpsLimit: UInt64? = nil, argon2MemLimitBytes: UInt64? = nil, createdAtUnixMs: Int64
    ) {
        self.id = id
        self.kind = kind
        self.salt = salt
        self.nonce = nonce
        self.wrappedKey = wrappedKey
        self.argon2OpsLimit = argon2OpsLimit
        self.argon2MemLimitBytes = argon2MemLimitBytes
        self.createdAtUnixMs = createdAtUnixMs
    }
}
