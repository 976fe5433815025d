internal import CSodium

/// Authenticated encryption with associated data: XChaCha20-Poly1305 (IETF construction,
/// the default) or AES-256-GCM, with a 32-byte key and a random nonce per message.
///
/// The ciphertext is the encrypted bytes followed by the 16-byte tag. Random 12-byte
/// AES-GCM nonces are safe here because every key in this project seals one message
/// (value keys are fresh per version, keyslot keys per slot).
public enum AEAD {
    /// Key length of both algorithms.
    static let keyByteCount = 32
    /// Tag length of both algorithms, appended to every ciphertext.
    static let tagByteCount = 16

    /// Whether `algorithm` can be used on this machine: always for XChaCha20-Poly1305;
    /// AES-256-GCM only where the CPU has AES-NI and PCLMUL.
    public static func isAvailable(_ algorithm: AEADAlgorithm) -> Bool {
        Sodium.ensureInitialized()
        switch algorithm {
        case .xchacha20poly1305: return true
        case .aes256gcm: return crypto_aead_aes256gcm_is_available() == 1
        }
    }

    /// The nonce length of `algorithm`: 24 bytes for XChaCha20-Poly1305, 12 for AES-256-GCM.
    public static func nonceByteCount(_ algorithm: AEADAlgorithm) -> Int {
        switch algorithm {
        case .xchacha20poly1305: Int(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
        case .aes256gcm: Int(crypto_aead_aes256gcm_NPUBBYTES)
        }
    }

    /// Encrypts and authenticates `plaintext`, and authenticates `associatedData`, under a
    /// fresh random nonce.
    ///
    /// - Returns: the nonce and the ciphertext (plaintext length + 16 tag bytes); neither is
    ///   secret.
    /// - Throws: `.invalidInput` if the key is not 32 bytes or the plaintext is longer than
    ///   the algorithm allows; `.unavailable` if AES-256-GCM is not supported here.
    public static func seal(
        _ plaintext: UnsafeRawBufferPointer, key: SecureBytes, associatedData: [UInt8], algorithm: AEADAlgorithm
    ) throws(CryptoError) -> (nonce: [UInt8], ciphertext: [UInt8]) {
        let sealed = key.withUnsafeBytes { keyBytes in
            Result { () throws(CryptoError) in
                try seal(plaintext, key: keyBytes, associatedData: associatedData, algorithm: algorithm)
            }
        }
        return try sealed.get()
    }

    /// `seal` with a key the caller holds in secure memory; the key length is checked.
    static func seal(
        _ plaintext: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer, associatedData: [UInt8], algorithm: AEADAlgorithm
    ) throws(CryptoError) -> (nonce: [UInt8], ciphertext: [UInt8]) {
        let nonce = SecureRandom.bytes(nonceByteCount(algorithm))
        return (nonce, try seal(plaintext, key: key, nonce: nonce, associatedData: associatedData, algorithm: algorithm))
    }

    /// `seal` under a nonce the caller drew (fresh and random: it must never repeat under a
    /// key), for formats whose associated data holds the nonce itself.
    static func seal(
        _ plaintext: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer, nonce: [UInt8], associatedData: [UInt8],
        algorithm: AEADAlgorithm
    ) throws(CryptoError) -> [UInt8] {
        precondition(nonce.count == nonceByteCount(algorithm), "wrong nonce length")
        try checkUsable(keyByteCount: key.count, algorithm: algorithm)
        guard UInt64(plaintext.count) <= maximumMessageByteCount(algorithm) else {
            throw CryptoError(.invalidInput, "plaintext is too long for \(algorithm.rawValue)")
        }
        let encrypt = switch algorithm {
        case .xchacha20poly1305: crypto_aead_xchacha20poly1305_ietf_encrypt
        case .aes256gcm: crypto_aead_aes256gcm_encrypt
        }
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count + tagByteCount)
        var ciphertextByteCount: UInt64 = 0
        let result = ciphertext.withUnsafeMutableBufferPointer { output in
            encrypt(output.baseAddress!, &ciphertextByteCount,
                    plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(plaintext.count),
                    associatedData, UInt64(associatedData.count), nil, nonce,
                    key.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        precondition(result == 0 && ciphertextByteCount == UInt64(ciphertext.count), "AEAD encryption failed")
        return ciphertext
    }

    /// Verifies and decrypts `ciphertext` (encrypted bytes followed by the 16-byte tag).
    ///
    /// - Returns: the plaintext, in secure memory.
    /// - Throws: `.authenticationFailed` if the tag does not verify (wrong key, or altered
    ///   ciphertext, nonce or associated data), if the nonce has the wrong length or the
    ///   ciphertext is shorter than a tag; `.invalidInput` if the key is not 32 bytes;
    ///   `.unavailable` if AES-256-GCM is not supported here.
    public static func open(
        ciphertext: [UInt8], nonce: [UInt8], key: SecureBytes, associatedData: [UInt8], algorithm: AEADAlgorithm
    ) throws(CryptoError) -> SecureBytes {
        try open(ciphertext: ciphertext, nonce: nonce, key: key, associatedData: associatedData,
                 algorithm: algorithm, protectWhenIdle: false)
    }

    /// `open`, with the plaintext allocated as `SecureBytes(protectWhenIdle:)`.
    static func open(
        ciphertext: [UInt8], nonce: [UInt8], key: SecureBytes, associatedData: [UInt8], algorithm: AEADAlgorithm,
        protectWhenIdle: Bool
    ) throws(CryptoError) -> SecureBytes {
        try checkUsable(keyByteCount: key.count, algorithm: algorithm)
        guard ciphertext.count >= tagByteCount else {
            throw CryptoError(.authenticationFailed, "ciphertext is shorter than its \(tagByteCount)-byte tag")
        }
        let plaintext = SecureBytes(count: ciphertext.count - tagByteCount, protectWhenIdle: protectWhenIdle)
        let opened = key.withUnsafeBytes { keyBytes in
            plaintext.withUnsafeMutableBytes { output in
                Result { () throws(CryptoError) in
                    try open(ciphertext: ciphertext, nonce: nonce, key: keyBytes, associatedData: associatedData,
                             algorithm: algorithm, into: output)
                }
            }
        }
        _ = try opened.get()
        return plaintext
    }

    /// `open` into caller-held secure memory of at least `ciphertext.count - 16` bytes.
    /// - Returns: the plaintext length.
    static func open(
        ciphertext: [UInt8], nonce: [UInt8], key: UnsafeRawBufferPointer, associatedData: [UInt8],
        algorithm: AEADAlgorithm, into output: UnsafeMutableRawBufferPointer
    ) throws(CryptoError) -> Int {
        try checkUsable(keyByteCount: key.count, algorithm: algorithm)
        guard nonce.count == nonceByteCount(algorithm) else {
            throw CryptoError(.authenticationFailed,
                              "nonce is \(nonce.count) bytes, \(algorithm.rawValue) wants \(nonceByteCount(algorithm))")
        }
        guard ciphertext.count >= tagByteCount else {
            throw CryptoError(.authenticationFailed, "ciphertext is shorter than its \(tagByteCount)-byte tag")
        }
        precondition(output.count >= ciphertext.count - tagByteCount, "plaintext buffer too small")
        let decrypt = switch algorithm {
        case .xchacha20poly1305: crypto_aead_xchacha20poly1305_ietf_decrypt
        case .aes256gcm: crypto_aead_aes256gcm_decrypt
        }
        var plaintextByteCount: UInt64 = 0
        let result = decrypt(output.baseAddress!.assumingMemoryBound(to: UInt8.self), &plaintextByteCount, nil,
                             ciphertext, UInt64(ciphertext.count), associatedData, UInt64(associatedData.count), nonce,
                             key.baseAddress!.assumingMemoryBound(to: UInt8.self))
        guard result == 0 else {
            throw CryptoError(.authenticationFailed,
                              "authentication failed: wrong key, or the ciphertext, nonce or associated data was altered")
        }
        return Int(plaintextByteCount)
    }

    private static func checkUsable(keyByteCount count: Int, algorithm: AEADAlgorithm) throws(CryptoError) {
        guard count == keyByteCount else {
            throw CryptoError(.invalidInput, "key is \(count) bytes, want \(keyByteCount)")
        }
        guard isAvailable(algorithm) else {
            throw CryptoError(.unavailable,
                              "aes256gcm needs a CPU with AES-NI and PCLMUL (use xchacha20poly1305 instead)")
        }
    }

    /// libsodium returns a `size_t` (imported as `Int`) that may exceed `Int.max`.
    private static func maximumMessageByteCount(_ algorithm: AEADAlgorithm) -> UInt64 {
        let maximum = switch algorithm {
        case .xchacha20poly1305: crypto_aead_xchacha20poly1305_ietf_messagebytes_max()
        case .aes256gcm: crypto_aead_aes256gcm_messagebytes_max()
        }
        return UInt64(UInt(bitPattern: maximum))
    }
}
