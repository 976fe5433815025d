#if canImport(Glibc)
import Glibc
#endif
import SecretsCrypto

/// The rules every file a loader reads must pass (`Secret.load(fromFile:root:)`,
/// `SecretKey.load(fromFile:root:)`, systemd credentials), and the reading itself: straight
/// into locked memory, never through a `String`.
///
/// A path is refused when it has a `..` component; when it is a symbolic link (unless a
/// root is given and the link stays inside it); when, with a root, it resolves outside
/// that root; when it is not a regular file; when the file has any group or other
/// permission bit; when it is empty, only whitespace, or larger than 1 MiB.
enum SecretFile {
    /// The largest file a loader reads: 1 MiB.
    static let maxByteCount = 1 << 20

    /// Reads the file at `path` and returns its contents without surrounding ASCII
    /// whitespace, in secure memory. `noun` names what is loaded in messages ("secret",
    /// "key"). With a `root`, the file's real path (every link followed) must lie inside
    /// the root's real path; relative paths are relative to the working directory.
    static func read(_ path: String, root: String?, noun: String) throws(LoaderError) -> SecureBytes {
        let what = "cannot load \(noun) from \(path)"
        guard !path.isEmpty else {
            throw LoaderError(.invalidPath, "cannot load \(noun): the path is empty (give the file's path)")
        }
        guard !path.utf8.contains(0), !(root?.utf8.contains(0) ?? false) else {
            throw LoaderError(.invalidPath, "cannot load \(noun): the path contains a NUL byte (give the file's path)")
        }
        // Bytes, not Characters: "/" followed by a combining mark is one Character.
        let slash = UInt8(ascii: "/")
        guard !path.utf8.split(separator: slash).contains(where: { $0.elementsEqual("..".utf8) }) else {
            throw LoaderError(.invalidPath, "\(what): the path has a .. component (give the path without ..)")
        }
        let fd: Int32
        if let root {
            let resolvedRoot = try resolve(root, what: what, role: "root \(root)")
            let resolved = try resolve(path, what: what, role: nil)
            guard isInside(resolved, resolvedRoot) else {
                throw LoaderError(.invalidPath, "\(what): it resolves outside \(root) (keep the file, and any link's target, inside \(root))")
            }
            fd = try open(resolved, what: what)
            // A directory between root and file could have been swapped for a link after
            // realpath; /proc tells where the open file really is.
            if openedFile(fd, liesInside: resolvedRoot) == false {
                close(fd)
                throw LoaderError(.invalidPath, "\(what): it was outside \(root) when opened (a directory on the path changed meanwhile; try again)")
            }
        } else {
            fd = try open(path, what: what)
        }
        defer { close(fd) }
        return try read(fd, path: path, what: what)
    }

    /// Opens without following a final symbolic link, and without blocking on a FIFO
    /// before `fstat` can tell it is not a regular file.
    private static func open(_ path: String, what: String) throws(LoaderError) -> Int32 {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else {
            let code = errno
            switch code {
            case ENOENT:
                throw LoaderError(.notFound, "\(what): no such file (check the path)")
            case ELOOP:
                throw LoaderError(.invalidPath, "\(what): it is a symbolic link (point at the file itself)")
            default:
                throw LoaderError(.io, "\(what): \(describe(code))")
            }
        }
        return fd
    }

    private static func read(_ fd: Int32, path: String, what: String) throws(LoaderError) -> SecureBytes {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw LoaderError(.io, "\(what): \(describe(errno))") }
        let type = info.st_mode & S_IFMT
        guard type == S_IFREG else {
            let it = type == S_IFDIR ? "it is a directory" : "it is not a regular file"
            throw LoaderError(.notRegularFile, "\(what): \(it) (point at the file itself)")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw LoaderError(.insecurePermissions, "\(what): mode \(octal(info.st_mode & 0o777)) is too open, expected 0600 or 0400 (run: chmod 600 \(path))")
        }
        guard info.st_size > 0 else {
            throw LoaderError(.empty, "\(what): the file is empty (write the value into it)")
        }
        guard info.st_size <= maxByteCount else {
            throw LoaderError(.tooLarge, "\(what): the file is \(info.st_size) bytes, more than \(maxByteCount) (a secret file holds at most 1 MiB)")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        let contents = SecureBytes(count: Int(info.st_size))
        let complete = contents.withUnsafeMutableBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.read(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                offset += n
            }
            // One more byte would mean the file grew after fstat.
            var extra: UInt8 = 0
            var n: Int
            repeat { n = Glibc.read(fd, &extra, 1) } while n < 0 && errno == EINTR
            extra = 0
            return n == 0
        }
        guard complete else {
            contents.withUnsafeMutableBytes { SecretStorage.wipe($0) }
            throw LoaderError(.io, "\(what): the file changed while it was read (try again)")
        }
        guard let trimmed = contents.trimmingASCIIWhitespace() else {
            contents.withUnsafeMutableBytes { SecretStorage.wipe($0) }
            throw LoaderError(.empty, "\(what): the file holds only whitespace (write the value into it)")
        }
        if trimmed !== contents {
            contents.withUnsafeMutableBytes { SecretStorage.wipe($0) }
        }
        return trimmed
    }

    /// The canonical absolute path: every link followed, no `.` or `..`.
    private static func resolve(_ path: String, what: String, role: String?) throws(LoaderError) -> String {
        guard let resolved = realpath(path, nil) else {
            let code = errno
            if code == ENOENT {
                throw LoaderError(.notFound, "\(what): \(role.map { "\($0) does not exist" } ?? "no such file") (check the path)")
            }
            throw LoaderError(.io, "\(what): \(role.map { "\($0): " } ?? "")\(describe(code))")
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether the file open as `fd` lies inside the canonical directory `root`, by the path
    /// `/proc/self/fd/FD` leads to; `nil` when that cannot be read (no /proc).
    static func openedFile(_ fd: Int32, liesInside root: String) -> Bool? {
        guard let opened = realpath("/proc/self/fd/\(fd)", nil) else { return nil }
        defer { free(opened) }
        return isInside(String(cString: opened), root)
    }

    /// Whether `path` lies strictly inside the directory `root` (both canonical).
    static func isInside(_ path: String, _ root: String) -> Bool {
        if root == "/" { return path.utf8.count > 1 && path.utf8.first == UInt8(ascii: "/") }
        let prefix = Array(root.utf8) + [UInt8(ascii: "/")]
        return path.utf8.count > prefix.count && path.utf8.starts(with: prefix)
    }

    /// `0644` for mode 0o644.
    static func octal(_ mode: mode_t) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    private static func describe(_ code: Int32) -> String {
        String(cString: strerror(code)).lowercased()
    }
}
