#if canImport(Glibc)
import Glibc
#endif
import Logging
import SecretsCore

/// The socket's file mode follows the policy (DESIGN §10): 0600 when only the agent's own
/// uid is granted, 0660 with the group when grants go to one group, 0666 when they name
/// other users. The mode is defence in depth; the peer check on every connection is the gate.
enum SocketAccess {
    /// Sets the socket's mode (and group), `mode` overriding the policy's choice. When others
    /// are granted, the socket's directory must let them through (search permission).
    static func apply(to path: String, mode: UInt32?, policy: Policy?, logger: Logger) throws(SecretsError) {
        let audience = policy?.socketAudience(ownerUID: geteuid()) ?? .ownerOnly
        var chosen: mode_t
        switch audience {
        case .ownerOnly:
            chosen = 0o600
        case .group(let gid):
            chosen = 0o660
            guard chown(path, uid_t.max, gid) == 0 else {
                throw .invalidArgument("cannot give \(path) to group \(gid): \(String(cString: strerror(errno)).lowercased()) (run the agent as root or as a member of that group)")
            }
        case .everyone:
            chosen = 0o666
        }
        if let mode { chosen = mode_t(mode) }
        guard chmod(path, chosen) == 0 else {
            throw .internal("cannot set the mode of \(path): errno \(errno)")
        }
        if chosen & 0o066 != 0 {
            let directory = PrivateDirectory.parent(of: path)
            var info = stat()
            if stat(directory, &info) == 0, info.st_mode & 0o011 == 0 {
                logger.warning("the policy grants other users, but \(directory) has mode \(PrivateDirectory.octal(info.st_mode & 0o777)): they cannot reach the socket (run: chmod 711 \(directory))")
            }
        }
        logger.notice("socket mode \(PrivateDirectory.octal(chosen))")
    }
}
