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
        // One allocation of the exact size: this is built for every get.
        let label = ValueSealing.label.utf8, name = name.utf8, environment = environment.utf8
        var data: [UInt8] = []
        data.reserveCapacity(label.count + 4 + storeID.count + 4 + name.count + 4 + environment.count + 8)
        data.append(contentsOf: label)
        data.appendLengthPrefixed(storeID)
        data.appendLengthPrefixed(name)
        data.appendLengthPrefixed(environment)
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
        let sealed = ScratchPool.shared.withScratch(byteCount: AEAD.keyByteCount) { key in
            deriveKey(masterKey: masterKey, salt: salt, into: key)
            return Result { () throws(CryptoError) in
                try AEAD.seal(value, key: UnsafeRawBufferPointer(key), associatedData: binding.associatedData,
                              algorithm: algorithm)
            }
        }
        let (nonce, ciphertext) = try sealed.get()
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
        try open(sealed, masterKey: masterKey, binding: binding) { SecureBytes(copying: $0) }
    }

    /// Opens a sealed value and lends it to `body`. The key and the plaintext live in reused
    /// locked scratch memory and are wiped when `body` returns: no allocation per value.
    /// The pointer must not escape `body`. Throws as `open(_:masterKey:binding:)`.
    ///
    /// With `keyCache`, the value's key comes from the cache when it holds it, and the
    /// master key is touched only on a miss.
    public static func open<R>(
        _ sealed: SealedValue, masterKey: SecureBytes, binding: ValueBinding, keyCache: ValueKeyCache? = nil,
        _ body: (UnsafeRawBufferPointer) -> R
    ) throws(CryptoError) -> R {
        try checkMasterKey(masterKey)
        guard sealed.salt.count == saltByteCount else {
            throw CryptoError(.authenticationFailed,
                              "sealed value is corrupt: salt is \(sealed.salt.count) bytes, want \(saltByteCount)")
        }
        let plaintextByteCount = max(0, sealed.ciphertext.count - AEAD.tagByteCount)
        let result = ScratchPool.shared.withScratch(byteCount: AEAD.keyByteCount + plaintextByteCount) { scratch in
            let key = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<AEAD.keyByteCount])
            let output = UnsafeMutableRawBufferPointer(rebasing: scratch[AEAD.keyByteCount...])
            if let keyCache {
                keyCache.key(forSalt: sealed.salt, into: key) { deriveKey(masterKey: masterKey, salt: sealed.salt, into: $0) }
            } else {
                deriveKey(masterKey: masterKey, salt: sealed.salt, into: key)
            }
            do throws(CryptoError) {
                let count = try AEAD.open(ciphertext: sealed.ciphertext, nonce: sealed.nonce, key: UnsafeRawBufferPointer(key),
                                          associatedData: binding.associatedData, algorithm: sealed.algorithm, into: output)
                return Result<R, CryptoError>.success(body(UnsafeRawBufferPointer(rebasing: output[0..<count])))
            } catch where error.kind == .authenticationFailed {
                return .failure(CryptoError(.authenticationFailed, "sealed value failed authentication: wrong master key, "
                    + "or it was altered or moved to another store, name, environment or version"))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// DEK = HKDF-SHA256(master key, salt, "secrets-agent/v1/value"), into `key`.
    private static func deriveKey(masterKey: SecureBytes, salt: [UInt8], into key: UnsafeMutableRawBufferPointer) {
        masterKey.withUnsafeBytes { ikm in
            HKDF.sha256(inputKeyMaterial: ikm, salt: salt, info: info, into: key)
        }
    }

    private static let info = Array(label.utf8)

    private static func checkMasterKey(_ masterKey: SecureBytes) throws(CryptoError) {
        guard masterKey.count == AEAD.keyByteCount else {
            throw CryptoError(.invalidInput, "master key is \(masterKey.count) bytes, want \(AEAD.keyByteCount)")
        }
    }
}
