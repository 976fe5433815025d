import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A fresh mode-0700 directory under /tmp for one test, removed when released.
final class TestDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/secrets-agentkit-test-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        path = String(cString: made)
        guard chmod(path, 0o700) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    }

    deinit {
        // Tests chmod things; make sure everything can be removed.
        _ = chmod(path, 0o700)
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `contents` to `name` in this directory with `mode` (exactly, whatever the umask).
    @discardableResult
    func file(_ name: String, _ contents: [UInt8], mode: mode_t = 0o600) throws -> String {
        let path = self.path + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        let written = contents.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == contents.count, fchmod(fd, mode) == 0 else { throw POSIXError(.EIO) }
        return path
    }

    /// Makes directory `name` with `mode` (exactly, whatever the umask).
    @discardableResult
    func directory(_ name: String, mode: mode_t) throws -> String {
        let path = self.path + "/" + name
        guard mkdir(path, 0o700) == 0, chmod(path, mode) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        return path
    }
}

/// Permission bits of `path` (lstat), or nil when it does not exist.
func fileMode(_ path: String) -> mode_t? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    return info.st_mode & 0o7777
}

/// Whether `path` (lstat) is a directory.
func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
}
