import SecretsCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File-system rules for the store file (DESIGN §5): the file is 0600 and its directory is
/// 0700, both owned by the agent's user; the file is created exclusively, never through a
/// symbolic link.
enum StoreFile {
    private static let typeMask: mode_t = 0o170000
    private static let regularType: mode_t = 0o100000
    private static let directoryType: mode_t = 0o040000
    private static let symlinkType: mode_t = 0o120000
    private static let groupOtherBits: mode_t = 0o077

    /// The directory that holds `path` ("." for a bare file name).
    static func directory(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        if slash == trimmed.startIndex { return "/" }
        return String(trimmed[..<slash])
    }

    /// Whether the file system holding `path` refuses writes as read-only: mounted so, or
    /// made so after an error. Probes by creating (and removing) a file beside it, because
    /// statvfs does not show every read-only state (ext4's emergency read-only after an
    /// error leaves the mount flags alone), and opening the store itself a second time
    /// would drop SQLite's POSIX locks on it when closed.
    static func isOnReadOnlyFileSystem(_ path: String) -> Bool {
        let probe = directory(of: path) + "/.secrets-agent-write-probe-\(getpid())"
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { return errno == EROFS }
        close(fd)
        unlink(probe)
        return false
    }

    /// Whether anything (even a dangling symlink) exists at `path`.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Checks that the store's directory exists, is a directory owned by the effective uid,
    /// and has no group or other permission bits.
    ///
    /// - Throws: `.invalidArgument` saying what is wrong and the command that fixes it.
    static func checkDirectory(of path: String) throws(SecretsError) {
        let directory = directory(of: path)
        var info = stat()
        guard stat(directory, &info) == 0 else {
            let reason = errno == ENOENT ? "no such directory" : String(cString: strerror(errno))
            throw .invalidArgument("refusing to use \(directory): \(reason) (run: mkdir -m 700 \(directory))")
        }
        guard info.st_mode & typeMask == directoryType else {
            throw .invalidArgument("refusing to use \(directory): not a directory (keep the store in a directory of its own)")
        }
        let euid = geteuid()
        guard info.st_uid == euid else {
            throw .invalidArgument("refusing to use \(directory): owned by uid \(info.st_uid), not by uid \(euid) that runs secrets-agent (run: chown \(euid) \(directory))")
        }
        guard info.st_mode & groupOtherBits == 0 else {
            throw .invalidArgument("refusing to use \(directory): mode \(octal(info.st_mode)) is too open, want 0700 (run: chmod 700 \(directory))")
        }
    }

    /// Checks that an existing store file is a regular file (not a symlink) owned by the
    /// effective uid with no group or other permission bits.
    ///
    /// - Throws: `.notFound` when nothing is at `path`; `.invalidArgument` otherwise.
    static func checkExistingFile(_ path: String) throws(SecretsError) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT {
                throw .notFound("no store at \(path) (run: secrets-agent init --store \(path) --passphrase-file F)")
            }
            throw .invalidArgument("refusing to use \(path): \(String(cString: strerror(errno)))")
        }
        let type = info.st_mode & typeMask
        guard type != symlinkType else {
            throw .invalidArgument("refusing to use \(path): it is a symbolic link (point --store at the real file)")
        }
        guard type == regularType else {
            throw .invalidArgument("refusing to use \(path): not a regular file")
        }
        let euid = geteuid()
        guard info.st_uid == euid else {
            throw .invalidArgument("refusing to use \(path): owned by uid \(info.st_uid), not by uid \(euid) that runs secrets-agent (run: chown \(euid) \(path))")
        }
        guard info.st_mode & groupOtherBits == 0 else {
            throw .invalidArgument("refusing to use \(path): mode \(octal(info.st_mode)) is too open, want 0600 (run: chmod 600 \(path))")
        }
    }

    /// Creates an empty store file with mode 0600, failing if anything is already there
    /// (`O_CREAT|O_EXCL`, which also refuses a symbolic link).
    ///
    /// - Throws: `.alreadyExists` when the path is taken; `.unavailable` when it cannot be
    ///   created.
    static func createExclusive(_ path: String) throws(SecretsError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(0o600))
        guard fd >= 0 else {
            if errno == EEXIST { throw alreadyExists(path) }
            throw .unavailable("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        // The umask may only have narrowed the mode; make it exactly 0600.
        let chmodFailed = fchmod(fd, 0o600) != 0
        let reason = String(cString: strerror(errno))
        close(fd)
        if chmodFailed {
            unlink(path)
            throw .unavailable("cannot set mode 0600 on \(path): \(reason)")
        }
    }

    /// The error for a store that is already there.
    static func alreadyExists(_ path: String) -> SecretsError {
        .alreadyExists("store already exists at \(path) (use it, or remove it first)")
    }

    /// Sets SQLite's `-wal` and `-shm` side files, where present, to 0600. SQLite already
    /// copies the database file's mode, so this holds even when the process umask is lax.
    static func tightenSideFiles(of path: String) {
        for suffix in ["-wal", "-shm"] {
            let side = path + suffix
            var info = stat()
            guard lstat(side, &info) == 0, info.st_mode & typeMask == regularType else { continue }
            if info.st_mode & 0o7777 != 0o600 { chmod(side, 0o600) }
        }
    }

    /// Removes a half-created store and its side files.
    static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
    }

    /// A mode as four octal digits, e.g. `0755`.
    static func octal(_ mode: mode_t) -> String {
        let digits = String(mode & 0o7777, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
