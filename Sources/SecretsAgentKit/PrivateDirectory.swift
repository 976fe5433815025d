#if canImport(Glibc)
import Glibc
#endif
import SecretsCore

/// A directory that holds the socket or the store: created 0700 when missing; refused when
/// another user owns it or group/other may write to it (DESIGN §5, §10).
enum PrivateDirectory {
    /// Ensures the directory containing `path` is safe, creating it when missing.
    /// - Throws: `.invalidArgument` naming the directory and the fix.
    static func prepare(containing path: String) throws(SecretsError) {
        let directory = parent(of: path)
        var info = stat()
        if lstat(directory, &info) != 0 {
            guard errno == ENOENT else {
                throw .invalidArgument("refusing to start: cannot inspect \(directory): \(String(cString: strerror(errno)).lowercased()) (check the path)")
            }
            try createDirectory(directory)
            guard lstat(directory, &info) == 0 else {
                throw .internal("cannot inspect \(directory) after creating it: errno \(errno)")
            }
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw .invalidArgument("refusing to start: \(directory) is not a directory (choose another path)")
        }
        guard info.st_uid == geteuid() else {
            throw .invalidArgument("refusing to start: \(directory) is owned by uid \(info.st_uid), not \(geteuid()) (run: chown \(geteuid()) \(directory))")
        }
        let mode = info.st_mode & 0o7777
        guard mode & 0o022 == 0 else {
            throw .invalidArgument("refusing to start: \(directory) has mode \(octal(mode)), which lets others replace what is in it; want 0700 (run: chmod 700 \(directory))")
        }
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let p = String(path[..<slash])
        return p.isEmpty ? "/" : p
    }

    static func octal(_ mode: mode_t) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// mkdir -p with 0700 for the directories it creates.
    private static func createDirectory(_ path: String) throws(SecretsError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                throw .invalidArgument("refusing to start: cannot create \(prefix): \(String(cString: strerror(errno)).lowercased()) (create it with mode 0700)")
            }
        }
    }
}
