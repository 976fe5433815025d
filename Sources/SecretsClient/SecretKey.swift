import SecretsCrypto

/// A 32-byte key a service loads or derives for itself: from a key file (64 hex
/// characters) or, with HKDF-SHA256, from a high-entropy token.
///
/// The bytes live in locked memory that is also made inaccessible whenever no caller is
/// reading them, and are wiped when the last reference goes. `description`,
/// `debugDescription`, `String(reflecting:)` and `dump` print `[REDACTED]`.
public final class SecretKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The length of every key: 32 bytes.
    public static let byteCount = 32

    /// The HKDF salt of `derive(fromToken:domain:)`.
    static let derivationSalt = HKDF.deriveSalt

    let storage: SecretStorage

    /// Copies the 32 bytes of `bytes` into new memory protected when idle.
    init(copying bytes: SecureBytes) {
        precondition(bytes.count == Self.byteCount, "a key is \(Self.byteCount) bytes")
        let key = SecureBytes(count: Self.byteCount, protectWhenIdle: true)
        key.withUnsafeMutableBytes { output in bytes.withUnsafeBytes { output.copyMemory(from: $0) } }
        storage = SecretStorage(key)
    }

    private init(storing key: SecureBytes) {
        storage = SecretStorage(key)
    }

    /// Loads a key file: 64 hex characters (either case), optionally surrounded by ASCII
    /// whitespace, decoded to 32 bytes. The file must pass the rules of
    /// `Secret.load(fromFile:root:)` (0600 or 0400, no `..`, no link outside `root`, a
    /// regular file of at most 1 MiB). Generate one with
    /// `secrets-agent init --generate-key-file FILE`.
    ///
    /// - Throws: `LoaderError` with kind `.invalidKey` when the contents are not exactly
    ///   64 hex characters (the message gives the length found, never the contents), or
    ///   any kind `Secret.load(fromFile:root:)` throws, with messages that start
    ///   `cannot load key from PATH`.
    public static func load(fromFile path: String, root: String? = nil) throws(LoaderError) -> SecretKey {
        let contents = try SecretFile.read(path, root: root, noun: "key")
        let parsed = contents.withUnsafeBytes { raw in
            Result { () throws(CryptoError) -> SecureBytes in try KeyFile.parse(raw) }
        }
        contents.withUnsafeMutableBytes { SecretStorage.wipe($0) }
        switch parsed {
        case .success(let key):
            return SecretKey(copying: key)
        case .failure(let error):
            throw LoaderError(.invalidKey, "cannot load key from \(path): \(error.message)")
        }
    }

    /// Derives a key for one purpose from a token, so one credential can yield several
    /// independent keys.
    ///
    /// The construction is HKDF-SHA256 (RFC 5869) with IKM = the token's bytes,
    /// salt = the UTF-8 of `secrets-agent/v1/derive` and info = the UTF-8 of `domain`,
    /// L = 32. The same token and domain always give the same key; different domains give
    /// unrelated keys, and knowing one reveals nothing about another.
    ///
    /// HKDF does not slow down guessing: the token must already be high-entropy (say
    /// 32 random bytes). A human passphrase needs Argon2id instead.
    ///
    /// - Parameters:
    ///   - token: the input key material; at least one byte.
    ///   - domain: what the key is for, e.g. `billing/webhook-signing`; at least one byte.
    /// - Throws: `LoaderError` with kind `.invalidArgument` when `token` or `domain` is
    ///   empty.
    public static func derive(fromToken token: some Collection<UInt8>, domain: String) throws(LoaderError) -> SecretKey {
        try validate(tokenIsEmpty: token.isEmpty, domain: domain)
        if let key = token.withContiguousStorageIfAvailable({ derive(raw: UnsafeRawBufferPointer($0), domain: domain) }) {
            return key
        }
        let copy = SecureBytes(copying: token)
        return copy.withUnsafeBytes { derive(raw: $0, domain: domain) }
    }

    /// Derives a key from a loaded `Secret`, as `derive(fromToken:domain:)` on its bytes.
    /// - Throws: `LoaderError` with kind `.invalidArgument` when `domain` is empty.
    public static func derive(fromToken token: Secret, domain: String) throws(LoaderError) -> SecretKey {
        try validate(tokenIsEmpty: token.count == 0, domain: domain)
        return token.storage.bytes.withUnsafeBytes { derive(raw: $0, domain: domain) }
    }

    private static func validate(tokenIsEmpty: Bool, domain: String) throws(LoaderError) {
        guard !domain.isEmpty else {
            throw LoaderError(.invalidArgument, "cannot derive key: the domain is empty (name what the key is for, e.g. billing/webhook-signing)")
        }
        guard !tokenIsEmpty else {
            throw LoaderError(.invalidArgument, "cannot derive key for \(domain): the token is empty (pass the service's token)")
        }
    }

    private static func derive(raw token: UnsafeRawBufferPointer, domain: String) -> SecretKey {
        let key = SecureBytes(count: byteCount, protectWhenIdle: true)
        key.withUnsafeMutableBytes { output in
            HKDF.sha256(inputKeyMaterial: token, salt: derivationSalt, info: Array(domain.utf8), into: output)
        }
        return SecretKey(storing: key)
    }

    /// The key's length in bytes: always 32.
    public var count: Int { storage.bytes.count }

    /// Lends the 32 key bytes to `body`; the pointer must not escape it.
    /// - Throws: whatever `body` throws.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try storage.bytes.withUnsafeBytes(body)
    }

    /// Whether `other` holds the same key, compared with `sodium_memcmp` in time that does
    /// not depend on where they differ.
    public func constantTimeEquals(_ other: SecretKey) -> Bool {
        storage.bytes.constantTimeEquals(other.storage.bytes)
    }

    /// Always `[REDACTED]`.
    public var description: String { "[REDACTED]" }

    /// Always `[REDACTED]`.
    public var debugDescription: String { "[REDACTED]" }

    /// A mirror with no children, so `dump` and debuggers show nothing but `[REDACTED]`.
    public var customMirror: Mirror { Mirror(self, children: KeyValuePairs<String, Any>(), displayStyle: nil) }
}
