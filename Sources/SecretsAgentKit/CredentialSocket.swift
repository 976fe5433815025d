#if canImport(Glibc)
import Glibc
#endif
import Logging
import Synchronization
import SecretsCore
import SecretsProtocol

/// The socket systemd's `LoadCredential=ID:PATH` reads from (`serve --credential-socket`).
/// It speaks no protocol: systemd connects from the abstract address
/// `\0<random>/unit/<unit>/<ID>` and reads to end of file. Kept apart from the agent's own
/// socket and its listener: its own `UnixListener`, accept thread and connection threads,
/// so the main socket serves whatever happens here.
///
/// The socket is created like the agent's (private directory, stale socket replaced, mode
/// 0600): the service manager runs as root, and the peer check after `accept` (root or the
/// agent's own uid) is the gate whatever the mode.
final class CredentialSocket: Sendable {
    let path: String
    private let listener: UnixListener
    private let delivery: CredentialDelivery
    private let maxConnections: Int
    private let open = Mutex<Int>(0)

    /// Binds and listens at `path`.
    /// - Throws: `.invalidArgument` for an unsafe directory; `.unavailable` when something
    ///   already listens there or the path cannot be bound.
    init(path: String, delivery: CredentialDelivery, maxConnections: Int) throws(SecretsError) {
        try PrivateDirectory.prepare(containing: path)
        if case .success(let live)? = try? UnixSocketAddress.connect(path) {
            close(live)
            throw .unavailable("something is already listening on \(path) (stop it first, or choose another --credential-socket)")
        }
        self.path = path
        listener = try UnixListener(path: path)
        self.delivery = delivery
        self.maxConnections = maxConnections
    }

    /// Serves the socket systemd passed (`FileDescriptorName=credentials.sock`); the file
    /// and its mode stay the socket unit's.
    init(activatedFD fd: Int32, path: String, delivery: CredentialDelivery, maxConnections: Int) {
        self.path = path
        listener = UnixListener(activatedFD: fd, path: path)
        self.delivery = delivery
        self.maxConnections = maxConnections
    }

    /// The credential socket `configuration` asks for (`credentialSocketPath`), bound and
    /// listening but not yet accepting; nil when it asks for none.
    /// - Throws: as `init(path:delivery:maxConnections:)`.
    /// `inherited` is the fd systemd passed for it, if any.
    static func open(for configuration: AgentConfiguration, inherited: Int32?, dispatcher: RequestDispatcher,
                     logger: Logger) throws(SecretsError) -> CredentialSocket? {
        guard let path = configuration.credentialSocketPath else {
            if let inherited {
                logger.warning("socket activation: a credentials.sock socket was passed but serve has no --credential-socket; closing it")
                close(inherited)
            }
            return nil
        }
        let delivery = CredentialDelivery(dispatcher: dispatcher, defaultEnvironment: configuration.credentialEnvironment,
                                          ownerUID: geteuid(), logger: logger)
        if let inherited {
            logger.notice("socket activation: inherited credential socket fd \(inherited) for \(path)")
            return CredentialSocket(activatedFD: inherited, path: path, delivery: delivery, maxConnections: configuration.maxConnections)
        }
        return try CredentialSocket(path: path, delivery: delivery, maxConnections: configuration.maxConnections)
    }

    /// Accepts connections on a thread of its own until `stop()`; each is served on its
    /// own thread, and one over `maxConnections` is closed unanswered.
    func start() {
        delivery.logger.notice("credential socket for LoadCredential= on \(path) (default environment \(delivery.defaultEnvironment))")
        DetachedThread.start { [self] in
            while let fd = listener.accept() {
                let admitted = open.withLock { count -> Bool in
                    guard count < maxConnections else { return false }
                    count += 1
                    return true
                }
                guard admitted else {
                    close(fd)
                    continue
                }
                let started = DetachedThread.start { [self] in
                    delivery.serve(fd)
                    open.withLock { $0 -= 1 }
                }
                if !started {
                    close(fd)
                    open.withLock { $0 -= 1 }
                }
            }
        }
    }

    /// Stops accepting and removes the socket; connections in flight finish on their own.
    func stop() {
        listener.shutdownAndUnlink()
    }
}
