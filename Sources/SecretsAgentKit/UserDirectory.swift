#if canImport(Glibc)
import Glibc
#endif

/// User names for messages and status output.
enum UserDirectory {
    /// The login name of `uid`, or nil when it has none.
    static func name(of uid: UInt32) -> String? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let name = entry.pw_name else {
            return nil
        }
        return String(cString: name)
    }

    /// " (name)" when `uid` has a name, else "".
    static func label(_ uid: UInt32) -> String {
        name(of: uid).map { " (\($0))" } ?? ""
    }
}
