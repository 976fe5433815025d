/// The one error type that crosses module boundaries and the wire.
///
/// `message` is safe to print: it never contains a secret value. It reads as
/// `<why> (<what to do>)`; the CLI prefixes it with what failed.
public struct SecretsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An extensible error code; the wire codes of DESIGN §3.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let invalidArgument = Code(rawValue: "INVALID_ARGUMENT")
        public static let notFound = Code(rawValue: "NOT_FOUND")
        public static let alreadyExists = Code(rawValue: "ALREADY_EXISTS")
        public static let permissionDenied = Code(rawValue: "PERMISSION_DENIED")
        public static let locked = Code(rawValue: "LOCKED")
        public static let conflict = Code(rawValue: "CONFLICT")
        public static let integrityFailure = Code(rawValue: "INTEGRITY_FAILURE")
        public static let unavailable = Code(rawValue: "UNAVAILABLE")
        public static let resourceExhausted = Code(rawValue: "RESOURCE_EXHAUSTED")
        public static let `internal` = Code(rawValue: "INTERNAL")

        public var description: String { rawValue }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

extension SecretsError {
    public static func invalidArgument(_ message: String) -> SecretsError { .init(.invalidArgument, message) }
    public static func notFound(_ message: String) -> SecretsError { .init(.notFound, message) }
    public static func alreadyExists(_ message: String) -> SecretsError { .init(.alreadyExists, message) }
    public static func permissionDenied(_ message: String) -> SecretsError { .init(.permissionDenied, message) }
    public static func conflict(_ message: String) -> SecretsError { .init(.conflict, message) }
    public static func integrityFailure(_ message: String) -> SecretsError { .init(.integrityFailure, message) }
    public static func unavailable(_ message: String) -> SecretsError { .init(.unavailable, message) }
    public static func resourceExhausted(_ message: String) -> SecretsError { .init(.resourceExhausted, message) }
    public static func `internal`(_ message: String) -> SecretsError { .init(.internal, message) }

    /// The agent holds no master key.
    public static let locked = SecretsError(.locked, "agent is locked (run: secrets-agent unlock)")
}
