internal import CSodium

/// SHA-256 (FIPS 180-4) over libsodium's `crypto_hash_sha256_init/update/final`: a
/// fingerprint of bytes that does not reveal them, e.g. a scan baseline's entry.
public enum SHA256 {
    /// The digest length in bytes.
    public static let byteCount = Int(crypto_hash_sha256_BYTES)

    /// The 32-byte SHA-256 digest of `message` (may be empty). The hash state is wiped
    /// afterwards.
    public static func hash(_ message: UnsafeRawBufferPointer) -> [UInt8] {
        Sodium.ensureInitialized()
        var state = crypto_hash_sha256_state()
        defer { sodium_memzero(&state, MemoryLayout<crypto_hash_sha256_state>.size) }
        crypto_hash_sha256_init(&state)
        if let base = message.baseAddress, message.count > 0 {
            crypto_hash_sha256_update(&state, base.assumingMemoryBound(to: UInt8.self), UInt64(message.count))
        }
        var digest = [UInt8](repeating: 0, count: byteCount)
        digest.withUnsafeMutableBufferPointer { output in
            _ = crypto_hash_sha256_final(&state, output.baseAddress!)
        }
        return digest
    }

    /// The digest of `message` as 64 lowercase hex digits.
    public static func hexDigest(_ message: UnsafeRawBufferPointer) -> String {
        Hex.encode(hash(message))
    }
}
