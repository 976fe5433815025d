#if canImport(Glibc)
import Glibc
#endif
import SecretsCore
import SecretsCrypto

/// Key files, passphrase files and credentials on disk: read straight into locked memory,
/// and only when nobody but their owner could have read or replaced them (DESIGN §4).
public enum KeyMaterialFile {
    /// Largest file read (a passphrase or a hex key is far smaller).
    static let maxByteCount = 64 * 1024

    /// Reads a regular file that is owned by the effective uid and has no group/other bits.
    /// - Throws: `.invalidArgument` with the fix (chmod, chown) for an unsafe file,
    ///   `.notFound` when missing.
    public static func read(_ path: String) throws(SecretsError) -> SecureBytes {
        // O_NONBLOCK so a FIFO in place of the file cannot hang us before the checks below.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else {
            let why = String(cString: strerror(errno)).lowercased()
            if errno == ENOENT { throw .notFound("cannot read \(path): \(why) (check the path)") }
            if errno == ELOOP { throw .invalidArgument("cannot read \(path): it is a symbolic link (point at the file itself)") }
            throw .invalidArgument("cannot read \(path): \(why)")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .internal("cannot inspect \(path): errno \(errno)") }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw .invalidArgument("cannot read \(path): not a regular file (point at the file itself)")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        guard info.st_uid == geteuid() else {
            throw .invalidArgument("cannot read \(path): owned by uid \(info.st_uid), not \(geteuid()) (run: chown \(geteuid()) \(path))")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw .invalidArgument("cannot read \(path): mode \(PrivateDirectory.octal(mode)) is too open (run: chmod 600 \(path))")
        }
        guard info.st_size > 0 else { throw .invalidArgument("cannot read \(path): the file is empty") }
        guard info.st_size <= maxByteCount else {
            throw .invalidArgument("cannot read \(path): \(info.st_size) bytes is larger than a key file can be")
        }
        let contents = SecureBytes(count: Int(info.st_size))
        let complete = contents.withUnsafeMutableBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.read(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        guard complete else { throw .invalidArgument("cannot read \(path): the file changed while it was read") }
        return contents
    }

    /// Creates `path` with mode 0600 and writes `contents`; refuses to replace a file.
    /// - Throws: `.alreadyExists` when the file exists.
    public static func create(_ path: String, contents: SecureBytes) throws(SecretsError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST { throw .alreadyExists("\(path) already exists (choose another path, or use it with --key-file)") }
            throw .invalidArgument("cannot create \(path): \(String(cString: strerror(errno)).lowercased())")
        }
        defer { close(fd) }
        fchmod(fd, 0o600)
        let written = contents.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                offset += n
            }
            return fsync(fd) == 0
        }
        guard written else {
            unlink(path)
            throw .resourceExhausted("cannot write \(path): \(String(cString: strerror(errno)).lowercased())")
        }
    }
}
