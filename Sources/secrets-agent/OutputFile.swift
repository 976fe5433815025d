import SecretsCore
#if canImport(Glibc)
import Glibc
#endif

/// A file written whole or not at all, mode 0600: written to a temporary file beside it
/// (mkstemp: O_EXCL, 0600), synced, then linked into place (which refuses an existing
/// file) or, with `force`, renamed over it.
enum OutputFile {
    /// Fails early, before any slow work, when `path` exists and `force` is not set.
    static func checkWritable(_ path: String, force: Bool) throws(SecretsError) {
        var info = stat()
        if !force, lstat(path, &info) == 0 {
            throw .alreadyExists("refusing to overwrite \(path): it exists (remove it, choose another path, or use --force)")
        }
    }

    /// Creates `path` holding what `body` writes through its sink.
    /// - Throws: `.alreadyExists` when `path` exists and `force` is not set; `.unavailable`
    ///   for an I/O failure (nothing is left behind); what `body` throws.
    static func write(_ path: String, force: Bool,
                      _ body: (_ sink: (UnsafeRawBufferPointer) -> Void) throws -> Void) throws {
        try checkWritable(path, force: force)
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let base = path.split(separator: "/").last.map(String.init) ?? path
        var template = Array("\(directory.isEmpty ? "/" : directory)/.\(base).XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw failure("cannot create \(path)", errno) }
        let temporary = String(cString: template)
        var written = true
        var writeError: Int32 = 0
        do {
            defer { close(fd) }
            fchmod(fd, 0o600)
            try body { bytes in
                var offset = 0
                while written, offset < bytes.count {
                    let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 {
                        written = false
                        writeError = errno
                    } else {
                        offset += n
                    }
                }
            }
            guard written, fsync(fd) == 0 else {
                throw failure("cannot write \(path)", writeError != 0 ? writeError : errno)
            }
        } catch {
            unlink(temporary)
            throw error
        }
        defer { unlink(temporary) }
        if force {
            guard rename(temporary, path) == 0 else { throw failure("cannot write \(path)", errno) }
        } else if link(temporary, path) != 0 {
            let code = errno
            if code == EEXIST {
                throw SecretsError.alreadyExists("refusing to overwrite \(path): it exists (remove it, choose another path, or use --force)")
            }
            throw failure("cannot write \(path)", code)
        }
    }

    private static func failure(_ what: String, _ code: Int32) -> SecretsError {
        .unavailable("\(what): \(String(cString: strerror(code)).lowercased()) (check the directory exists and is writable)")
    }
}
