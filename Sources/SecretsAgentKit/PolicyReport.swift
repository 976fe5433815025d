import SecretsCore

/// `secrets-agent policy check` and `policy explain`: a policy file read exactly as the
/// agent reads it (same file checks, same name resolution), described for a person.
public enum PolicyReport {
    /// The effective rules, one per line, then any warnings.
    /// - Throws: `.invalidArgument` with `path:line:` when the file is invalid.
    public static func check(_ path: String) throws(SecretsError) -> [String] {
        let resolved = try ResolvedPolicy.load(path)
        var lines = ["\(path): \(resolved.policy.rules.count) rule\(resolved.policy.rules.count == 1 ? "" : "s"), first match wins, no match is denied"]
        lines += resolved.policy.rules.map { "  " + $0.summary }
        lines += resolved.policy.warnings.map { "warning: " + $0 }
        return lines
    }

    /// Which rule applies to a caller with `uid` (its primary group and memberships from the
    /// user database) running `exe`, and what it grants.
    public static func explain(_ path: String, uid: UInt32, exe: String?) throws(SecretsError) -> String {
        let resolved = try ResolvedPolicy.load(path)
        let gid = UserDirectory.primaryGroup(of: uid) ?? uid
        let peer = PeerIdentity(credentials: PeerCredentials(pid: 0, uid: uid, gid: gid), executable: exe)
        let caller = resolved.caller(for: peer)
        guard let rule = resolved.policy.rule(for: caller) else {
            return "\(peer.who)\(exe.map { " running \($0)" } ?? ""): denied, no rule matches"
        }
        let grant = Grant(role: rule.role, rule: rule, source: path, who: peer.who)
        return "\(peer.who)\(exe.map { " running \($0)" } ?? ""): \(grant.scope)"
    }

    /// Which rule applies when systemd asks the credential socket for a credential of
    /// `unit` (`LoadCredential=`), and what it grants.
    /// - Throws: `.invalidArgument` when the file or the unit name is invalid.
    public static func explain(_ path: String, unit name: String) throws(SecretsError) -> String {
        let unit = try UnitName(name)
        let resolved = try ResolvedPolicy.load(path)
        guard let rule = resolved.policy.rule(for: .unit(unit)) else {
            return "unit \(unit): denied, no rule matches"
        }
        return "unit \(unit): \(Grant(role: rule.role, rule: rule, source: path, who: "unit \(unit)").scope)"
    }
}
