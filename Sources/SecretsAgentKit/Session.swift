import SecretsCore

/// What the agent knows about one connection: who the peer is (kernel credentials and
/// executable) and whether it has said Hello.
struct Session: Sendable {
    let peer: PeerIdentity
    var saidHello = false
    /// Set by Watch: after its reply the connection streams change events.
    var watch: Watch?
    /// BatchPut entries sent with `more`, held until the batch's last request.
    var pendingBatch: PendingBatch?

    struct Watch: Sendable {
        let subscription: ChangeHub.Subscription
        let requestID: UInt64
    }
}
