import SecretsCore
import Testing

@Suite struct PolicyTests {
    static let users: [String: UInt32] = ["owner": 1000, "worker": 1001, "deploy": 1002]
    static let groups: [String: UInt32] = ["ops": 2001, "dev": 2002]

    static func policy(_ text: String) throws -> Policy {
        try Policy.parse(text, source: "p.toml").resolved(uidOf: { users[$0] }, gidOf: { groups[$0] })
    }

    static let layered = """
        [[rule]]
        user = "owner"
        role = "admin"

        [[rule]]
        user = "worker"
        exe = "/usr/bin/python3"
        role = "agent"
        environments = ["production"]

        [[rule]]
        user = "worker"
        role = "viewer"

        [[rule]]
        group = "ops"
        role = "viewer"
        """

    @Test func theFirstMatchingRuleWins() throws {
        let policy = try Self.policy(Self.layered)
        #expect(policy.rule(for: Caller(uid: 1000, gids: [1000, 2001]))?.line == 1)
        #expect(policy.rule(for: Caller(uid: 1001, gids: [1001], exe: "/usr/bin/python3"))?.line == 5)
        #expect(policy.rule(for: Caller(uid: 1001, gids: [1001], exe: "/usr/bin/bash"))?.line == 11)
        #expect(policy.rule(for: Caller(uid: 1001, gids: [1001, 2001], exe: nil))?.line == 11)
        #expect(policy.rule(for: Caller(uid: 1001, gids: [1001], exe: "/usr/bin/python3"))?.role == .agent)
    }

    @Test func supplementaryGroupsMatch() throws {
        let policy = try Self.policy(Self.layered)
        #expect(policy.rule(for: Caller(uid: 4242, gids: [4242, 7, 2001]))?.line == 15)
        #expect(policy.rule(for: Caller(uid: 4242, gids: [2001]))?.role == .viewer)
    }

    @Test func noMatchIsNil() throws {
        let policy = try Self.policy(Self.layered)
        #expect(policy.rule(for: Caller(uid: 4242, gids: [4242, 2002])) == nil)
        #expect(try Self.policy("").rule(for: Caller(uid: 0, gids: [0])) == nil)
    }

    @Test func everyKeyOfARuleMustMatch() throws {
        let policy = try Self.policy("[[rule]]\nuid = 1001\ngroup = \"ops\"\nexe = \"/bin/x\"\nrole = \"agent\"")
        #expect(policy.rule(for: Caller(uid: 1001, gids: [2001], exe: "/bin/x")) != nil)
        #expect(policy.rule(for: Caller(uid: 1002, gids: [2001], exe: "/bin/x")) == nil)
        #expect(policy.rule(for: Caller(uid: 1001, gids: [2002], exe: "/bin/x")) == nil)
        #expect(policy.rule(for: Caller(uid: 1001, gids: [2001], exe: "/bin/y")) == nil)
        #expect(policy.rule(for: Caller(uid: 1001, gids: [2001], exe: nil)) == nil)
    }

    @Test func unresolvedNamesNeverMatch() throws {
        let unresolved = try Policy.parse(Self.layered, source: "p.toml")
        #expect(unresolved.rule(for: Caller(uid: 1000, gids: [1000, 2001])) == nil)
        #expect(unresolved.rule(for: Caller(uid: 1001, gids: [2001], exe: "/usr/bin/python3")) == nil)
    }

