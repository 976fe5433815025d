internal import CSodium

/// Comparison of secrets that leaks neither where they differ nor their lengths.
public enum ConstantTime {
    private static let digestByteCount = Int(crypto_generichash_BYTES)

    /// Whether `a` and `b` hold the same bytes.
    ///
    /// Both sides are hashed with BLAKE2b-256 to a fixed length and the digests compared
    /// with `sodium_memcmp`, so the time taken depends on neither the position of the
    /// first difference nor whether the lengths match.
    public static func equals(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        Sodium.ensureInitialized()
        var digestA = [UInt8](repeating: 0, count: digestByteCount)
        var digestB = [UInt8](repeating: 0, count: digestByteCount)
        defer {
            sodium_memzero(&digestA, digestByteCount)
            sodium_memzero(&digestB, digestByteCount)
        }
        hash(a, into: &digestA)
        hash(b, into: &digestB)
        return sodium_memcmp(digestA, digestB, digestByteCount) == 0
    }

    private static func hash(_ input: UnsafeRawBufferPointer, into digest: inout [UInt8]) {
        let result = crypto_generichash(&digest, digest.count, input.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                        UInt64(input.count), nil, 0)
        precondition(result == 0, "BLAKE2b failed")
    }
}
