import Logging
import SecretsCore

extension Agent {
    /// The main socket: the one systemd passed (socket activation), else one bound here.
    static func openListener(_ configuration: AgentConfiguration, inherited: Int32?, policy: Policy?,
                             logger: Logger) throws(SecretsError) -> UnixListener {
        guard let inherited else {
            try PrivateDirectory.prepare(containing: configuration.socketPath)
            let listener = try UnixListener(path: configuration.socketPath)
            try SocketAccess.apply(to: configuration.socketPath, mode: configuration.socketMode, policy: policy, logger: logger)
            return listener
        }
        // The service manager made the socket and its directory (DirectoryMode=); the peer
        // check on every connection is still the gate.
        logger.notice("socket activation: inherited listening socket fd \(inherited) for \(configuration.socketPath)")
        let bound = SocketActivation.boundPath(inherited)
        guard bound == configuration.socketPath else {
            logger.warning("socket activation: the inherited socket is bound to \(bound ?? "no path"), not \(configuration.socketPath) (make --socket match ListenStream=)")
            return UnixListener(activatedFD: inherited, path: configuration.socketPath)
        }
        // The socket file is the agent user's (SocketUser=), so its mode can still follow the
        // policy as DESIGN §10 asks; when it cannot, the unit's SocketMode= stands.
        do throws(SecretsError) {
            try SocketAccess.apply(to: configuration.socketPath, mode: configuration.socketMode, policy: policy, logger: logger)
        } catch {
            logger.warning("socket activation: keeping the mode systemd gave \(configuration.socketPath): \(error.message)")
        }
        return UnixListener(activatedFD: inherited, path: configuration.socketPath)
    }
}
