internal import CShims
#if canImport(Glibc)
import Glibc
#endif
import SecretsCore

extension PeerCredentials {
    /// The kernel's word on who is connected to `fd` (SO_PEERCRED).
    /// - Throws: `.internal` if the socket cannot report its peer.
    static func of(socket fd: Int32) throws(SecretsError) -> PeerCredentials {
        var pid: pid_t = 0, uid: uid_t = 0, gid: gid_t = 0
        guard cshims_peer_credentials(fd, &pid, &uid, &gid) == 0 else {
            throw .internal("cannot read peer credentials: errno \(errno)")
        }
        return PeerCredentials(pid: pid, uid: uid, gid: gid)
    }
}
