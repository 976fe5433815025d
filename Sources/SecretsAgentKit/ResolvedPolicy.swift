#if canImport(Glibc)
import Glibc
#endif
import SecretsCore

/// A policy file read, parsed and resolved against this host's users and groups: names
/// become ids, and group membership (primary or supplementary) is looked up once, at load
/// and on every reload (DESIGN §6).
struct ResolvedPolicy: Sendable {
    let policy: Policy
    /// For each gid a rule names: the uids that belong to it.
    let groupMembers: [UInt32: Set<UInt32>]

    /// Reads `path`, which must be a regular file no one but its owner (root or the agent's
    /// user) can write.
    /// - Throws: `.invalidArgument` with `path:line:` for a bad file, `.notFound` when missing.
    static func load(_ path: String) throws(SecretsError) -> ResolvedPolicy {
        let text = try readPolicyFile(path)
        let parsed = try Policy.parse(text, source: path)
        var rules: [PolicyRule] = []
        for rule in parsed.rules {
            rules.append(try rule.resolved(uidOf: UserDirectory.uid(ofUser:), gidOf: UserDirectory.gid(ofGroup:), source: path))
        }
        var policy = parsed
        policy.rules = rules
        var members: [UInt32: Set<UInt32>] = [:]
        for gid in Set(rules.compactMap(\.gid)) { members[gid] = UserDirectory.members(ofGroup: gid) }
        return ResolvedPolicy(policy: policy, groupMembers: members)
    }

    /// The caller as the policy sees it.
    func caller(for peer: PeerIdentity) -> Caller {
        var gids: Set<UInt32> = [peer.credentials.gid]
        for (gid, uids) in groupMembers where uids.contains(peer.credentials.uid) { gids.insert(gid) }
        return Caller(uid: peer.credentials.uid, gids: gids, exe: peer.executable)
    }

    private static func readPolicyFile(_ path: String) throws(SecretsError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            let why = String(cString: strerror(errno)).lowercased()
            if errno == ENOENT { throw .notFound("cannot read policy \(path): \(why) (check the --policy path)") }
            throw .invalidArgument("cannot read policy \(path): \(why)")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw .invalidArgument("cannot read policy \(path): not a regular file (point at the file itself)")
        }
        guard info.st_uid == 0 || info.st_uid == geteuid() else {
            throw .invalidArgument("cannot read policy \(path): owned by uid \(info.st_uid), want root or \(geteuid()) (run: chown root \(path))")
        }
        guard info.st_mode & 0o022 == 0 else {
            throw .invalidArgument("cannot read policy \(path): mode \(PrivateDirectory.octal(info.st_mode & 0o777)) lets others rewrite who may read secrets (run: chmod 644 \(path))")
        }
        guard info.st_size <= 1 << 20 else { throw .invalidArgument("cannot read policy \(path): larger than 1 MiB") }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            offset += n
        }
        return String(decoding: bytes[0..<offset], as: UTF8.self)
    }
}
