#if canImport(Glibc)
import Glibc
#endif
import SecretsCore

/// AF_UNIX addressing shared by the agent's listener and the clients.
public enum UnixSocketAddress {
    /// A `sockaddr_un` for `path`.
    /// - Throws: `.invalidArgument` when the path is empty or does not fit `sun_path`.
    public static func make(_ path: String) throws(SecretsError) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !bytes.isEmpty else {
            throw .invalidArgument("socket path is empty (give --socket PATH or set SECRETS_AGENT_SOCK)")
        }
        guard bytes.count < capacity else {
            throw .invalidArgument("socket path \(path) is longer than \(capacity - 1) bytes (choose a shorter --socket path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        return address
    }

    /// Connects a new close-on-exec stream socket to `path`.
    /// - Returns: the descriptor, or the errno of the failure.
    public static func connect(_ path: String) throws(SecretsError) -> Result<Int32, Errno> {
        var address = try make(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(Errno(errno)) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if result == 0 { return .success(fd) }
        let failure = Errno(errno)
        close(fd)
        return .failure(failure)
    }

    /// An errno value with its strerror text.
    public struct Errno: Error, Sendable, Equatable, CustomStringConvertible {
        public let code: Int32
        public init(_ code: Int32) { self.code = code }
        public var description: String { String(cString: strerror(code)).lowercased() }
    }
}
