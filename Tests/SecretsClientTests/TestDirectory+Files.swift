import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension TestDirectory {
    /// Writes `contents` to `name` in the directory with exactly `mode` (fchmod, so the
    /// umask does not interfere) and returns the file's path.
    @discardableResult
    func write(_ contents: [UInt8], to name: String, mode: mode_t = 0o600) throws -> String {
        let file = path + "/" + name
        let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        try contents.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                guard n > 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
                offset += n
            }
        }
        guard fchmod(fd, mode) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        return file
    }

    /// Writes the UTF-8 of `text`; see `write(_:to:mode:)`.
    @discardableResult
    func write(_ text: String, to name: String, mode: mode_t = 0o600) throws -> String {
        try write(Array(text.utf8), to: name, mode: mode)
    }

    /// Creates the directory `name` (mode 0700) and returns its path.
    @discardableResult
    func directory(_ name: String) throws -> String {
        let made = path + "/" + name
        guard mkdir(made, 0o700) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        return made
    }

    /// Creates a symbolic link `name` pointing at `target` and returns its path.
    @discardableResult
    func symlink(_ name: String, to target: String) throws -> String {
        let link = path + "/" + name
        guard Glibc.symlink(target, link) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        return link
    }
}
