#if canImport(Glibc)
import Glibc
#endif

/// The host's users and groups (NSS), for messages and for resolving policy names.
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

    /// The primary gid of `uid`, from the user database.
    static func primaryGroup(of uid: UInt32) -> UInt32? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return entry.pw_gid
    }

    /// " (name)" when `uid` has a name, else "".
    static func label(_ uid: UInt32) -> String {
        name(of: uid).map { " (\($0))" } ?? ""
    }

    /// The uid of the user called `name`.
    static func uid(ofUser name: String) -> UInt32? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return entry.pw_uid
    }

    /// The gid of the group called `name`.
    static func gid(ofGroup name: String) -> UInt32? {
        var entry = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 64 * 1024)
        guard getgrnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return entry.gr_gid
    }

    /// The uids that belong to group `gid`: its listed members and the users whose primary
    /// group it is.
    static func members(ofGroup gid: UInt32) -> Set<UInt32> {
        var members = Set<UInt32>()
        var entry = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 64 * 1024)
        if getgrgid_r(gid, &entry, &buffer, buffer.count, &result) == 0, result != nil, var member = entry.gr_mem {
            while let name = member.pointee {
                if let uid = uid(ofUser: String(cString: name)) { members.insert(uid) }
                member += 1
            }
        }
        setpwent()
        while let user = getpwent() {
            if user.pointee.pw_gid == gid { members.insert(user.pointee.pw_uid) }
        }
        endpwent()
        return members
    }
}
