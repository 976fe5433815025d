import SecretsCore

/// What one caller may do: its role and, under a policy, the rule that gave it (with that
/// rule's environments and name globs). Every check throws `.permissionDenied` with a
/// message naming the uid, user, role and rule, never a value.
struct Grant: Sendable {
    let role: Role
    /// nil: no policy is loaded and the caller is the agent's own uid.
    let rule: PolicyRule?
    /// The policy file the rule came from.
    let source: String?
    /// "uid 1001 (worker)": worked out only when a message needs it, since naming the user
    /// asks NSS (it opened /etc/passwd on every request, a fifth of a get's time).
    var who: String { describeWho() }
    private let describeWho: @Sendable () -> String

    init(role: Role, rule: PolicyRule?, source: String?, who: @autoclosure @escaping @Sendable () -> String) {
        self.role = role
        self.rule = rule
        self.source = source
        self.describeWho = who
    }

    /// "agent for production; openai/*, db/** (rule at line 3 of /etc/...)".
    var scope: String {
        guard let rule else { return "\(role.rawValue) (the agent's own uid, no policy)" }
        let environments = rule.environments.map { $0.map(\.rawValue).joined(separator: ", ") } ?? "every environment"
        let secrets = rule.secrets.map { $0.map(\.pattern).joined(separator: ", ") } ?? "every secret"
        return "\(role.rawValue) for \(environments); \(secrets) (rule at line \(rule.line) of \(source ?? "the policy"))"
    }

    /// - Throws: `.permissionDenied` when the role does not permit `operation`.
    func check(_ operation: Operation) throws(SecretsError) {
        guard role.permits(operation) else {
            let needed = Role.allCases.filter { $0.permits(operation) }.map(\.rawValue).joined(separator: " or ")
            throw .permissionDenied("permission denied: \(who) is \(scope); \(Grant.describe(operation)) needs \(needed)")
        }
    }

    /// - Throws: `.permissionDenied` when the role does not permit `operation` or the
    ///   secret lies outside the rule's environments or name globs.
    func check(_ operation: Operation, name: SecretName, environment: Environment) throws(SecretsError) {
        try check(operation)
        guard allows(environment: environment), allows(name: name) else {
            throw .permissionDenied("permission denied: \(who) is \(scope); \(name) in \(environment) is outside that grant")
        }
    }

    /// - Throws: `.permissionDenied` when `environment` is outside the grant.
    func check(_ operation: Operation, environment: Environment) throws(SecretsError) {
        try check(operation)
        guard allows(environment: environment) else {
            throw .permissionDenied("permission denied: \(who) is \(scope); \(environment) is outside that grant")
        }
    }

    func allows(environment: Environment) -> Bool { rule?.allows(environment: environment) ?? true }
    func allows(name: SecretName) -> Bool { rule?.allows(name: name) ?? true }

    private static func describe(_ operation: Operation) -> String {
        switch operation {
        case .getValue: "reading a full value"
        case .getMasked: "reading a masked value"
        case .auditQuery: "reading the audit trail"
        case .auditVerify: "verifying the audit trail"
        default: operation.rawValue
        }
    }
}
