import SecretsCore

/// Decides what a connected peer may do from its kernel-reported identity.
protocol Authorizer: Sendable {
    /// The caller's grant, or `.permissionDenied` with a message that says who was refused
    /// and why. Asked on every request, so a reloaded policy applies at once.
    func grant(for peer: PeerIdentity) -> Result<Grant, SecretsError>
    /// The policy file in force and its rule count, for status; nil without a policy.
    var policySummary: (source: String, rules: Int)? { get }
    /// The grant of a credential-socket request for `unit`: the first rule with that
    /// `unit`, or `.permissionDenied` when there is none.
    func grant(forUnit unit: UnitName) -> Result<Grant, SecretsError>
}

extension Authorizer {
    /// Without a policy file no unit has a rule, so every credential request is refused.
    func grant(forUnit unit: UnitName) -> Result<Grant, SecretsError> {
        .failure(.permissionDenied("unit \(unit) may not read credentials: the agent runs without a policy (start it with --policy FILE and a [[rule]] with unit = \"\(unit)\")"))
    }
}

/// The rule without a policy file (ssh-agent's): the agent's own uid is admin, every other
/// uid is denied.
struct OwnerOnlyAuthorizer: Authorizer {
    let ownerUID: UInt32

    func grant(for peer: PeerIdentity) -> Result<Grant, SecretsError> {
        if peer.credentials.uid == ownerUID { return .success(Grant(role: .admin, rule: nil, source: nil, who: peer.who)) }
        return .failure(.permissionDenied(
            "\(peer.who) may not use this agent: without a policy it serves only uid \(ownerUID)\(UserDirectory.label(ownerUID)) (run as that user)"))
    }

    var policySummary: (source: String, rules: Int)? { nil }
}
