import SecretsCore

/// What the agent knows about one connection: the kernel's word on the peer, the role it
/// was given, and whether it has said Hello.
struct Session: Sendable {
    let peer: PeerCredentials
    /// The peer's role, or why it was refused.
    let authorization: Result<Role, SecretsError>
    var saidHello = false
}
