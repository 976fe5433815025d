import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `policy check`, `policy explain`, and the socket's mode following a group grant.
@Suite(.serialized) struct PolicyCommandTests {
    func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o644)
    }

    @Test func checkPrintsTheEffectiveRulesAndExplainNamesTheRule() throws {
        let agent = try TestAgent()
        let path = agent.home + "/policy.toml"
        try write("""
            [[rule]]
            uid = 4242
            role = "agent"
            environments = ["production"]
            secrets = ["openai/*"]

            [[rule]]
            uid = 0
            role = "admin"
            """, to: path)
        let check = agent.run(["policy", "check", path])
        #expect(check.status == 0, "\(check.stderr)")
        let lines = check.out.split(separator: "\n").map(String.init)
        #expect(lines.first == "\(path): 2 rules, first match wins, no match is denied")
        #expect(lines.count == 3)
        #expect(lines[1].contains("rule at line 1") && lines[1].contains("agent for production; openai/*"))
        let explain = agent.run(["policy", "explain", "--uid", "4242", "--policy", path])
        #expect(explain.out == "uid 4242: agent for production; openai/* (rule at line 1 of \(path))\n")
        let nobody = agent.run(["policy", "explain", "--uid", "4343", "--policy", path])
        #expect(nobody.out == "uid 4343: denied, no rule matches\n")
    }

    @Test func checkAndExplainShowUnitRules() throws {
        let agent = try TestAgent()
        let path = agent.home + "/policy.toml"
        try write("""
            [[rule]]
            unit = "web.service"
            role = "agent"
            environments = ["production"]
            secrets = ["db/*"]

            [[rule]]
            uid = 0
            role = "admin"
            """, to: path)
        let check = agent.run(["policy", "check", path])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.out.split(separator: "\n").dropFirst().first == "  rule at line 1: unit web.service (LoadCredential=) → agent for production; db/*")
        #expect(agent.run(["policy", "explain", "--unit", "web.service", "--policy", path]).out
            == "unit web.service: agent for production; db/* (rule at line 1 of \(path))\n")
        #expect(agent.run(["policy", "explain", "--unit", "api.service", "--policy", path]).out == "unit api.service: denied, no rule matches\n")
        #expect(agent.run(["policy", "explain", "--uid", "0", "--policy", path]).out.hasPrefix("uid 0 (root): admin"), "peers skip unit rules")
        let invalid = agent.run(["policy", "explain", "--unit", "web", "--policy", path])
        #expect(invalid.status == 64)
        #expect(invalid.stderr.hasPrefix("secrets-agent: invalid unit name 'web': no unit type suffix ("))
        try write("[[rule]]\nunit = \"web.service\"\nrole = \"admin\"\n", to: path)
        let admin = agent.run(["policy", "check", path])
        #expect(admin.status == 64)
        #expect(admin.stderr == "secrets-agent: \(path):1: a rule for unit web.service has role \"admin\"; a unit only reads credentials (write role = \"agent\")\n")
    }

    @Test func checkRejectsABrokenFileWithItsLine() throws {
        let agent = try TestAgent()
        let path = agent.home + "/policy.toml"
        try write("[[rule]]\nuid = 1\nrole = \"admin\"\n\n[[rule]]\nuid = 2\nrol = \"viewer\"\n", to: path)
        let check = agent.run(["policy", "check", path])
        #expect(check.status == 64)
        #expect(check.stderr.hasPrefix("secrets-agent: \(path):7: unknown key 'rol'"))
        chmod(path, 0o666)
        let open = agent.run(["policy", "check", path])
        #expect(open.status == 64)
        #expect(open.stderr == "secrets-agent: cannot read policy \(path): mode 0666 lets others rewrite who may read secrets (run: chmod 644 \(path))\n")
        // The agent refuses to start with a broken policy.
        chmod(path, 0o644)
        #expect(throws: TestFailure.self) { try agent.start(extra: ["--policy", path]) }
        #expect(agent.log().contains("\(path):7: unknown key 'rol'"))
    }

    @Test(.enabled(if: geteuid() == 0, "needs root to create throwaway users and groups"))
    func aGroupGrantMakesTheSocket0660ForThatGroup() throws {
        #expect(TestUsers.ensure("sa-member") && TestUsers.ensure("sa-outsider"))
        let groupadd = Process()
        groupadd.executableURL = URL(fileURLWithPath: "/usr/sbin/groupadd")
        groupadd.arguments = ["-f", "sa-team"]
        try groupadd.run()
        groupadd.waitUntilExit()
        let usermod = Process()
        usermod.executableURL = URL(fileURLWithPath: "/usr/sbin/usermod")
        usermod.arguments = ["-a", "-G", "sa-team", "sa-member"]
        try usermod.run()
        usermod.waitUntilExit()
        let team = try #require(getgrnam("sa-team")).pointee.gr_gid

        let agent = try TestAgent(homeMode: 0o711)
        mkdir(agent.home + "/run", 0o711)
        chmod(agent.home + "/run", 0o711)
        let path = agent.home + "/policy.toml"
        try write("[[rule]]\ngroup = \"sa-team\"\nrole = \"agent\"\n\n[[rule]]\nuid = 0\nrole = \"admin\"\n", to: path)
        try agent.start(extra: ["--policy", path])
        var info = stat()
        #expect(stat(agent.socket, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o660 && info.st_gid == team, "socket 0660, group sa-team")
        #expect(agent.run(["add", "team/key", "--stdin"], stdin: Array("team-value-1234567".utf8)).status == 0)
        // A supplementary member gets through; setpriv keeps only the groups given.
        let member = agent.run(["get", "team/key"], asUser: "sa-member", groups: [team])
        #expect(member.out == "team-value-1234567", "\(member.stderr)")
        #expect(agent.run(["get", "team/key"], asUser: "sa-outsider").status == 4)
    }
}
