internal import CSodium

/// HKDF with HMAC-SHA256 (RFC 5869), built on libsodium's HMAC-SHA256 because libsodium
/// 1.0.18 has no HKDF. Derives subkeys from a key that is already uniformly random (the
/// master key); passphrases go through `Argon2id` instead.
public enum HKDF {
    /// The salt of `derive` subkeys (DESIGN §3), shared by the agent's Derive operation and
    /// the loader library's `SecretKey.derive`, so both give the same key for a token and
    /// domain.
    public static let deriveSalt = Array("secrets-agent/v1/derive".utf8)

    /// The SHA-256 output length, HashLen in RFC 5869.
    private static let hashByteCount = Int(crypto_auth_hmacsha256_BYTES)

    /// Derives `outputByteCount` bytes: HKDF-Expand(HKDF-Extract(salt, IKM), info, L).
    ///
    /// - Parameters:
    ///   - inputKeyMaterial: the secret input key material (IKM).
    ///   - salt: a non-secret salt; empty means HashLen zero bytes, as in the RFC.
    ///   - info: context that binds the output to one purpose.
    ///   - outputByteCount: L, from 1 to 255 × 32 = 8160.
    /// - Returns: the output key material, in secure memory.
    /// - Precondition: `outputByteCount` is in 1...8160.
    public static func sha256(
        inputKeyMaterial: UnsafeRawBufferPointer, salt: [UInt8], info: [UInt8], outputByteCount: Int
    ) -> SecureBytes {
        let output = SecureBytes(count: outputByteCount)
        output.withUnsafeMutableBytes { okm in
            sha256(inputKeyMaterial: inputKeyMaterial, salt: salt, info: info, into: okm)
        }
        return output
    }

    /// Derives `outputByteCount` bytes from input key material held in `SecureBytes`.
    /// See `sha256(inputKeyMaterial:salt:info:outputByteCount:)` for the parameters.
    public static func sha256(
        inputKeyMaterial: SecureBytes, salt: [UInt8], info: [UInt8], outputByteCount: Int
    ) -> SecureBytes {
        inputKeyMaterial.withUnsafeBytes {
            sha256(inputKeyMaterial: $0, salt: salt, info: info, outputByteCount: outputByteCount)
        }
    }

    /// Derives `output.count` bytes into `output`, which the caller keeps in secure memory.
    /// The intermediate PRK and blocks live on the stack only for the call and are wiped.
    /// - Precondition: `output.count` is in 1...8160.
    public static func sha256(
        inputKeyMaterial: UnsafeRawBufferPointer, salt: [UInt8], info: [UInt8], into output: UnsafeMutableRawBufferPointer
    ) {
        precondition((1...255 * hashByteCount).contains(output.count),
                     "HKDF-SHA256 output must be 1...\(255 * hashByteCount) bytes")
        Sodium.ensureInitialized()
        withWipedBlock { prk in
            if salt.isEmpty {
                let zeros = [UInt8](repeating: 0, count: hashByteCount)
                zeros.withUnsafeBytes { HMACSHA256.authenticate(key: $0, parts: [inputKeyMaterial], into: prk) }
            } else {
                salt.withUnsafeBytes { HMACSHA256.authenticate(key: $0, parts: [inputKeyMaterial], into: prk) }
            }
            expand(pseudorandomKey: UnsafeRawBufferPointer(prk), info: info, into: output)
        }
    }

    /// HKDF-Expand: T(i) = HMAC(PRK, T(i-1) | info | i), output = first L bytes of T(1)|T(2)|…
    private static func expand(pseudorandomKey prk: UnsafeRawBufferPointer, info: [UInt8],
                               into okm: UnsafeMutableRawBufferPointer) {
        withWipedBlock { previous in
            var written = 0
            var counter: UInt8 = 1
            while written < okm.count {
                let chaining = written == 0 ? UnsafeRawBufferPointer(start: nil, count: 0)
                                            : UnsafeRawBufferPointer(previous)
                withUnsafeBytes(of: counter) { counterByte in
                    info.withUnsafeBytes { infoBytes in
                        HMACSHA256.authenticate(key: prk, parts: [chaining, infoBytes, counterByte], into: previous)
                    }
                }
                let take = min(hashByteCount, okm.count - written)
                UnsafeMutableRawBufferPointer(rebasing: okm[written..<written + take])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: previous[0..<take]))
                written += take
                counter &+= 1
            }
        }
    }

    /// A 32-byte stack block for one intermediate value, wiped with `sodium_memzero` after.
    private static func withWipedBlock<R>(_ body: (UnsafeMutableRawBufferPointer) -> R) -> R {
        var block: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &block) { raw in
            defer { sodium_memzero(raw.baseAddress!, raw.count) }
            return body(raw)
        }
    }
}
