/// What a sealed value belongs to: its store, name, environment and version. Sealing
/// authenticates it as associated data, so a ciphertext moved to another row fails to open.
public struct ValueBinding: Sendable, Equatable {
    /// The store's random identifier.
    public var storeID: [UInt8]
    /// The secret's name.
    public var name: String
    /// The secret's environment.
    public var environment: String
    /// The version number of this value.
    public var version: UInt64

    /// A binding for one version of one secret in one store.
    public init(storeID: [UInt8], name: String, environment: String, version: UInt64) {
        self.storeID = storeID
        self.name = name
        self.environment = environment
        self.version = version
    }

    /// The canonical, unambiguous encoding: the ASCII label `secrets-agent/v1/value`, then
    /// store id, UTF-8 name and UTF-8 environment each as a 4-byte big-endian length and
    /// the bytes, then the version as 8 bytes big-endian.
    public var associatedData: [UInt8] {
        var data = Array(ValueSealing.label.utf8)
        data.appendLengthPrefixed(storeID)
        data.appendLengthPrefixed(Array(name.utf8))
        data.appendLengthPrefixed(Array(environment.utf8))
        data.appendBigEndian(version)
        return data
    }
}

/// Seals and opens stored secret values (DESIGN §4): every version gets a fresh 32-byte
/// salt and its own key DEK = HKDF-SHA256(master key, salt, "secrets-agent/v1/value"),
/// and is sealed with AEAD under a random nonce with the binding as associated data.
public enum ValueSealing {
    /// The length of the per-version HKDF salt.
    public static let saltByteCount = 32

    /// The HKDF info and the associated-data label.
    static let label = "secrets-agent/v1/value"

    /// Seals one version of a value.
    ///
    /// - Throws: `.invalidInput` if the master key is not 32 bytes or the value is too long
    ///   for the algorithm; `.unavailable` if `algorithm` is not supported here.
    public static func seal(
        _ value: UnsafeRawBufferPointer, masterKey: SecureBytes, binding: ValueBinding, algorithm: AEADAlgorithm
    ) throws(CryptoError) -> SealedValue {
        try checkMasterKey(masterKey)
        let salt = SecureRandom.bytes(saltByteCount)
        let key = dataEncryptionKey(masterKey: masterKey, salt: salt)
        let (nonce, ciphertext) = try AEAD.seal(value, key: key, associatedData: binding.associatedData,
                                                algorithm: algorithm)
        return SealedValue(algorithm: algorithm, salt: salt, nonce: nonce, ciphertext: ciphertext)
    }

    /// Opens a sealed value.
    ///
    /// - Returns: the value, in secure memory.
    /// - Throws: `.authenticationFailed` if the master key is wrong or the sealed value was
    ///   altered, truncated or moved to another store, name, environment or version;
    ///   `.invalidInput` if the master key is not 32 bytes; `.unavailable` if the
    ///   algorithm is not supported here.
    public static func open(
        _ sealed: SealedValue, masterKey: SecureBytes, binding: ValueBinding
    ) throws(CryptoError) -> SecureBytes {
        try checkMasterKey(masterKey)
        guard sealed.salt.count == saltByteCount else {
            throw CryptoError(.authenticationFailed,
                              "sealed value is corrupt: salt is \(sealed.salt.count) bytes, want \(saltByteCount)")
        }
        let key = dataEncryptionKey(masterKey: masterKey, salt: sealed.salt)
        do {
            return try AEAD.open(ciphertext: sealed.ciphertext, nonce: sealed.nonce, key: key,
                                 associatedData: binding.associatedData, algorithm: sealed.algorithm)
        } catch where error.kind == .authenticationFailed {
            throw CryptoError(.authenticationFailed, "sealed value failed authentication: wrong master key, "
                + "or it was altered or moved to another store, name, environment or version")
        }
    }

    private static func dataEncryptionKey(masterKey: SecureBytes, salt: [UInt8]) -> SecureBytes {
        HKDF.sha256(inputKeyMaterial: masterKey, salt: salt, info: Array(label.utf8),
                    outputByteCount: AEAD.keyByteCount)
    }

    private static func checkMasterKey(_ masterKey: SecureBytes) throws(CryptoError) {
        guard masterKey.count == AEAD.keyByteCount else {
            throw CryptoError(.invalidInput, "master key is \(masterKey.count) bytes, want \(AEAD.keyByteCount)")
        }
    }
}
