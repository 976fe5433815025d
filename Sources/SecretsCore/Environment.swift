/// A validated environment name: `[a-z][a-z0-9-]{0,31}` (DESIGN §5).
public struct Environment: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public static let rule = "environments are 1-32 characters of a-z 0-9 -, starting with a letter"
    /// The environment used when none is given and `$SECRETS_AGENT_ENV` is unset.
    public static let development = Environment(trusted: "development")

    /// - Throws: `SecretsError` `.invalidArgument` naming the rule.
    public init(_ raw: String) throws(SecretsError) {
        let bytes = Array(raw.utf8)
        let valid = !bytes.isEmpty && bytes.count <= 32
            && (bytes[0] >= 0x61 && bytes[0] <= 0x7A)
            && bytes.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
        guard valid else {
            throw .invalidArgument("invalid environment \(SecretName.quoted(raw)) (\(Environment.rule))")
        }
        self.rawValue = raw
    }

    private init(trusted: String) { rawValue = trusted }

    public var description: String { rawValue }
    public static func < (a: Environment, b: Environment) -> Bool { a.rawValue < b.rawValue }
}
