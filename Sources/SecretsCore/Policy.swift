/// Who may do what (DESIGN §6): the `[[rule]]`s of a policy file, in order. The first
/// rule that matches a caller decides; a caller no rule matches is denied.
public struct Policy: Sendable, Equatable {
    /// The rules in file order.
    public var rules: [PolicyRule]
    /// Where the policy came from (its path), prefixed to every message about it.
    public var source: String

    /// A policy of `rules`, as read from `source`.
    public init(rules: [PolicyRule], source: String) {
        self.rules = rules
        self.source = source
    }

    /// Reads a policy file's text. The rules come back unresolved: call
    /// `resolved(uidOf:gidOf:)` before matching callers. Text with no rules is a valid
    /// policy that matches no one.
    ///
    /// - Throws: `.invalidArgument("SOURCE:LINE: <what> (<fix>)")` for the first problem
    ///   found: text over 1 MiB or a line over 64 KiB; anything outside the supported
    ///   TOML subset (a table other than `[[rule]]`, a key outside a rule, an unknown or
    ///   repeated key, a malformed string, integer or array); a value of the wrong type;
    ///   a uid or gid outside 0...4294967294; an unknown role; an invalid environment or
    ///   glob; an `exe` that is not an absolute path; an invalid `unit` name (`UnitName`);
    ///   a `unit` rule with a role other than `agent` or with a uid, user, gid, group or
    ///   exe key; or a rule without a `role`.
    public static func parse(_ text: String, source: String) throws(SecretsError) -> Policy {
        var parser = PolicyParser(text, source: source)
        return Policy(rules: try parser.parse(), source: source)
    }

    /// The policy with every rule's `user` and `group` resolved to ids
    /// (`PolicyRule.resolved(uidOf:gidOf:source:)`).
    ///
    /// - Throws: `.invalidArgument("SOURCE:LINE: ...")` for the first rule naming a user
    ///   or group this host does not have, or whose name and id disagree.
    public func resolved(uidOf: (String) -> UInt32?, gidOf: (String) -> UInt32?) throws(SecretsError) -> Policy {
        var policy = self
        for index in policy.rules.indices {
            policy.rules[index] = try rules[index].resolved(uidOf: uidOf, gidOf: gidOf, source: source)
        }
        return policy
    }

    /// The first rule matching `caller`, or `nil` when none does (deny). Rules must be
    /// resolved: a `user` or `group` without its id never matches. A caller with a `unit`
    /// (a credential-socket request) matches only rules for that unit.
    public func rule(for caller: Caller) -> PolicyRule? {
        rules.first { $0.matches(caller) }
    }

    /// Whether some rule matches on a gid or group, so the agent must find the caller's
    /// supplementary groups.
    public var usesGroups: Bool {
        rules.contains { $0.gid != nil || $0.group != nil }
    }

    /// Whether some rule matches on `exe`, so the agent must read `/proc/PID/exe`.
    public var usesExecutable: Bool {
        rules.contains { $0.exe != nil }
    }

    /// Whether the caller's uid alone decides which rule matches: no rule has a gid,
    /// group or exe key, so `Caller(uid: uid, gids: [])` gets the same answer.
    public var usesOnlyUID: Bool {
        !usesGroups && !usesExecutable
    }

    /// Who must be able to open the agent's socket for this policy to be reachable.
    public enum SocketAudience: Equatable, Sendable {
        /// Only the agent's own uid: mode 0600.
        case ownerOnly
        /// The owner and members of one group: group-owned by it, mode 0660.
        case group(UInt32)
        /// Anyone: mode 0666; the peer check after `accept` does the denying.
        case everyone
    }

    /// The narrowest socket audience that still lets every caller a rule could match
    /// connect: `.ownerOnly` when every rule that can match requires `ownerUID`;
    /// `.group(g)` when every other such rule requires the one gid `g`; `.everyone`
    /// otherwise. Rules must be resolved; an unresolved rule matches no one and is
    /// ignored, and so is a `unit` rule, which serves the credential socket only.
    public func socketAudience(ownerUID: UInt32) -> SocketAudience {
        var groups = Set<UInt32>()
        for rule in rules {
            if rule.unit != nil { continue }
            if (rule.user != nil && rule.uid == nil) || (rule.group != nil && rule.gid == nil) { continue }
            if rule.uid == ownerUID { continue }
            guard let gid = rule.gid else { return .everyone }
            groups.insert(gid)
        }
        switch groups.count {
        case 0: return .ownerOnly
        case 1: return .group(groups.first!)
        default: return .everyone
        }
    }

    /// What `policy check` should point out though the policy is valid, each as
    /// `SOURCE:LINE: <what>`: rules matching every user, rules that can never match
    /// because an earlier rule matches every caller they would, and rules granting no
    /// environment or no secret.
    public var warnings: [String] {
        var out: [String] = []
        // The first rule with each match signature: a rule is shadowed by an earlier one
        // whose signature is its own with some keys dropped. Eight look-ups a rule, so
        // linear even for a policy of thousands of rules.
        var firstWith: [PolicyRule.Signature: Int] = [:]
        for (index, rule) in rules.enumerated() {
            let at = "\(source):\(rule.line): "
            let signature = rule.signature
            let shadowing = signature.generalizations.compactMap { firstWith[$0] }.min()
            if firstWith[signature] == nil { firstWith[signature] = index }
            if let earlier = shadowing.map({ rules[$0] }) {
                if earlier.matchesEveryUser && earlier.exe == nil {
                    out.append(at + "rule can never match: it follows a rule that matches everyone (line \(earlier.line))")
                } else {
                    out.append(at + "rule can never match: the rule at line \(earlier.line) matches every caller it would")
                }
                continue
            }
            if rule.matchesEveryUser {
                if let exe = rule.exe {
                    out.append(at + "rule matches every user running \(exe); is that intended?")
                } else {
                    out.append(at + "rule matches every user; is that intended?")
                }
            }
            if rule.environments?.isEmpty == true {
                out.append(at + "rule grants no environment (environments = []); is that intended?")
            }
            if rule.secrets?.isEmpty == true {
                out.append(at + "rule grants no secret (secrets = []); is that intended?")
            }
        }
        return out
    }
}

extension PolicyRule {
    fileprivate enum Identity: Hashable {
        case id(UInt32)
        case name(String)
    }

    /// The keys a rule matches on. Conservative: a name and an id are never taken to be
    /// the same, so a rule naming `user = "worker"` shadows `uid = 1001` only once both
    /// are resolved. A `unit` is never dropped: unit rules shadow only rules for the same
    /// unit, and other rules never shadow them.
    fileprivate struct Signature: Hashable {
        var user: Identity?
        var group: Identity?
        var exe: String?
        var unit: UnitName?

        /// This signature with every subset of its keys dropped, itself included: the
        /// signatures of the rules that match every caller this one does.
        var generalizations: [Signature] {
            var out: [Signature] = []
            for dropUser in [false, true] {
                for dropGroup in [false, true] {
                    for dropExe in [false, true] {
                        out.append(Signature(user: dropUser ? nil : user, group: dropGroup ? nil : group,
                                             exe: dropExe ? nil : exe, unit: unit))
                    }
                }
            }
            return out
        }
    }

    fileprivate var signature: Signature {
        Signature(user: uid.map(Identity.id) ?? user.map(Identity.name),
                  group: gid.map(Identity.id) ?? group.map(Identity.name),
                  exe: exe, unit: unit)
    }
}
