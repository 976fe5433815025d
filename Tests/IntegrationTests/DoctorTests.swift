import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `secrets-agent doctor`: a good setup passes, each kind of breakage is reported with its
/// fix, and no value is ever printed.
@Suite(.serialized) struct DoctorTests {
    struct Row {
        let check: String, status: String, detail: String, fix: String
    }

    static let hardenedUnit = """
        [Service]
        ExecStart=/usr/bin/secrets-agent serve
        NoNewPrivileges=yes
        ProtectSystem=strict
        ProtectHome=yes
        PrivateTmp=yes
        PrivateDevices=yes
        MemoryDenyWriteExecute=yes
        LockPersonality=yes
        RestrictAddressFamilies=AF_UNIX
        SystemCallFilter=@system-service
        LimitCORE=0
        LimitMEMLOCK=64M
        CapabilityBoundingSet=
        """

    func write(_ text: String, to path: String, mode: mode_t) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, mode)
    }

    func rows(_ result: TestAgent.Result) throws -> [Row] {
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout))
        let array = try #require(parsed as? [[String: String]], "doctor --json prints an array of string objects")
        return array.map { Row(check: $0["check"] ?? "", status: $0["status"] ?? "", detail: $0["detail"] ?? "", fix: $0["fix"] ?? "") }
    }

    func policy() -> String {
        """
        [[rule]]
        uid = \(geteuid())
        role = "admin"
        """
    }

    @Test func aGoodSetupPasses() throws {
        let agent = try TestAgent()
        try agent.start(extra: ["--idle-lock", "900"])
        try write(policy(), to: agent.home + "/policy.toml", mode: 0o644)
        try write(Self.hardenedUnit, to: agent.home + "/secrets-agent.service", mode: 0o644)
        let clean = agent.home + "/clean"
        mkdir(clean, 0o755)
        mkdir(clean + "/sub", 0o755)
        try write("hello", to: clean + "/README", mode: 0o644)
        try write("// code", to: clean + "/SecretStore.swift", mode: 0o644)
        try write("private", to: clean + "/sub/app.key", mode: 0o600)
        let arguments = ["doctor", "--key-file", agent.keyFile, "--policy", agent.home + "/policy.toml",
                         "--check-path", clean, "--unit", agent.home + "/secrets-agent.service"]
        let text = agent.run(arguments)
        #expect(text.status == 0, "\(text.out)\(text.stderr)")
        #expect(text.out.hasPrefix("STATUS  CHECK"))
        #expect(text.out.contains(" 0 fail, "))
        let result = agent.run(arguments + ["--json"])
        #expect(result.status == 0, "\(result.out)\(result.stderr)")
        let checks = try rows(result)
        for name in ["store directory", "store file", "socket directory", "socket", "key file", "policy", "agent", "locked",
                     "idle lock", "memory locked", "rotation", "core size limit", "core dumps", "environment", "unit", "exposed files"] {
            #expect(checks.contains { $0.check == name }, "no \(name) check")
        }
        for row in checks {
            // Whether a root agent is dumpable cannot be read from /proc: the doctor says so.
            if row.check == "core dumps" && geteuid() == 0 {
                #expect(row.status == "warn" && row.detail.hasPrefix("cannot tell"))
                continue
            }
            #expect(row.status == "ok" || row.status == "skip", "\(row.check): \(row.status) \(row.detail)")
            #expect(row.status != "ok" || row.fix.isEmpty)
        }
    }

    @Test func aBrokenSetupIsReportedWithFixes() throws {
        let agent = try TestAgent()
        try agent.start()
        let value = "doctor-leak-\(UUID().uuidString)"
        #expect(agent.run(["add", "doctor/api", "--stdin"], stdin: Array(value.utf8)).status == 0)

        // The value sits in the caller's environment while the agent is unlocked.
        let leaked = agent.run(["doctor", "--json"], environment: ["LEAKY_TOKEN": value])
        #expect(leaked.status == 1)
        let leak = try rows(leaked).filter { $0.check == "environment" }
        #expect(leak.count == 1)
        #expect(leak.first?.status == "fail")
        #expect(leak.first?.detail == "$LEAKY_TOKEN holds the value of doctor/api (development)")
        #expect(leak.first?.fix == "unset LEAKY_TOKEN; use: secrets-agent exec --secret LEAKY_TOKEN=doctor/api -- …")
        let leakedText = agent.run(["doctor"], environment: ["LEAKY_TOKEN": value])
        #expect(leakedText.status == 1)
        #expect(leakedText.out.contains("$LEAKY_TOKEN holds the value of doctor/api"))

        #expect(agent.run(["lock"]).status == 0)
        let data = agent.home + "/data"
        chmod(data, 0o755)
        chmod(agent.store, 0o644)
        chmod(agent.keyFile, 0o644)
        let badKey = agent.home + "/bad.key"
        try write("this is not a key\n", to: badKey, mode: 0o600)
        let badPolicy = agent.home + "/policy.toml"
        try write("[[rule]]\nuid = \"nobody-such\nrole = 7\n", to: badPolicy, mode: 0o644)
        let unit = agent.home + "/weak.service"
        try write("[Service]\nExecStart=/usr/bin/secrets-agent serve\nNoNewPrivileges=yes\n", to: unit, mode: 0o644)
        let project = agent.home + "/project"
        mkdir(project, 0o755)
        try write("not really a key", to: project + "/api.key", mode: 0o644)
        try write("// code", to: project + "/TokenParser.swift", mode: 0o644)
        try write("x", to: project + "/token.txt.bak", mode: 0o644)
        chmod(project + "/token.txt.bak", 0o600)
        try write("x", to: project + "/link-target", mode: 0o644)
        symlink(project + "/link-target", project + "/secret.link")

        let result = agent.run(["doctor", "--json", "--key-file", agent.keyFile, "--key-file", badKey, "--policy", badPolicy,
                                "--check-path", project, "--unit", unit], environment: ["LEAKY_TOKEN": value])
        #expect(result.status == 1, "\(result.stderr)")
        let checks = try rows(result)
        func only(_ name: String) -> [Row] { checks.filter { $0.check == name } }
        #expect(only("store directory").first?.status == "fail")
        #expect(only("store directory").first?.fix == "run: chmod 700 \(data)")
        #expect(only("store file").first?.status == "fail")
        #expect(only("store file").first?.fix == "run: chmod 600 \(agent.store)")
        let keys = only("key file")
        #expect(keys.count == 2)
        #expect(keys.first?.status == "fail" && keys.first?.fix == "run: chmod 600 \(agent.keyFile)")
        #expect(keys.last?.status == "fail" && keys.last?.detail.contains("64 hex characters") == true)
        #expect(only("policy").first?.status == "fail")
        #expect(only("policy").first?.detail.contains(badPolicy) == true)
        #expect(only("policy").first?.fix == "edit \(badPolicy), then run: secrets-agent policy check \(badPolicy)")
        #expect(only("agent").first?.status == "ok")
        #expect(only("locked").first?.status == "warn")
        #expect(only("locked").first?.fix == "run: secrets-agent unlock")
        #expect(only("idle lock").first?.status == "warn")
        #expect(only("idle lock").first?.fix.contains("--idle-lock 900") == true)
        #expect(only("environment").first?.status == "skip")
        let unitRows = only("unit")
        #expect(unitRows.count == 11)
        #expect(unitRows.allSatisfy { $0.status == "warn" && $0.fix.hasPrefix("add ") })
        #expect(!unitRows.contains { $0.detail.contains("NoNewPrivileges") })
        #expect(unitRows.contains { $0.detail == "\(unit) lacks LimitCORE=0" })
        let exposed = only("exposed files")
        #expect(exposed.count == 1)
        #expect(exposed.first?.status == "fail")
        #expect(exposed.first?.fix == "run: chmod 600 \(project)/api.key")

        let text = agent.run(["doctor", "--key-file", badKey], environment: ["LEAKY_TOKEN": value])
        #expect(text.status == 1)
        #expect(text.out.contains("run: chmod 700 \(data)"))
        agent.expectNeverPrinted(value)
        agent.expectNeverPrinted("this is not a key")
    }

    @Test func noAgentFailsTheAgentCheckAndStillChecksFiles() throws {
        let agent = try TestAgent()
        let result = agent.run(["doctor", "--json", "--key-file", agent.keyFile])
        #expect(result.status == 1)
        let checks = try rows(result)
        let reach = checks.filter { $0.check == "agent" }
        #expect(reach.count == 1)
        #expect(reach.first?.status == "fail")
        #expect(reach.first?.fix.hasPrefix("start the agent") == true)
        #expect(checks.first { $0.check == "store directory" }?.status == "ok")
        #expect(checks.first { $0.check == "store file" }?.status == "ok")
        #expect(checks.first { $0.check == "key file" }?.status == "ok")
        #expect(checks.first { $0.check == "socket" }?.status == "warn")
        #expect(!checks.contains { $0.check == "locked" || $0.check == "environment" })
    }
}
