#if canImport(Glibc)
import Glibc
#endif
import Logging
import Synchronization

/// A 1 MiB ballast file beside the store. When the disk fills up, the agent deletes it, so
/// that reads, which must write their audit entry before a value is returned (fail closed),
/// keep working for thousands of requests while the operator frees space; writes of
/// secrets are refused with a clear error meanwhile. Recreated at the next start.
final class DiskReserve: Sendable {
    static let byteCount = 1 << 20
    let path: String
    private let released = Atomic<Bool>(false)
    private let logger: Logger

    /// Creates the ballast if missing (best effort: on an already full disk there is none).
    init(besideStore storePath: String, logger: Logger) {
        path = storePath + ".reserve"
        self.logger = logger
        var info = stat()
        guard stat(path, &info) != 0 || Int(info.st_size) < DiskReserve.byteCount else { return }
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let zeros = [UInt8](repeating: 0, count: 64 * 1024)
        var written = 0
        while written < DiskReserve.byteCount {
            let n = zeros.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
            guard n > 0 else { break }
            written += n
        }
        fsync(fd)
    }

    /// Deletes the ballast once. - Returns: whether space was freed now.
    @discardableResult
    func release() -> Bool {
        guard !released.exchange(true, ordering: .relaxed) else { return false }
        guard unlink(path) == 0 else { return false }
        logger.critical("disk full: released the \(DiskReserve.byteCount >> 20) MiB reserve at \(path) so reads and their audit entries continue; writes are refused until space is freed (then restart the agent to restore the reserve)")
        return true
    }
}
