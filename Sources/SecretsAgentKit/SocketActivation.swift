#if canImport(Glibc)
import Glibc
#endif
import SecretsCore

/// The listening socket systemd (or `systemd-socket-activate`) passed to this process:
/// `LISTEN_PID` names us, `LISTEN_FDS` counts the fds from 3 (SD_LISTEN_FDS_START), and
/// `LISTEN_FDNAMES` names them, colon-separated. The fd named `agent.sock` is preferred,
/// else the first. The variables are removed from the environment once read, as
/// `sd_listen_fds(1)` does, so no child inherits them.
enum SocketActivation {
    /// The first fd passed by the service manager.
    static let firstFD: Int32 = 3

    /// The inherited listening fd, or nil when this process was not socket-activated.
    /// - Throws: `.invalidArgument` when the passed fd is not a listening AF_UNIX stream socket.
    static func inheritedListener() throws(SecretsError) -> Int32? {
        defer {
            unsetenv("LISTEN_PID")
            unsetenv("LISTEN_FDS")
            unsetenv("LISTEN_FDNAMES")
        }
        guard let pidText = environment("LISTEN_PID"), let pid = Int32(pidText), pid == getpid(),
              let countText = environment("LISTEN_FDS"), let count = Int32(countText), count >= 1 else {
            return nil
        }
        var index: Int32 = 0
        if let names = environment("LISTEN_FDNAMES") {
            let parts = names.split(separator: ":", omittingEmptySubsequences: false)
            if let named = parts.firstIndex(of: "agent.sock"), named < Int(count) { index = Int32(named) }
        }
        let fd = firstFD + index
        try verifyListening(fd)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        // systemd-socket-activate passes a non-blocking socket; the accept loop blocks.
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0, flags & O_NONBLOCK != 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
        return fd
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
