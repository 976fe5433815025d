import SecretsCore
import Testing

/// Rules with `unit`: they serve systemd's `LoadCredential=` on the credential socket, and
/// only there.
@Suite struct PolicyUnitRuleTests {
    static let source = "p.toml"

    static func policy(_ text: String) throws -> Policy {
        try Policy.parse(text, source: source).resolved(uidOf: { $0 == "worker" ? 1001 : nil }, gidOf: { _ in nil })
    }

    static func message(_ text: String) -> String? {
        do {
            _ = try Policy.parse(text, source: source)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func aUnitRuleParses() throws {
        let policy = try Self.policy("""
            [[rule]]
            unit = "web.service"
            role = "agent"
            environments = ["production"]
            secrets = ["db/password"]
            """)
        #expect(policy.rules == [
            PolicyRule(line: 1, unit: try UnitName("web.service"), role: .agent,
                       environments: [try Environment("production")], secrets: [try NameGlob("db/password")]),
        ])
        #expect(policy.rules[0].summary == "rule at line 1: unit web.service (LoadCredential=) → agent for production; db/password")
    }

    @Test func anInvalidUnitNameIsRefusedWithItsLine() {
        #expect(Self.message("[[rule]]\nrole = \"agent\"\nunit = \"web\"")
            == "p.toml:3: invalid unit name 'web': no unit type suffix (\(UnitName.rule))")
        #expect(Self.message("[[rule]]\nrole = \"agent\"\nunit = \"worker@.service\"")?.hasPrefix("p.toml:3: invalid unit name 'worker@.service': a template has no instance") == true)
        #expect(Self.message("[[rule]]\nrole = \"agent\"\nunit = 7")
            == "p.toml:3: unit must be a string, not '7' (e.g. unit = \"web.service\")")
    }

    @Test(arguments: ["admin", "viewer"])
    func aUnitRuleMayOnlyBeAnAgent(_ role: String) {
        #expect(Self.message("[[rule]]\nunit = \"web.service\"\nrole = \"\(role)\"")
            == "p.toml:1: a rule for unit web.service has role \"\(role)\"; a unit only reads credentials (write role = \"agent\")")
    }

    @Test func aUnitRuleNamesNoPeer() {
        #expect(Self.message("[[rule]]\nunit = \"web.service\"\nuid = 0\nexe = \"/bin/x\"\nrole = \"agent\"")
            == "p.toml:1: a rule for unit web.service cannot also have uid, exe: it matches systemd's LoadCredential= requests for the unit, not a peer (write a separate rule for the peer)")
    }

    @Test func unitRulesNeverMatchOrdinaryPeersAndPeerRulesNeverMatchUnits() throws {
        let policy = try Self.policy("""
            [[rule]]
            unit = "web.service"
            role = "agent"

            [[rule]]
            unit = "worker@1.service"
            role = "agent"
            secrets = ["queue/*"]

            [[rule]]
            role = "admin"
            """)
        // A peer of the agent's socket, whoever it is, skips the unit rules.
        #expect(policy.rule(for: Caller(uid: 0, gids: [0]))?.line == 10)
        #expect(policy.rule(for: Caller(uid: 1001, gids: [1001], exe: "/usr/bin/web"))?.line == 10)
        // A credential request matches only the rule for its unit, never the catch-all.
        #expect(policy.rule(for: .unit(try UnitName("web.service")))?.line == 1)
        #expect(policy.rule(for: .unit(try UnitName("worker@1.service")))?.line == 5)
        #expect(policy.rule(for: .unit(try UnitName("worker@2.service"))) == nil)
        #expect(policy.rule(for: .unit(try UnitName("other.service"))) == nil)
    }

    @Test func unitRulesDoNotWidenTheSocketNorTriggerEveryoneWarnings() throws {
        let policy = try Self.policy("""
            [[rule]]
            unit = "web.service"
            role = "agent"

            [[rule]]
            uid = 0
            role = "admin"

            [[rule]]
            unit = "web.service"
            role = "agent"
            secrets = ["x"]
            """)
        #expect(policy.socketAudience(ownerUID: 0) == .ownerOnly)
        #expect(policy.warnings == ["p.toml:9: rule can never match: the rule at line 1 matches every caller it would"])
        // A catch-all peer rule before a unit rule does not shadow it.
        let after = try Self.policy("[[rule]]\nrole = \"viewer\"\n\n[[rule]]\nunit = \"web.service\"\nrole = \"agent\"")
        #expect(after.warnings == ["p.toml:1: rule matches every user; is that intended?"])
    }
}
