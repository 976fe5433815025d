import SecretsCore

/// Decides the role of a connected peer from its kernel-reported credentials.
protocol Authorizer: Sendable {
    /// The caller's role, or `.permissionDenied` with a message that says who was refused and why.
    func role(for peer: PeerCredentials) -> Result<Role, SecretsError>
}

/// The rule without a policy file (ssh-agent's): the agent's own uid is admin, every other
/// uid is denied.
struct OwnerOnlyAuthorizer: Authorizer {
    let ownerUID: UInt32

    func role(for peer: PeerCredentials) -> Result<Role, SecretsError> {
        if peer.uid == ownerUID { return .success(.admin) }
        return .failure(.permissionDenied(
            "uid \(peer.uid)\(UserDirectory.label(peer.uid)) may not use this agent: without a policy it serves only uid \(ownerUID)\(UserDirectory.label(ownerUID)) (run as that user)"))
    }
}
