import SecretsCrypto

/// A secret a service loads for itself, with no agent involved: from a file only its owner
/// can read, from a systemd credential, or (deprecated) from an environment variable.
///
/// The bytes live in locked memory (`SecureBytes`: sodium_malloc, guard pages, excluded
/// from core dumps) and are wiped when the last reference goes. `description`,
/// `debugDescription`, `String(reflecting:)` and `dump` print `[REDACTED]`. There is no
/// `String` accessor but `unsafeStringValue()`, for the one edge that must hand the value
/// to an API taking a `String`.
///
/// ```swift
/// import SecretsClient
///
/// // Under systemd:  LoadCredential=webhook-token:/etc/billing/webhook-token
/// // Elsewhere:      CREDENTIALS_DIRECTORY=/etc/billing/credentials (a 0700 directory)
/// do {
///     let token = try Secret.fromSystemdCredential("webhook-token")
///     print(token)                             // [REDACTED]
///     print(token.verify("a guess"))           // false, in constant time
///     let key = try SecretKey.derive(fromToken: token, domain: "billing/webhook-signing")
///     print(key.count)                         // 32
/// } catch {
///     print("billing: \(error)")               // names the path or variable, never the value
/// }
/// ```
public final class Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The largest secret a file may hold: 1 MiB.
    public static let maxByteCount = SecretFile.maxByteCount

    let storage: SecretStorage

    /// Takes ownership of `bytes`, which must not be used elsewhere afterwards.
    init(_ bytes: SecureBytes) {
        storage = SecretStorage(bytes)
    }

    /// The value's length in bytes; never 0, since every loader refuses empty values.
    public var count: Int { storage.bytes.count }

    /// Lends the raw bytes to `body`; the pointer must not escape it.
    /// - Throws: whatever `body` throws.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try storage.bytes.withUnsafeBytes(body)
    }

    /// Whether `presented` (a token from a request, say) equals this secret.
    ///
    /// Both sides are hashed to a fixed length and the digests compared with
    /// `sodium_memcmp` (`ConstantTime.equals`): the time taken reveals neither where they
    /// differ nor whether their lengths match. An empty `presented` never matches.
    /// A collection without contiguous storage is first copied into locked memory.
    public func verify(_ presented: some Collection<UInt8>) -> Bool {
        if let result = presented.withContiguousStorageIfAvailable({ verify(raw: UnsafeRawBufferPointer($0)) }) {
            return result
        }
        let copy = SecureBytes(copying: presented)
        return copy.withUnsafeBytes { verify(raw: $0) }
    }

    /// Whether the UTF-8 bytes of `presented` equal this secret, in constant time as
    /// `verify(_:)` on bytes.
    public func verify(_ presented: String) -> Bool {
        var presented = presented
        return presented.withUTF8 { verify(raw: UnsafeRawBufferPointer($0)) }
    }

    private func verify(raw presented: UnsafeRawBufferPointer) -> Bool {
        storage.bytes.withUnsafeBytes { ConstantTime.equals($0, presented) }
    }

    /// The value as a `String`, or `nil` when it is not valid UTF-8.
    ///
    /// The escape hatch for the one edge that must pass the value to an API taking a
    /// `String` (a database driver's password, an HTTP header). The `String` is ordinary
    /// memory: it is not locked, not wiped, and may be copied anywhere; keep it short-lived
    /// and never log it. Prefer `withUnsafeBytes` or `verify(_:)`.
    public func unsafeStringValue() -> String? {
        storage.bytes.withUnsafeBytes { String(validating: $0, as: UTF8.self) }
    }

    /// Always `[REDACTED]`.
    public var description: String { "[REDACTED]" }

    /// Always `[REDACTED]`.
    public var debugDescription: String { "[REDACTED]" }

    /// A mirror with no children, so `dump` and debuggers show nothing but `[REDACTED]`.
    public var customMirror: Mirror { Mirror(self, children: KeyValuePairs<String, Any>(), displayStyle: nil) }
}
