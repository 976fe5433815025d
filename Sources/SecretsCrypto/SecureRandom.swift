internal import CSodium

/// Cryptographically secure random bytes from libsodium (`randombytes_buf`, which uses
/// `getrandom(2)` on Linux).
public enum SecureRandom {
    /// Returns `count` random bytes in an ordinary array; use it for salts and nonces, and
    /// `SecureBytes.random(count:)` for keys.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "count must not be negative")
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            fill(UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }

    /// Overwrites every byte of `buffer` with random bytes.
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        Sodium.ensureInitialized()
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        randombytes_buf(base, buffer.count)
    }
}