    @Test func resolvingAPolicyReportsTheFirstUnknownName() throws {
        let unresolved = try Policy.parse(Self.layered, source: "p.toml")
        let error = #expect(throws: SecretsError.self) {
            try unresolved.resolved(uidOf: { $0 == "owner" ? 1000 : nil }, gidOf: { _ in 1 })
        }
        #expect(error?.message == "p.toml:5: no user 'worker' on this host (create it, or fix the rule)")
    }

    @Test func whatTheAgentMustLookUp() throws {
        #expect(try Self.policy("[[rule]]\nuid = 1\nrole = 'admin'").usesOnlyUID)
        #expect(try Self.policy("").usesOnlyUID)
        let byGroup = try Self.policy("[[rule]]\ngroup = 'ops'\nrole = 'admin'")
        #expect(byGroup.usesGroups && !byGroup.usesExecutable && !byGroup.usesOnlyUID)
        let byExe = try Self.policy("[[rule]]\nuid = 1\nexe = '/bin/x'\nrole = 'admin'")
        #expect(!byExe.usesGroups && byExe.usesExecutable && !byExe.usesOnlyUID)
    }

    @Test(arguments: [
        ("", Policy.SocketAudience.ownerOnly),
        ("[[rule]]\nuid = 1000\nrole = 'admin'", .ownerOnly),
        ("[[rule]]\nuser = 'owner'\nexe = '/bin/x'\nrole = 'agent'\n[[rule]]\nuid = 1000\nrole = 'admin'", .ownerOnly),
        ("[[rule]]\nuid = 1000\nrole = 'admin'\n[[rule]]\ngroup = 'ops'\nrole = 'viewer'", .group(2001)),
        ("[[rule]]\ngid = 2001\nuid = 1001\nrole = 'agent'\n[[rule]]\ngroup = 'ops'\nrole = 'viewer'", .group(2001)),
        ("[[rule]]\ngid = 2001\nrole = 'agent'\n[[rule]]\ngid = 2002\nrole = 'viewer'", .everyone),
        ("[[rule]]\nuid = 1000\nrole = 'admin'\n[[rule]]\nuser = 'worker'\nrole = 'agent'", .everyone),
        ("[[rule]]\nrole = 'viewer'", .everyone),
        ("[[rule]]\nexe = '/bin/x'\nrole = 'viewer'", .everyone),
    ])
    func socketAudience(_ text: String, _ expected: Policy.SocketAudience) throws {
        #expect(try Self.policy(text).socketAudience(ownerUID: 1000) == expected)
    }

    @Test func unresolvedRulesReachNoOneSoTheyWidenNothing() throws {
        let unresolved = try Policy.parse("[[rule]]\nuser = 'worker'\nrole = 'agent'\n[[rule]]\ngroup = 'ops'\nrole = 'agent'", source: "p")
        #expect(unresolved.socketAudience(ownerUID: 1000) == .ownerOnly)
    }

    @Test func warnings() throws {
        let text = """
            [[rule]]
            uid = 1000
            role = "admin"

            [[rule]]
            exe = "/usr/bin/python3"
            role = "agent"
            secrets = []

            [[rule]]
            uid = 1000
            exe = "/usr/bin/python3"
            role = "viewer"

            [[rule]]
            group = "ops"
            role = "viewer"
            environments = []

            [[rule]]
            role = "viewer"

            [[rule]]
            user = "worker"
            role = "agent"
            """
        #expect(try Self.policy(text).warnings == [
            "p.toml:5: rule matches every user running /usr/bin/python3; is that intended?",
            "p.toml:5: rule grants no secret (secrets = []); is that intended?",
            "p.toml:10: rule can never match: the rule at line 1 matches every caller it would",
            "p.toml:15: rule grants no environment (environments = []); is that intended?",
            "p.toml:20: rule matches every user; is that intended?",
            "p.toml:23: rule can never match: it follows a rule that matches everyone (line 20)",
        ])
        #expect(try Self.policy(Self.layered).warnings == [])
        #expect(try Self.policy("").warnings == [])
    }

    @Test func shadowingComparesNamesBeforeResolvingAndIdsAfter() throws {
        let text = "[[rule]]\nuser = 'worker'\nrole = 'agent'\n[[rule]]\nuser = 'worker'\nexe = '/bin/x'\nrole = 'admin'\n[[rule]]\nuid = 1001\nrole = 'viewer'"
        let parsed = try Policy.parse(text, source: "p.toml")
        #expect(parsed.warnings == ["p.toml:4: rule can never match: the rule at line 1 matches every caller it would"])
        #expect(try Self.policy(text).warnings == [
            "p.toml:4: rule can never match: the rule at line 1 matches every caller it would",
            "p.toml:8: rule can never match: the rule at line 1 matches every caller it would",
        ])
    }
}
