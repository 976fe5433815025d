#if canImport(Glibc)
import Glibc
#endif
import Logging
import SecretsCore
import SecretsCrypto
import SecretsStore

/// Answers one connection of the credential socket (`CredentialSocket`): the current value
/// of the secret a unit's `LoadCredential=` names, then end of file. Anything the agent
/// will not serve — a peer other than root or the agent's own uid, an address that is not
/// systemd's, a unit without a grant for the secret, an unknown secret, a locked agent —
/// gets end of file with nothing sent; the reason goes to the log and the audit trail.
///
/// Every connection leaves one audit entry, operation `credential`, with the unit and
/// credential ID in its detail and never the value. Fail closed: the value is sent only
/// after its entry is written.
struct CredentialDelivery: Sendable {
    let dispatcher: RequestDispatcher
    /// The environment read when the unit's rule does not name exactly one.
    let defaultEnvironment: Environment
    /// Besides root, the only uid served (the agent's own, for tests and user mode).
    let ownerUID: UInt32
    let logger: Logger
    /// How long a peer that stops reading may hold a connection thread.
    static let sendTimeoutSeconds = 10

    /// Serves `fd` and closes it.
    func serve(_ fd: Int32) {
        defer { close(fd) }
        let peer: PeerIdentity
        do {
            peer = PeerIdentity.resolve(try PeerCredentials.of(socket: fd))
        } catch {
            logger.warning("credential socket: dropping connection: \(error.message)")
            return
        }
        var context = AuditContext()
        context.operation = "credential"
        do throws(SecretsError) {
            let value = try resolve(fd, peer, &context)
            try dispatcher.audit.record(context.record(peer, outcome: .ok, nowUnixMs: Clock.nowUnixMs()))
            let sent = send(value, to: fd)
            shutdown(fd, Int32(SHUT_WR))
            logger.notice("\(sent ? "credential delivered" : "credential not delivered, the peer stopped reading"): \(context.detail ?? "")",
                          metadata: metadata(peer, context))
        } catch {
            let outcome: AuditOutcome = [.permissionDenied, .invalidArgument].contains(error.code) ? .denied : .error
            context.detail = context.detail.map { "\($0): \(error.message)" } ?? error.message
            try? dispatcher.audit.record(context.record(peer, outcome: outcome, error: error, nowUnixMs: Clock.nowUnixMs()))
            logger.notice("credential refused: \(context.detail ?? error.message)", metadata: metadata(peer, context))
        }
    }

    /// The value to send, after every check; fills `context` as it learns the request.
    private func resolve(_ fd: Int32, _ peer: PeerIdentity,
                         _ context: inout AuditContext) throws(SecretsError) -> SecureBytes {
        let uid = peer.credentials.uid
        guard uid == 0 || uid == ownerUID else {
            throw .permissionDenied("\(peer.who) may not use the credential socket: only the service manager (root) and uid \(ownerUID) may")
        }
        let request = try CredentialRequest.of(socket: fd)
        context.name = request.secret.rawValue
        context.detail = "unit \(request.unit), credential \(request.credentialID)"
        let grant = try dispatcher.authorizer.grant(forUnit: request.unit).get()
        context.grant = grant
        let environment = grant.rule?.environments.flatMap { $0.count == 1 ? $0[0] : nil } ?? defaultEnvironment
        context.environment = environment.rawValue
        try grant.check(.getValue, name: request.secret, environment: environment)
        dispatcher.activity.touch()
        if let upstream = dispatcher.upstream {
            do {
                let (value, provenance) = try dispatcher.withUpstreamValue(upstream, request.secret, environment, version: nil) {
                    SecureBytes(copying: $0)
                }
                context.version = provenance.version
                return value
            } catch {
                throw (error as? SecretsError) ?? .internal("unexpected failure: \(type(of: error))")
            }
        }
        let keys = try dispatcher.keyring.current()
        let store = dispatcher.store
        let stored = try store.version(name: request.secret, environment: environment, version: nil)
        context.version = stored.version
        let binding = ValueBinding(storeID: store.storeID, name: request.secret.rawValue,
                                   environment: environment.rawValue, version: stored.version)
        do {
            return try ValueSealing.open(stored.sealed, masterKey: keys.masterKey, binding: binding,
                                         keyCache: keys.valueKeys) { SecureBytes(copying: $0) }
        } catch {
            throw .integrityFailure("\(request.secret) in \(environment) version \(stored.version) failed its integrity check (restore it from a backup or set it again)")
        }
    }

    /// Writes all of `value`; false when the peer hung up or stopped reading.
    private func send(_ value: SecureBytes, to fd: Int32) -> Bool {
        var timeout = timeval(tv_sec: CredentialDelivery.sendTimeoutSeconds, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return value.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
    }

    /// Names only: the unit and credential are in `agent.detail`, never a value.
    private func metadata(_ peer: PeerIdentity, _ context: AuditContext) -> Logger.Metadata {
        var out: Logger.Metadata = ["agent.op": "credential", "agent.peer.uid": "\(peer.credentials.uid)",
                                    "agent.peer.pid": "\(peer.credentials.pid)"]
        if let name = context.name { out["agent.secret"] = "\(name)" }
        if let environment = context.environment { out["agent.env"] = "\(environment)" }
        return out
    }
}
