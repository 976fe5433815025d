import SecretsCore
import Testing

@Suite struct PolicyRuleTests {
    static let users: [String: UInt32] = ["worker": 1001, "deploy": 1002, "root": 0]
    static let groups: [String: UInt32] = ["ops": 2001, "wheel": 10]
    static func uidOf(_ name: String) -> UInt32? { users[name] }
    static func gidOf(_ name: String) -> UInt32? { groups[name] }

    @Test func environmentsGrantWhatTheyList() throws {
        let production = try Environment("production")
        let staging = try Environment("staging")
        let all = PolicyRule(line: 1, role: .agent)
        #expect(all.allows(environment: production) && all.allows(environment: staging))
        let one = PolicyRule(line: 1, role: .agent, environments: [production])
        #expect(one.allows(environment: production))
        #expect(!one.allows(environment: staging))
        let none = PolicyRule(line: 1, role: .agent, environments: [])
        #expect(!none.allows(environment: production))
    }

    @Test func secretsGrantNamesTheirGlobsMatch() throws {
        let rule = PolicyRule(line: 1, role: .agent, secrets: [try NameGlob("openai/*"), try NameGlob("db/**")])
        #expect(rule.allows(name: try SecretName("openai/key")))
        #expect(rule.allows(name: try SecretName("db/prod/pass")))
        #expect(!rule.allows(name: try SecretName("openai/a/b")))
        #expect(!rule.allows(name: try SecretName("stripe/key")))
        #expect(PolicyRule(line: 1, role: .agent).allows(name: try SecretName("anything/at/all")))
        #expect(!PolicyRule(line: 1, role: .agent, secrets: []).allows(name: try SecretName("a")))
    }

    @Test func summaries() throws {
        let globs = [try NameGlob("openai/*"), try NameGlob("db/**")]
        let production = try Environment("production")
        #expect(PolicyRule(line: 3, uid: 1001, user: "worker", role: .agent, environments: [production], secrets: globs).summary
            == "rule at line 3: user worker (uid 1001) → agent for production; openai/*, db/**")
        #expect(PolicyRule(line: 3, user: "worker", role: .agent).summary
            == "rule at line 3: user worker → agent for all environments; all secrets")
        #expect(PolicyRule(line: 1, uid: 0, role: .admin).summary
            == "rule at line 1: uid 0 → admin for all environments; all secrets")
        #expect(PolicyRule(line: 9, uid: 5, gid: 2001, group: "ops", exe: "/usr/bin/python3", role: .viewer,
                           environments: [production, try Environment("staging")], secrets: []).summary
            == "rule at line 9: uid 5 in group ops (gid 2001) running /usr/bin/python3 → viewer for production, staging; no secrets")
        #expect(PolicyRule(line: 2, gid: 10, role: .viewer, environments: []).summary
            == "rule at line 2: gid 10 → viewer for no environments; all secrets")
        #expect(PolicyRule(line: 4, role: .viewer).summary
            == "rule at line 4: everyone → viewer for all environments; all secrets")
        #expect(PolicyRule(line: 4, exe: "/bin/x", role: .agent).summary
            == "rule at line 4: everyone running /bin/x → agent for all environments; all secrets")
    }

    @Test func resolvingFillsIdsAndKeepsNames() throws {
        let rule = PolicyRule(line: 2, user: "worker", group: "ops", role: .agent)
        let resolved = try rule.resolved(uidOf: Self.uidOf, gidOf: Self.gidOf, source: "p")
        #expect(resolved == PolicyRule(line: 2, uid: 1001, user: "worker", gid: 2001, group: "ops", role: .agent))
        #expect(try resolved.resolved(uidOf: Self.uidOf, gidOf: Self.gidOf, source: "p") == resolved)
        // Ids alone need no lookup.
        let ids = PolicyRule(line: 2, uid: 7, gid: 8, role: .agent)
        #expect(try ids.resolved(uidOf: { _ in nil }, gidOf: { _ in nil }, source: "p") == ids)
        // A name and an id that agree are fine.
        let both = PolicyRule(line: 2, uid: 1001, user: "worker", role: .agent)
        #expect(try both.resolved(uidOf: Self.uidOf, gidOf: Self.gidOf, source: "p") == both)
    }

    @Test(arguments: [
        (PolicyRule(line: 3, user: "nobody-here", role: .agent),
         "/etc/p.toml:3: no user 'nobody-here' on this host (create it, or fix the rule)"),
        (PolicyRule(line: 5, user: "worker", group: "dev", role: .agent),
         "/etc/p.toml:5: no group 'dev' on this host (create it, or fix the rule)"),
        (PolicyRule(line: 7, uid: 1002, user: "worker", role: .agent),
         "/etc/p.toml:7: user 'worker' is uid 1001 on this host, but the rule says uid 1002 (keep one of user and uid, or make them agree)"),
        (PolicyRule(line: 8, gid: 1, group: "wheel", role: .agent),
         "/etc/p.toml:8: group 'wheel' is gid 10 on this host, but the rule says gid 1 (keep one of group and gid, or make them agree)"),
    ])
    func resolvingErrors(_ rule: PolicyRule, _ expected: String) {
        let error = #expect(throws: SecretsError.self) {
            try rule.resolved(uidOf: Self.uidOf, gidOf: Self.gidOf, source: "/etc/p.toml")
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == expected)
    }

    @Test func matchingNeedsEveryKeyGiven() {
        let caller = Caller(uid: 1001, gids: [1001, 2001], exe: "/usr/bin/python3")
        #expect(PolicyRule(line: 1, role: .agent).matches(caller))
        #expect(PolicyRule(line: 1, uid: 1001, role: .agent).matches(caller))
        #expect(!PolicyRule(line: 1, uid: 1002, role: .agent).matches(caller))
        #expect(PolicyRule(line: 1, gid: 2001, role: .agent).matches(caller))
        #expect(!PolicyRule(line: 1, gid: 2002, role: .agent).matches(caller))
        #expect(PolicyRule(line: 1, uid: 1001, gid: 2001, exe: "/usr/bin/python3", role: .agent).matches(caller))
        #expect(!PolicyRule(line: 1, uid: 1001, gid: 2002, exe: "/usr/bin/python3", role: .agent).matches(caller))
        #expect(!PolicyRule(line: 1, uid: 1001, gid: 2001, exe: "/usr/bin/python3.11", role: .agent).matches(caller))
        #expect(!PolicyRule(line: 1, uid: 1001, exe: "/usr/bin/python3", role: .agent).matches(Caller(uid: 1001, gids: [], exe: nil)))
        // Unresolved names match no one, not everyone.
        #expect(!PolicyRule(line: 1, user: "worker", role: .agent).matches(caller))
        #expect(!PolicyRule(line: 1, uid: 1001, group: "ops", role: .agent).matches(caller))
    }

    @Test func matchesEveryUserOnlyWithoutUserAndGroupKeys() {
        #expect(PolicyRule(line: 1, role: .agent).matchesEveryUser)
        #expect(PolicyRule(line: 1, exe: "/bin/x", role: .agent).matchesEveryUser)
        #expect(!PolicyRule(line: 1, uid: 0, role: .agent).matchesEveryUser)
        #expect(!PolicyRule(line: 1, user: "a", role: .agent).matchesEveryUser)
        #expect(!PolicyRule(line: 1, gid: 0, role: .agent).matchesEveryUser)
        #expect(!PolicyRule(line: 1, group: "a", role: .agent).matchesEveryUser)
    }
}
