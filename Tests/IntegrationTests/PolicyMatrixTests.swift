import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// DESIGN §6 through the real binary with real uids: the role × operation matrix, the
/// environment and name limits of a grant, exe rules, and SIGHUP reloads.
@Suite(.serialized, .enabled(if: geteuid() == 0, "needs root to create throwaway users"))
struct PolicyMatrixTests {
    static let users = ["sa-admin", "sa-viewer", "sa-worker", "sa-stranger"]

    /// An agent whose socket others can reach, with a policy granting the three roles.
    func agentWithPolicy(_ extra: String = "") throws -> TestAgent {
        for user in Self.users { #expect(TestUsers.ensure(user)) }
        let agent = try TestAgent(homeMode: 0o711)
        mkdir(agent.home + "/run", 0o711)
        chmod(agent.home + "/run", 0o711)
        try writePolicy(agent, """
            # who may do what
            [[rule]]
            user = "sa-admin"
            role = "admin"

            [[rule]]
            user = "sa-viewer"
            role = "viewer"

            [[rule]]
            user = "sa-worker"
            role = "agent"
            environments = ["production"]
            secrets = ["openai/*", "db/**"]
            \(extra)
            [[rule]]
            uid = 0
            role = "admin"
            """)
        try agent.start(extra: ["--policy", agent.home + "/policy.toml"])
        return agent
    }

    func writePolicy(_ agent: TestAgent, _ text: String) throws {
        let path = agent.home + "/policy.toml"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o644)
    }

    func seed(_ agent: TestAgent) {
        for (name, env, value) in [("openai/key", "production", "prod-openai-value-111"), ("db/main/pass", "production", "prod-db-value-2222222"),
                                   ("other/token", "production", "prod-other-value-3333"), ("openai/key", "staging", "staging-openai-value-4")] {
            #expect(agent.run(["add", name, "--env", env, "--stdin"], stdin: Array(value.utf8)).status == 0)
        }
    }

    @Test func roleMatrix() throws {
        let agent = try agentWithPolicy()
        seed(agent)
        var info = stat()
        #expect(stat(agent.socket, &info) == 0 && info.st_mode & 0o777 == 0o666, "grants to other users make the socket 0666")

        // (operation, arguments, stdin, admin, viewer, agent) — expected exit codes.
        let value = Array("new-value-0000000000".utf8)
        let matrix: [(String, [String], [UInt8]?, Int32, Int32, Int32)] = [
            ("get", ["get", "openai/key", "--env", "production"], nil, 0, 4, 0),
            ("get --masked", ["get", "openai/key", "--env", "production", "--masked"], nil, 0, 0, 0),
            ("list", ["list", "--env", "production", "--json"], nil, 0, 0, 0),
            ("history", ["history", "openai/key", "--env", "production"], nil, 0, 0, 0),
            ("audit", ["audit", "--json"], nil, 0, 0, 4),
            ("audit verify", ["audit", "verify"], nil, 0, 0, 4),
            ("update", ["update", "openai/key", "--env", "production", "--stdin"], value, 0, 4, 4),
            ("add", ["add", "openai/new", "--env", "production", "--stdin"], value, 0, 4, 4),
            ("rm", ["rm", "openai/new", "--env", "production"], nil, 0, 4, 4),
        ]
        for (label, arguments, stdin, adminCode, viewerCode, agentCode) in matrix {
            // The viewer and agent go first, so the admin's add/rm find the state they expect.
            for (user, expected) in [("sa-viewer", viewerCode), ("sa-worker", agentCode), ("sa-admin", adminCode)] {
                let before = auditCount(agent)
                let result = agent.run(arguments, stdin: stdin, asUser: user)
                #expect(result.status == expected, "\(label) as \(user): \(result.stderr)")
                if expected == 4 {
                    #expect(result.stderr.hasPrefix("secrets-agent: permission denied: uid \(TestUsers.ids(of: user).uid) (\(user)) is "))
                }
                let entries = auditEntries(agent)
                #expect(entries.count == before + 2, "\(label) as \(user) leaves exactly one entry")
                let last = entries.last
                #expect(last?["uid"] as? Int == Int(TestUsers.ids(of: user).uid))
                #expect(last?["outcome"] as? String == (expected == 0 ? "ok" : "denied"), "\(label) as \(user)")
            }
        }
        // Lock is admin-only; the viewer and agent are refused and the agent stays unlocked.
        #expect(agent.run(["lock"], asUser: "sa-viewer").status == 4)
        #expect(agent.run(["lock"], asUser: "sa-worker").status == 4)
        #expect(agent.run(["get", "openai/key", "--env", "production"], asUser: "sa-worker").status == 0)
        #expect(agent.run(["lock"], asUser: "sa-admin").status == 0)
        #expect(agent.run(["get", "openai/key", "--env", "production"], asUser: "sa-worker").status == 5)
        #expect(agent.run(["unlock", "--key-file", agent.keyFile]).status == 0)

        // A uid no rule matches.
        let stranger = agent.run(["get", "openai/key", "--env", "production"], asUser: "sa-stranger")
        #expect(stranger.status == 4)
        #expect(stranger.stderr.contains("no rule in \(agent.home)/policy.toml matches it"))
        for secret in ["prod-openai-value-111", "prod-db-value-2222222", "new-value-0000000000"] { agent.expectNeverPrinted(secret) }
    }

