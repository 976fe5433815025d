/// An AEAD algorithm the store may be initialized with (DESIGN §4).
public enum AEADAlgorithm: String, Sendable, CaseIterable {
    /// XChaCha20-Poly1305 (24-byte nonce). The default.
    case xchacha20poly1305
    /// AES-256-GCM (12-byte nonce); only where the CPU has AES-NI.
    case aes256gcm
}

/// One encrypted value version as stored: the per-version HKDF salt, the AEAD nonce and
/// the ciphertext with its tag. Holds no secret in the clear.
public struct SealedValue: Sendable, Equatable {
    public var algorithm: AEADAlgorithm
    public var salt: [UInt8]
    public var nonce: [UInt8]
    public var ciphertext: [UInt8]

    public init(algorithm: AEADAlgorithm, salt: [UInt8], nonce: [UInt8], ciphertext: [UInt8]) {
        self.algorithm = algorithm
        self.salt = salt
        self.nonce = nonce
        self.ciphertext = ciphertext
    }
}
