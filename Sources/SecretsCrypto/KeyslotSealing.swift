/// The master key wrapped for one keyslot: everything needed to unwrap it given the
/// passphrase or key file. Holds no secret in the clear.
public struct WrappedMasterKey: Sendable, Equatable {
    /// The Argon2id salt (16 bytes) or the HKDF salt of a key-file slot (32 bytes).
    public var salt: [UInt8]
    /// The XChaCha20-Poly1305 nonce (24 bytes).
    public var nonce: [UInt8]
    /// The encrypted master key and its tag (48 bytes).
    public var ciphertext: [UInt8]
    /// The Argon2id parameters of a passphrase slot; `nil` for a key-file slot.
    public var argon2: Argon2idParameters?

    /// A wrapped key as read back from storage.
    public init(salt: [UInt8], nonce: [UInt8], ciphertext: [UInt8], argon2: Argon2idParameters?) {
        self.salt = salt
        self.nonce = nonce
        self.ciphertext = ciphertext
        self.argon2 = argon2
    }
}

/// Wraps the 32-byte master key once per unlock method, as LUKS keyslots do.
///
/// The key-encryption key is Argon2id(passphrase, 16-byte salt) for a passphrase slot and
/// HKDF-SHA256(key-file key, 32-byte salt, "secrets-agent/v1/keyslot/key-file") for a
/// key-file slot. The master key is sealed with XChaCha20-Poly1305; the associated data is
/// the slot's label followed by the store id as a 4-byte big-endian length and the bytes.
public enum KeyslotSealing {
    static let passphraseLabel = "secrets-agent/v1/keyslot/passphrase"
    static let keyFileLabel = "secrets-agent/v1/keyslot/key-file"
    static let keyFileSaltByteCount = 32
    private static let algorithm = AEADAlgorithm.xchacha20poly1305

    /// Wraps `masterKey` under a passphrase.
    ///
    /// - Throws: `.weakParameters` if `parameters` is below `Argon2idParameters.minimum`;
    ///   `.invalidInput` if the master key is not 32 bytes or the passphrase is empty;
    ///   `.unavailable` if Argon2id could not allocate its memory.
    public static func wrap(
        masterKey: SecureBytes, passphrase: SecureBytes, parameters: Argon2idParameters, storeID: [UInt8]
    ) throws(CryptoError) -> WrappedMasterKey {
        try checkKey(masterKey, "master key")
        let salt = SecureRandom.bytes(Argon2id.saltByteCount)
        let key = try Argon2id.deriveKey(passphrase: passphrase, salt: salt, parameters: parameters)
        return try seal(masterKey, key: key, salt: salt, label: passphraseLabel, storeID: storeID, argon2: parameters)
    }

    /// Wraps `masterKey` under the 32-byte key read from a key file (see `KeyFile.parse`).
    ///
    /// - Throws: `.invalidInput` if either key is not 32 bytes.
    public static func wrap(
        masterKey: SecureBytes, keyFileKey: SecureBytes, storeID: [UInt8]
    ) throws(CryptoError) -> WrappedMasterKey {
        try checkKey(masterKey, "master key")
        try checkKey(keyFileKey, "key file key")
        let salt = SecureRandom.bytes(keyFileSaltByteCount)
        let key = keyFileEncryptionKey(keyFileKey, salt: salt)
        return try seal(masterKey, key: key, salt: salt, label: keyFileLabel, storeID: storeID, argon2: nil)
    }

    /// Unwraps the master key of a passphrase slot.
    ///
    /// - Returns: the master key, in secure memory that is inaccessible while idle.
    /// - Throws: `.authenticationFailed` ("wrong passphrase") if the passphrase is wrong, the
    ///   slot was altered or belongs to another store, or the slot is malformed;
    ///   `.weakParameters` if the stored parameters are below the minimum; `.invalidInput`
    ///   if the slot is a key-file slot or the passphrase is empty; `.unavailable` if
    ///   Argon2id could not allocate its memory.
    public static func unwrap(
        _ wrapped: WrappedMasterKey, passphrase: SecureBytes, storeID: [UInt8]
    ) throws(CryptoError) -> SecureBytes {
        guard let parameters = wrapped.argon2 else {
            throw CryptoError(.invalidInput, "keyslot is a key file slot, not a passphrase slot")
        }
        try checkShape(wrapped, saltByteCount: Argon2id.saltByteCount)
        let key = try Argon2id.deriveKey(passphrase: passphrase, salt: wrapped.salt, parameters: parameters)
        return try open(wrapped, key: key, label: passphraseLabel, storeID: storeID, failure: "wrong passphrase")
    }

