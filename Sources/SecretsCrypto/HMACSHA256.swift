internal import CSodium

/// HMAC-SHA256 (RFC 2104) over libsodium's `crypto_auth_hmacsha256_init/update/final`,
/// which take a key of any length; `crypto_auth_hmacsha256()` alone would insist on 32
/// bytes. The one HMAC in the project: HKDF is built on it too.
public enum HMACSHA256 {
    /// The tag length in bytes.
    public static let byteCount = Int(crypto_auth_hmacsha256_BYTES)

    /// The 32-byte HMAC-SHA256 tag of `message` under `key`.
    ///
    /// - Parameters:
    ///   - message: the bytes to authenticate; may be empty.
    ///   - key: the key, of any length (longer than 64 bytes is hashed first, as in RFC 2104).
    /// - Returns: the tag. Compare tags with `ConstantTime.equals`, never `==`.
    public static func authenticate(_ message: UnsafeRawBufferPointer, key: SecureBytes) -> [UInt8] {
        var tag = [UInt8](repeating: 0, count: byteCount)
        key.withUnsafeBytes { keyBytes in
            tag.withUnsafeMutableBytes { output in
                authenticate(key: keyBytes, parts: [message], into: output)
            }
        }
        return tag
    }

    /// HMAC-SHA256 of the concatenated `parts` under `key` (any length, even empty), written
    /// to the 32 bytes of `output`. The hash state is wiped afterwards.
    ///
    /// - Precondition: `output.count == byteCount`.
    static func authenticate(
        key: UnsafeRawBufferPointer, parts: [UnsafeRawBufferPointer], into output: UnsafeMutableRawBufferPointer
    ) {
        precondition(output.count == byteCount, "an HMAC-SHA256 tag is \(byteCount) bytes")
        var state = crypto_auth_hmacsha256_state()
        defer { sodium_memzero(&state, MemoryLayout<crypto_auth_hmacsha256_state>.size) }
        initialize(&state, key: key)
        finish(&state, parts: parts, into: output)
    }

    /// Hashes `parts` into an initialized `state` and writes the 32-byte tag to `output`.
    static func finish(
        _ state: inout crypto_auth_hmacsha256_state, parts: some Sequence<UnsafeRawBufferPointer>,
        into output: UnsafeMutableRawBufferPointer
    ) {
        for part in parts where part.count > 0 {
            crypto_auth_hmacsha256_update(&state, part.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                          UInt64(part.count))
        }
        crypto_auth_hmacsha256_final(&state, output.baseAddress!.assumingMemoryBound(to: UInt8.self))
    }

    /// `crypto_auth_hmacsha256_init` for a key of any length, even empty.
    static func initialize(_ state: UnsafeMutablePointer<crypto_auth_hmacsha256_state>, key: UnsafeRawBufferPointer) {
        Sodium.ensureInitialized()
        if let base = key.baseAddress, key.count > 0 {
            crypto_auth_hmacsha256_init(state, base.assumingMemoryBound(to: UInt8.self), key.count)
        } else {
            // An empty key is all padding; libsodium still wants a valid pointer.
            var none: UInt8 = 0
            crypto_auth_hmacsha256_init(state, &none, 0)
        }
    }
}
