internal import CSodium

/// Argon2id cost parameters, stored in every passphrase keyslot so a slot can be opened
/// with the parameters it was made with.
public struct Argon2idParameters: Sendable, Equatable {
    /// Number of passes over memory (Argon2's t).
    public var opsLimit: UInt64
    /// Memory to use, in bytes (Argon2's m is this divided by 1024).
    public var memLimitBytes: UInt64

    /// Parameters as given; `Argon2id.deriveKey` rejects them if below `minimum`.
    public init(opsLimit: UInt64, memLimitBytes: UInt64) {
        self.opsLimit = opsLimit
        self.memLimitBytes = memLimitBytes
    }

    /// The default: libsodium's MODERATE limits, 3 passes over 256 MiB.
    public static let moderate = Argon2idParameters(
        opsLimit: UInt64(crypto_pwhash_OPSLIMIT_MODERATE), memLimitBytes: UInt64(crypto_pwhash_MEMLIMIT_MODERATE))

    /// The weakest parameters accepted: 3 passes over 64 MiB.
    public static let minimum = Argon2idParameters(opsLimit: 3, memLimitBytes: 64 << 20)
}

/// Argon2id (version 1.3) password hashing, for turning a passphrase into a key.
/// Only for passphrases: keys derived from a random key use `HKDF`.
public enum Argon2id {
    /// The salt length libsodium requires (`crypto_pwhash_SALTBYTES`).
    public static let saltByteCount = Int(crypto_pwhash_SALTBYTES)

    /// The length of the derived key.
    static let keyByteCount = 32

    /// Derives a 32-byte key from `passphrase` and `salt`.
    ///
    /// - Returns: the key, in secure memory.
    /// - Throws: `.weakParameters` if `parameters` is below `Argon2idParameters.minimum`;
    ///   `.invalidInput` if the passphrase is empty, the salt is not 16 bytes or the
    ///   parameters exceed libsodium's maximum; `.unavailable` if the memory could not be
    ///   allocated.
    public static func deriveKey(
        passphrase: SecureBytes, salt: [UInt8], parameters: Argon2idParameters
    ) throws(CryptoError) -> SecureBytes {
        Sodium.ensureInitialized()
        let minimum = Argon2idParameters.minimum
        guard parameters.opsLimit >= minimum.opsLimit, parameters.memLimitBytes >= minimum.memLimitBytes else {
            throw CryptoError(.weakParameters, "argon2id parameters \(describe(parameters)) are below the minimum "
                + "of \(describe(minimum))")
        }
        // The maxima are size_t, imported as Int.
        guard parameters.opsLimit <= UInt64(UInt(bitPattern: crypto_pwhash_opslimit_max())),
              parameters.memLimitBytes <= UInt64(UInt(bitPattern: crypto_pwhash_memlimit_max())) else {
            throw CryptoError(.invalidInput, "argon2id parameters \(describe(parameters)) exceed libsodium's maximum")
        }
        guard passphrase.count > 0 else {
            throw CryptoError(.invalidInput, "passphrase is empty")
        }
        guard UInt(passphrase.count) <= UInt(bitPattern: crypto_pwhash_passwd_max()) else {
            throw CryptoError(.invalidInput, "passphrase is too long")
        }
        guard salt.count == saltByteCount else {
            throw CryptoError(.invalidInput, "argon2id salt is \(salt.count) bytes, want \(saltByteCount)")
        }
        let key = SecureBytes(count: keyByteCount)
        let result = passphrase.withUnsafeBytes { secret in
            key.withUnsafeMutableBytes { output in
                crypto_pwhash(output.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(keyByteCount),
                              secret.baseAddress!.assumingMemoryBound(to: CChar.self), UInt64(secret.count),
                              salt, parameters.opsLimit, Int(parameters.memLimitBytes),
                              crypto_pwhash_ALG_ARGON2ID13)
            }
        }
        guard result == 0 else {
            throw CryptoError(.unavailable, "argon2id could not allocate \(parameters.memLimitBytes >> 20) MiB "
                + "(free memory or lower the limit)")
        }
        return key
    }

    private static func describe(_ parameters: Argon2idParameters) -> String {
        "(\(parameters.opsLimit) passes, \(parameters.memLimitBytes >> 20) MiB)"
    }
}
