#if canImport(Glibc)
import Glibc
#endif
import SecretsCore
import SecretsProtocol

/// A listening AF_UNIX stream socket bound to a path, created 0600 (umask 0177 around
/// `bind`, as ssh-agent does) and removed when closed.
final class UnixListener: Sendable {
    let fd: Int32
    let path: String
    /// False for a socket inherited through socket activation: its file is not ours to remove.
    let ownsPath: Bool

    /// Binds and listens at `path`, replacing a stale socket left by a dead agent.
    /// - Throws: `.unavailable` when another agent is already listening there.
    init(path: String, backlog: Int32 = 512) throws(SecretsError) {
        var address = try UnixSocketAddress.make(path)
        if UnixListener.isLive(path) {
            throw .unavailable("another agent is already listening on \(path) (stop it first, or choose another --socket)")
        }
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .internal("cannot create socket: errno \(errno)") }
        let previous = umask(0o177)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        let bindErrno = errno
        umask(previous)
        guard bound == 0 else {
            close(fd)
            throw .unavailable("cannot bind \(path): \(String(cString: strerror(bindErrno)).lowercased()) (check the --socket path)")
        }
        chmod(path, 0o600)
        guard listen(fd, backlog) == 0 else {
            close(fd)
            unlink(path)
            throw .internal("cannot listen on \(path): errno \(errno)")
        }
        self.fd = fd
        self.path = path
        self.ownsPath = true
    }

    /// Wraps a listening socket passed by systemd (see `SocketActivation`); `path` is only
    /// the name clients use, and the file is left in place on shutdown.
    init(activatedFD fd: Int32, path: String) {
        self.fd = fd
        self.path = path
        self.ownsPath = false
    }

    /// Accepts one connection (close-on-exec). nil when the listener was shut down.
    func accept() -> Int32? {
        while true {
            let client = Glibc.accept(fd, nil, nil)
            if client >= 0 {
                _ = fcntl(client, F_SETFD, FD_CLOEXEC)  // the agent never execs; belt and braces
                return client
            }
            switch errno {
            case EINTR, ECONNABORTED, EMFILE, ENFILE, ENOBUFS, ENOMEM:
                if errno != EINTR { usleep(10_000) }
                continue
            default:
                return nil
            }
        }
    }

    /// Wakes a blocked `accept` and removes the socket file.
    func shutdownAndUnlink() {
        if ownsPath { unlink(path) }
        shutdown(fd, Int32(SHUT_RDWR))
    }

    deinit { close(fd) }

    /// Whether something accepts connections at `path`.
    private static func isLive(_ path: String) -> Bool {
        guard case .success(let fd)? = try? UnixSocketAddress.connect(path) else { return false }
        close(fd)
        return true
    }
}
