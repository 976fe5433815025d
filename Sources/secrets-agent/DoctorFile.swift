#if canImport(Glibc)
import Glibc
#endif

/// `lstat`/`stat` of one path, as the doctor checks read it.
struct DoctorFile {
    let path: String
    let info: stat

    /// `lstat` (or `stat` when `follow`); nil when the path cannot be examined.
    init?(_ path: String, follow: Bool = false) {
        var info = stat()
        guard (follow ? stat(path, &info) : lstat(path, &info)) == 0 else { return nil }
        self.path = path
        self.info = info
    }

    var mode: mode_t { info.st_mode & 0o7777 }
    var type: mode_t { info.st_mode & S_IFMT }
    var isDirectory: Bool { type == S_IFDIR }
    var isRegular: Bool { type == S_IFREG }
    var isSymlink: Bool { type == S_IFLNK }
    var isSocket: Bool { type == S_IFSOCK }
    var owner: uid_t { info.st_uid }
    var octal: String { "0" + String(mode & 0o777, radix: 8) }

    /// "no such file or directory" etc. for the last failed call.
    static func why() -> String { String(cString: strerror(errno)).lowercased() }

    /// Reads up to `limit` bytes of a file; nil when it cannot be read. The caller wipes
    /// the result when it may hold key material.
    static func read(_ path: String, limit: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: limit)
        // The buffer may have held key material: wipe it once the caller has its copy.
        defer { for i in bytes.indices { bytes[i] = 0 } }
        var count = 0
        while count < limit {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, limit - count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { break }
            count += n
        }
        return Array(bytes[0..<count])
    }
}
