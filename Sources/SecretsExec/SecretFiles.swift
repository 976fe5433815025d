#if canImport(Glibc)
import Glibc
#endif
internal import CShims
import SecretsCore

/// Files mode (`exec --files DIR`): a fresh 0700 directory holding each secret as a 0400
/// file named after its variable, laid out like systemd's $CREDENTIALS_DIRECTORY.
/// Files are replaced atomically (write a temporary file, then rename) and, at the end,
/// overwritten with zeros and removed together with the directory.
public final class SecretFiles {
    public let directory: String
    private var written: Set<String> = []

    /// Creates `directory` (0700); refuses one that already exists.
    /// - Throws: `.alreadyExists` or `.invalidArgument` saying what to do.
    public init(creating directory: String) throws(SecretsError) {
        var trimmed = directory
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard mkdir(trimmed, 0o700) == 0 else {
            let reason = errno
            if reason == EEXIST {
                throw .alreadyExists("--files \(trimmed): it already exists (name a directory that does not exist yet; it is created and removed)")
            }
            throw .invalidArgument("--files \(trimmed): cannot create it: \(String(cString: strerror(reason)).lowercased()) (check that its parent exists and is writable)")
        }
        chmod(trimmed, 0o700)  // whatever the umask
        self.directory = trimmed
    }

    /// Whether the directory is on tmpfs or ramfs, so the files never reach a disk.
    public var isInMemory: Bool { cshims_is_memory_filesystem(directory) == 1 }

    /// Writes (or atomically replaces) the file for `variable` with `value`, mode 0400.
    public func write(_ variable: String, _ value: some SecretValueBytes) throws(SecretsError) {
        let path = directory + "/" + variable
        let temporary = directory + "/." + variable + ".new"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o400)
        guard fd >= 0 else {
            throw .internal("cannot write \(path): \(String(cString: strerror(errno)).lowercased())")
        }
        let complete = value.withUnsafeBytes { raw in SecretFiles.writeAll(fd, raw) } && fsync(fd) == 0
        close(fd)
        guard complete, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno)).lowercased()
            SecretFiles.wipeAndRemove(temporary)
            throw .internal("cannot write \(path): \(reason)")
        }
        written.insert(variable)
    }

    /// Overwrites every file with zeros, removes them and the directory. Idempotent.
    public func remove() {
        for variable in written { SecretFiles.wipeAndRemove(directory + "/" + variable) }
        written.removeAll()
        rmdir(directory)
    }

    deinit { remove() }

    static func wipeAndRemove(_ path: String) {
        var info = stat()
        if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG {
            chmod(path, 0o600)
            let fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)
            if fd >= 0 {
                let zeros = [UInt8](repeating: 0, count: Int(info.st_size))
                _ = zeros.withUnsafeBytes { writeAll(fd, $0) }
                fsync(fd)
                close(fd)
            }
        }
        unlink(path)
    }

    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }
}
