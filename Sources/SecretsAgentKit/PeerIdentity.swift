#if canImport(Glibc)
import Glibc
#endif
import SecretsCore

/// A connected peer as the policy sees it: the kernel's credentials (SO_PEERCRED) and the
/// executable behind its pid, read from /proc when the connection is accepted.
struct PeerIdentity: Sendable {
    let credentials: PeerCredentials
    /// `/proc/PID/exe`, or nil when it cannot be read (the process is gone, or hidden).
    let executable: String?

    init(credentials: PeerCredentials, executable: String?) {
        self.credentials = credentials
        self.executable = executable
    }

    /// Resolves the executable of `credentials.pid`.
    static func resolve(_ credentials: PeerCredentials) -> PeerIdentity {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/\(credentials.pid)/exe", &buffer, buffer.count - 1)
        let executable = length > 0 ? String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self) : nil
        return PeerIdentity(credentials: credentials, executable: executable)
    }

    /// The agent itself, for entries it makes on its own account (start-up unlock, idle lock).
    static var ownProcess: PeerIdentity {
        PeerIdentity(credentials: PeerCredentials(pid: getpid(), uid: geteuid(), gid: getegid()), executable: nil)
    }

    /// "uid 1001 (worker)".
    var who: String { "uid \(credentials.uid)\(UserDirectory.label(credentials.uid))" }
}