    @Test func grantLimitsEnvironmentsAndNames() throws {
        let agent = try agentWithPolicy()
        seed(agent)
        let worker = TestUsers.ids(of: "sa-worker").uid
        #expect(agent.run(["get", "openai/key", "--env", "production"], asUser: "sa-worker").out == "prod-openai-value-111")
        #expect(agent.run(["get", "db/main/pass", "--env", "production"], asUser: "sa-worker").out == "prod-db-value-2222222", "** crosses /")
        let otherName = agent.run(["get", "other/token", "--env", "production"], asUser: "sa-worker")
        #expect(otherName.status == 4)
        #expect(otherName.stderr == "secrets-agent: permission denied: uid \(worker) (sa-worker) is agent for production; openai/*, db/** (rule at line 10 of \(agent.home)/policy.toml); other/token in production is outside that grant\n")
        let otherEnvironment = agent.run(["get", "openai/key", "--env", "staging"], asUser: "sa-worker")
        #expect(otherEnvironment.status == 4)
        // Existence is not revealed: a missing name outside the grant is denied, not "not found".
        #expect(agent.run(["get", "nothing/here", "--env", "staging"], asUser: "sa-worker").status == 4)
        #expect(agent.run(["list", "--env", "staging"], asUser: "sa-worker").status == 4)
        let all = agent.run(["list", "--all-environments", "--json"], asUser: "sa-worker")
        let names = (try JSONSerialization.jsonObject(with: Data(all.stdout)) as? [[String: Any]])?.map { "\($0["name"]!)@\($0["environment"]!)" }
        #expect(names == ["db/main/pass@production", "openai/key@production"])
        // The viewer sees shapes only.
        let masked = agent.run(["get", "openai/key", "--env", "production", "--masked"], asUser: "sa-viewer")
        #expect(masked.out == "prod-opena...111")
        agent.expectNeverPrinted("prod-other-value-3333")
        agent.expectNeverPrinted("staging-openai-value-4")
    }

    @Test func anExeRuleAllowsOneExecutableAndNotAnother() throws {
        for user in Self.users { #expect(TestUsers.ensure(user)) }
        let agent = try TestAgent(homeMode: 0o711)
        mkdir(agent.home + "/run", 0o711)
        chmod(agent.home + "/run", 0o711)
        let bin = agent.home + "/bin"
        mkdir(bin, 0o755)
        chmod(bin, 0o755)
        for copy in ["allowed-cli", "other-cli"] {
            try FileManager.default.copyItem(atPath: TestAgent.binary, toPath: "\(bin)/\(copy)")
            chmod("\(bin)/\(copy)", 0o755)
        }
        try writePolicy(agent, """
            [[rule]]
            user = "sa-worker"
            exe = "\(bin)/allowed-cli"
            role = "agent"

            [[rule]]
            uid = 0
            role = "admin"
            """)
        try agent.start(extra: ["--policy", agent.home + "/policy.toml"])
        #expect(agent.run(["add", "exe/key", "--stdin"], stdin: Array("exe-rule-value-123".utf8)).status == 0)
        #expect(agent.run(["get", "exe/key"], asUser: "sa-worker", binary: "\(bin)/allowed-cli").out == "exe-rule-value-123")
        let other = agent.run(["get", "exe/key"], asUser: "sa-worker", binary: "\(bin)/other-cli")
        #expect(other.status == 4)
        #expect(other.stderr.contains("running \(bin)/other-cli may not use this agent"))
    }

    @Test func sighupReloadsAndABrokenFileKeepsTheOldPolicy() throws {
        let agent = try agentWithPolicy()
        seed(agent)
        #expect(agent.run(["get", "openai/key", "--env", "production"], asUser: "sa-worker").status == 0)
        // A broken file: the old policy stays and the log names the line.
        try writePolicy(agent, "[[rule]]\nuser = \"sa-worker\"\nrole = \"superuser\"\n")
        kill(agent.pid!, SIGHUP)
        #expect(waitForLog(agent, "policy not reloaded, keeping the previous one: \(agent.home)/policy.toml:3:"))
        #expect(agent.run(["get", "openai/key", "--env", "production"], asUser: "sa-worker").status == 0)
        // A valid file that drops the worker takes effect on the next request.
        try writePolicy(agent, "[[rule]]\nuid = 0\nrole = \"admin\"\n")
        kill(agent.pid!, SIGHUP)
        #expect(waitForLog(agent, "policy reloaded"))
        #expect(agent.run(["get", "openai/key", "--env", "production"], asUser: "sa-worker").status == 4)
        #expect(agent.run(["get", "openai/key", "--env", "production"]).status == 0)
    }

    /// Waits up to 5 s for `text` to appear in the agent's log.
    func waitForLog(_ agent: TestAgent, _ text: String) -> Bool {
        for _ in 0..<100 {
            if agent.log().contains(text) { return true }
            usleep(50_000)
        }
        return false
    }

    func auditEntries(_ agent: TestAgent) -> [[String: Any]] {
        let result = agent.run(["audit", "--json"])
        return (try? JSONSerialization.jsonObject(with: Data(result.stdout))) as? [[String: Any]] ?? []
    }

    func auditCount(_ agent: TestAgent) -> Int { auditEntries(agent).count }
}
