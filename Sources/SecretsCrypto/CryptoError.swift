/// An error from `SecretsCrypto`: a kind to branch on and a message safe to show.
///
/// Messages never contain key, passphrase or plaintext bytes; they are lower case with no
/// trailing period. `Kind` is a struct, not an enum, so new kinds can be added later.
public struct CryptoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, in categories callers map to their own error codes.
    public struct Kind: Hashable, Sendable {
        private let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// A tag check failed: wrong key or passphrase, or the ciphertext, nonce, salt or
        /// associated data was altered, truncated or moved to another binding.
        public static let authenticationFailed = Kind("authenticationFailed")
        /// An argument has the wrong size or form (key length, salt length, empty
        /// passphrase, malformed key file).
        public static let invalidInput = Kind("invalidInput")
        /// The algorithm or resource is not available here (no AES-NI, out of memory).
        public static let unavailable = Kind("unavailable")
        /// Key derivation parameters are below the enforced minimum.
        public static let weakParameters = Kind("weakParameters")
    }

    /// The category of the failure.
    public let kind: Kind
    /// A human-readable explanation that contains no secret material.
    public let message: String

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message, suitable for logs and error output.
    public var description: String { message }
}
