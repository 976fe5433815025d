import SecretsCore
import SecretsCrypto
#if canImport(Glibc)
import Glibc
#endif

/// Reads a whole file (or stdin for `-`) that may hold values, straight into locked memory.
enum SecretInput {
    /// Largest file `import` reads: 64 MiB.
    static let limit = 64 << 20

    /// The bytes of `path` (`-`: standard input).
    /// - Throws: `.invalidArgument` naming the file when it cannot be opened or read, or is
    ///   over `limit`.
    static func read(_ path: String, limit: Int = SecretInput.limit) throws(SecretsError) -> SecureBytes {
        let fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw .invalidArgument("cannot read \(path): \(String(cString: strerror(errno)).lowercased()) (check the path)")
        }
        defer { if fd != 0 { close(fd) } }
        var buffer = SecureBytesBuilder(capacity: 64 * 1024)
        while true {
            var failure: Int32 = 0
            var done = false
            buffer.appendUsing(maximum: 64 * 1024) { raw in
                while true {
                    let n = Glibc.read(fd, raw.baseAddress!, raw.count)
                    if n < 0 && errno == EINTR { continue }
                    if n < 0 { failure = errno }
                    if n <= 0 { done = true }
                    return max(n, 0)
                }
            }
            if failure != 0 {
                throw .invalidArgument("cannot read \(path): \(String(cString: strerror(failure)).lowercased()) (check the path)")
            }
            guard buffer.count <= limit else {
                throw .invalidArgument("cannot read \(path): it is over \(limit >> 20) MiB (split it)")
            }
            if done { return buffer.finish() }
        }
    }
}
