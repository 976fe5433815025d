internal import CSodium

/// An HMAC-SHA256 key prepared for many messages: libsodium's state right after
/// `crypto_auth_hmacsha256_init`, with the key's inner and outer padded blocks already
/// hashed, kept in locked memory and copied for each message. A tag then costs the
/// message's blocks and the final two, not two more for the key each time (measured on the
/// audit writer: the key's blocks were about a tenth of its time per entry).
///
/// The prepared state authenticates exactly as the key does, so it is as secret as the key:
/// it lives in `SecureBytes`, and each message's working copy is wiped after use.
public final class HMACSHA256Key: Sendable {
    private let state: SecureBytes

    /// Prepares `key` (any length, as `HMACSHA256.authenticate`).
    public init(_ key: SecureBytes) {
        let state = SecureBytes(count: MemoryLayout<crypto_auth_hmacsha256_state>.size)
        key.withUnsafeBytes { keyBytes in
            state.withUnsafeMutableBytes { raw in
                HMACSHA256.initialize(raw.baseAddress!.assumingMemoryBound(to: crypto_auth_hmacsha256_state.self),
                                      key: keyBytes)
            }
        }
        self.state = state
    }

    /// The 32-byte tag of `message`: the same bytes `HMACSHA256.authenticate(message, key:)`
    /// gives for the key this was prepared from.
    public func authenticate(_ message: UnsafeRawBufferPointer) -> [UInt8] {
        var working = crypto_auth_hmacsha256_state()
        defer { sodium_memzero(&working, MemoryLayout<crypto_auth_hmacsha256_state>.size) }
        state.withUnsafeBytes { prepared in
            withUnsafeMutableBytes(of: &working) { $0.copyMemory(from: prepared) }
        }
        var tag = [UInt8](repeating: 0, count: HMACSHA256.byteCount)
        tag.withUnsafeMutableBytes { HMACSHA256.finish(&working, parts: CollectionOfOne(message), into: $0) }
        return tag
    }
}