    /// Unwraps the master key of a key-file slot.
    ///
    /// - Returns: the master key, in secure memory that is inaccessible while idle.
    /// - Throws: `.authenticationFailed` ("wrong key file") if the key is wrong, the slot was
    ///   altered or belongs to another store, or the slot is malformed; `.invalidInput` if
    ///   the slot is a passphrase slot or the key is not 32 bytes.
    public static func unwrap(
        _ wrapped: WrappedMasterKey, keyFileKey: SecureBytes, storeID: [UInt8]
    ) throws(CryptoError) -> SecureBytes {
        guard wrapped.argon2 == nil else {
            throw CryptoError(.invalidInput, "keyslot is a passphrase slot, not a key file slot")
        }
        try checkKey(keyFileKey, "key file key")
        try checkShape(wrapped, saltByteCount: keyFileSaltByteCount)
        let key = keyFileEncryptionKey(keyFileKey, salt: wrapped.salt)
        return try open(wrapped, key: key, label: keyFileLabel, storeID: storeID, failure: "wrong key file")
    }

    private static func keyFileEncryptionKey(_ keyFileKey: SecureBytes, salt: [UInt8]) -> SecureBytes {
        HKDF.sha256(inputKeyMaterial: keyFileKey, salt: salt, info: Array(keyFileLabel.utf8),
                    outputByteCount: AEAD.keyByteCount)
    }

    private static func associatedData(label: String, storeID: [UInt8]) -> [UInt8] {
        var data = Array(label.utf8)
        data.appendLengthPrefixed(storeID)
        return data
    }

    private static func seal(
        _ masterKey: SecureBytes, key: SecureBytes, salt: [UInt8], label: String, storeID: [UInt8],
        argon2: Argon2idParameters?
    ) throws(CryptoError) -> WrappedMasterKey {
        let associatedData = associatedData(label: label, storeID: storeID)
        let sealed = masterKey.withUnsafeBytes { plaintext in
            Result { () throws(CryptoError) in
                try AEAD.seal(plaintext, key: key, associatedData: associatedData, algorithm: algorithm)
            }
        }
        let (nonce, ciphertext) = try sealed.get()
        return WrappedMasterKey(salt: salt, nonce: nonce, ciphertext: ciphertext, argon2: argon2)
    }

    private static func open(
        _ wrapped: WrappedMasterKey, key: SecureBytes, label: String, storeID: [UInt8], failure: String
    ) throws(CryptoError) -> SecureBytes {
        do {
            return try AEAD.open(ciphertext: wrapped.ciphertext, nonce: wrapped.nonce, key: key,
                                 associatedData: associatedData(label: label, storeID: storeID),
                                 algorithm: algorithm, protectWhenIdle: true)
        } catch where error.kind == .authenticationFailed {
            throw CryptoError(.authenticationFailed, failure)
        }
    }

    /// Rejects a slot whose fields have the wrong lengths, so a tag failure can only mean a
    /// wrong secret or altered contents.
    private static func checkShape(_ wrapped: WrappedMasterKey, saltByteCount: Int) throws(CryptoError) {
        let nonceByteCount = AEAD.nonceByteCount(algorithm)
        let ciphertextByteCount = AEAD.keyByteCount + AEAD.tagByteCount
        guard wrapped.salt.count == saltByteCount, wrapped.nonce.count == nonceByteCount,
              wrapped.ciphertext.count == ciphertextByteCount else {
            throw CryptoError(.authenticationFailed, "keyslot is corrupt: salt, nonce and ciphertext are "
                + "\(wrapped.salt.count), \(wrapped.nonce.count) and \(wrapped.ciphertext.count) bytes, "
                + "want \(saltByteCount), \(nonceByteCount) and \(ciphertextByteCount)")
        }
    }

    private static func checkKey(_ key: SecureBytes, _ what: String) throws(CryptoError) {
        guard key.count == AEAD.keyByteCount else {
            throw CryptoError(.invalidInput, "\(what) is \(key.count) bytes, want \(AEAD.keyByteCount)")
        }
    }
}
