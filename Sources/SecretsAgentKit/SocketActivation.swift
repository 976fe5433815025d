#if canImport(Glibc)
import Glibc
#endif
import SecretsCore

/// The listening sockets systemd (or `systemd-socket-activate`) passed to this process:
/// `LISTEN_PID` names us, `LISTEN_FDS` counts the fds from 3 (SD_LISTEN_FDS_START), and
/// `LISTEN_FDNAMES` names them, colon-separated (`FileDescriptorName=`). The fd named
/// `credentials.sock` is the `LoadCredential=` socket; the one named `agent.sock`, else the
/// first other one, is the agent's. The variables are removed from the environment once
/// read, as `sd_listen_fds(1)` does, so no child inherits them.
enum SocketActivation {
    /// The first fd passed by the service manager.
    static let firstFD: Int32 = 3
    /// `FileDescriptorName=` of the agent's socket.
    static let agentName = "agent.sock"
    /// `FileDescriptorName=` of the `LoadCredential=` socket.
    static let credentialsName = "credentials.sock"

    /// The inherited listening fds, by use.
    struct Inherited {
        var agent: Int32?
        var credentials: Int32?
    }

    /// The fds passed to this process; both nil when it was not socket-activated.
    /// - Throws: `.invalidArgument` when a passed fd is not a listening AF_UNIX stream socket.
    static func inherited() throws(SecretsError) -> Inherited {
        defer {
            unsetenv("LISTEN_PID")
            unsetenv("LISTEN_FDS")
            unsetenv("LISTEN_FDNAMES")
        }
        guard let pidText = environment("LISTEN_PID"), let pid = Int32(pidText), pid == getpid(),
              let countText = environment("LISTEN_FDS"), let count = Int32(countText), count >= 1 else {
            return Inherited()
        }
        let names = (environment("LISTEN_FDNAMES") ?? "").split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        var found = Inherited()
        for index in 0..<count {
            let name = Int(index) < names.count ? names[Int(index)] : ""
            let fd = firstFD + index
            if name == credentialsName {
                found.credentials = found.credentials ?? fd
            } else if name == agentName {
                found.agent = fd
            } else if found.agent == nil {
                found.agent = fd
            }
        }
        for fd in [found.agent, found.credentials].compactMap({ $0 }) {
            try verifyListening(fd)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            // systemd-socket-activate passes non-blocking sockets; the accept loops block.
            let flags = fcntl(fd, F_GETFL)
            if flags >= 0, flags & O_NONBLOCK != 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
        }
        return found
    }

    /// Checks that `fd` is a listening AF_UNIX SOCK_STREAM socket.
    static func verifyListening(_ fd: Int32) throws(SecretsError) {
        let problem = "inherited fd \(fd) (LISTEN_FDS) is not a listening unix stream socket (check ListenStream= in the .socket unit)"
        var type: Int32 = 0
        var accepting: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length) == 0,
              type == Int32(SOCK_STREAM.rawValue) else { throw .invalidArgument(problem) }
        length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length) == 0, accepting != 0 else {
            throw .invalidArgument(problem)
        }
        var address = sockaddr_storage()
        var addressLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &addressLength) }
        }
        guard named == 0, address.ss_family == sa_family_t(AF_UNIX) else { throw .invalidArgument(problem) }
    }

    /// The filesystem path `fd` is bound to, nil for an abstract or unnamed socket.
    static func boundPath(_ fd: Int32) -> String? {
        var address = sockaddr_un()
        var length = socklen_t(MemoryLayout<sockaddr_un>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0, address.sun_family == sa_family_t(AF_UNIX) else { return nil }
        let pathLength = Int(length) - MemoryLayout.offset(of: \sockaddr_un.sun_path)!
        guard pathLength > 1 else { return nil }
        return withUnsafeBytes(of: address.sun_path) { raw in
            guard raw[0] != 0 else { return nil }
            let bytes = raw.prefix(pathLength).prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    private static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
