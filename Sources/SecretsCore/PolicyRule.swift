/// One `[[rule]]` of a policy file (DESIGN §6): whom it matches and what it grants.
///
/// A rule matches a caller when every key it gives matches; a rule that gives no uid,
/// user, gid or group matches every user. `user` and `group` match only once
/// `resolved(uidOf:gidOf:source:)` has filled `uid` and `gid` from them.
///
/// A rule with `unit` is of another kind: it matches only requests on the credential
/// socket (systemd's `LoadCredential=`) for that unit, never a peer of the agent's socket,
/// and a credential request matches no rule without `unit`.
public struct PolicyRule: Sendable, Equatable {
    /// The line of the rule's `[[rule]]` header, for messages.
    public var line: Int
    /// The caller's uid must be this.
    public var uid: UInt32?
    /// The caller's user name; matches through `uid` once resolved, kept for messages.
    public var user: String?
    /// One of the caller's gids (primary or supplementary) must be this.
    public var gid: UInt32?
    /// The caller's group name; matches through `gid` once resolved, kept for messages.
    public var group: String?
    /// The caller's executable must be exactly this absolute path.
    public var exe: String?
    /// The systemd unit whose `LoadCredential=` requests the rule serves; such a rule has
    /// no uid, user, gid, group or exe, and its role is `agent`.
    public var unit: UnitName?
    /// What a matching caller may do (`Role.permits(_:)`).
    public var role: Role
    /// The environments the rule grants; `nil` grants all.
    public var environments: [Environment]?
    /// The secret names the rule grants; `nil` grants all.
    public var secrets: [NameGlob]?

    /// A rule; every key but `role` is optional, as in the file.
    public init(line: Int, uid: UInt32? = nil, user: String? = nil, gid: UInt32? = nil, group: String? = nil,
                exe: String? = nil, unit: UnitName? = nil, role: Role, environments: [Environment]? = nil, secrets: [NameGlob]? = nil) {
        self.line = line
        self.uid = uid
        self.user = user
        self.gid = gid
        self.group = group
        self.exe = exe
        self.unit = unit
        self.role = role
        self.environments = environments
        self.secrets = secrets
    }

    /// Whether the rule grants `environment`.
    public func allows(environment: Environment) -> Bool {
        environments?.contains(environment) ?? true
    }

    /// Whether the rule grants the secret `name` (in any environment it grants).
    public func allows(name: SecretName) -> Bool {
        secrets?.contains { $0.matches(name.rawValue) } ?? true
    }

    /// Whether every key of the rule matches `caller`. A `user` or `group` not yet
    /// resolved to an id never matches. A rule with a `unit` matches only a caller with
    /// that unit; a caller with a unit matches only such a rule.
    public func matches(_ caller: Caller) -> Bool {
        guard unit == caller.unit else { return false }
        if unit != nil { return true }
        if user != nil && uid == nil { return false }
        if group != nil && gid == nil { return false }
        if let uid, uid != caller.uid { return false }
        if let gid, !caller.gids.contains(gid) { return false }
        if let exe, exe != caller.exe { return false }
        return true
    }

    /// Whether the rule names no user or group, so it matches every user (running `exe`,
    /// when given). Never true of a `unit` rule, which matches no user.
    public var matchesEveryUser: Bool {
        unit == nil && uid == nil && user == nil && gid == nil && group == nil
    }

    /// The rule on one line, for `policy check` and denial messages, e.g.
    /// `rule at line 3: user worker (uid 1001) → agent for production; openai/*, db/**`.
    public var summary: String {
        var who: [String] = []
        if let user { who.append("user \(user)" + (uid.map { " (uid \($0))" } ?? "")) }
        else if let uid { who.append("uid \(uid)") }
        if let group { who.append("group \(group)" + (gid.map { " (gid \($0))" } ?? "")) }
        else if let gid { who.append("gid \(gid)") }
        var subject = who.isEmpty ? "everyone" : who.joined(separator: " in ")
        if let exe { subject += " running \(exe)" }
        if let unit { subject = "unit \(unit) (LoadCredential=)" }
        let places = environments.map { $0.isEmpty ? "no environments" : $0.map(\.rawValue).joined(separator: ", ") }
            ?? "all environments"
        let names = secrets.map { $0.isEmpty ? "no secrets" : $0.map(\.pattern).joined(separator: ", ") }
            ?? "all secrets"
        return "rule at line \(line): \(subject) → \(role.rawValue) for \(places); \(names)"
    }

    /// The rule with `uid` filled from `user` and `gid` from `group` (the names are kept
    /// for messages). Resolving twice gives the same rule.
    ///
    /// - Parameters:
    ///   - uidOf: looks a user name up on this host (`getpwnam`), `nil` when there is none.
    ///   - gidOf: looks a group name up on this host (`getgrnam`), `nil` when there is none.
    ///   - source: the policy file's path, prefixed to messages.
    /// - Throws: `.invalidArgument("SOURCE:LINE: ...")` when `user` or `group` names no
    ///   user or group on this host, or resolves to an id other than the `uid` or `gid`
    ///   the rule also gives.
    public func resolved(uidOf: (String) -> UInt32?, gidOf: (String) -> UInt32?,
                         source: String) throws(SecretsError) -> PolicyRule {
        var rule = self
        if let user {
            guard let found = uidOf(user) else {
                throw .invalidArgument("\(source):\(line): no user \(SecretName.quoted(user)) on this host (create it, or fix the rule)")
            }
            if let uid, uid != found {
                throw .invalidArgument("\(source):\(line): user \(SecretName.quoted(user)) is uid \(found) on this host, but the rule says uid \(uid) (keep one of user and uid, or make them agree)")
            }
            rule.uid = found
        }
        if let group {
            guard let found = gidOf(group) else {
                throw .invalidArgument("\(source):\(line): no group \(SecretName.quoted(group)) on this host (create it, or fix the rule)")
            }
            if let gid, gid != found {
                throw .invalidArgument("\(source):\(line): group \(SecretName.quoted(group)) is gid \(found) on this host, but the rule says gid \(gid) (keep one of group and gid, or make them agree)")
            }
            rule.gid = found
        }
        return rule
    }
}
