/// An error from the loaders (`Secret`, `SecretKey`): a kind to branch on and a message
/// safe to show.
///
/// Messages read `cannot load secret from PATH: why (what to do)`, lower case with no
/// trailing period. They name paths, modes, sizes and variable names, never a value or
/// any part of one. `Kind` is a struct, not an enum, so new kinds can be added later.
public struct LoaderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, in categories a service can branch on.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// The file has a group or other permission bit set (it must be 0600 or 0400).
        public static let insecurePermissions = Kind("insecurePermissions")
        /// The path has a `..` component, is a symbolic link where none is allowed, or
        /// resolves outside the root it must stay in.
        public static let invalidPath = Kind("invalidPath")
        /// The file, or the root directory it must lie in, does not exist.
        public static let notFound = Kind("notFound")
        /// The file, variable or token holds nothing but ASCII whitespace.
        public static let empty = Kind("empty")
        /// The file is larger than `Secret.maxByteCount` (1 MiB).
        public static let tooLarge = Kind("tooLarge")
        /// The path names a directory, FIFO, device or socket.
        public static let notRegularFile = Kind("notRegularFile")
        /// A key file is not exactly 64 hex characters.
        public static let invalidKey = Kind("invalidKey")
        /// An argument is malformed: a credential name with `/`, an empty derivation domain.
        public static let invalidArgument = Kind("invalidArgument")
        /// `$CREDENTIALS_DIRECTORY` is not set: the process does not run under systemd
        /// with `LoadCredential=`.
        public static let credentialsDirectoryUnset = Kind("credentialsDirectoryUnset")
        /// `$CREDENTIALS_DIRECTORY` is not an absolute path.
        public static let credentialsDirectoryRelative = Kind("credentialsDirectoryRelative")
        /// The environment variable is missing or empty.
        public static let environmentVariableUnset = Kind("environmentVariableUnset")
        /// The system refused an operation (permission denied, read error).
        public static let io = Kind("io")

        /// The kind's name, e.g. `insecurePermissions`.
        public var description: String { name }
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
