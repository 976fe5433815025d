import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `secrets-agent redact` through the real binary: rule matches and the values the caller
/// may read become markers; without an agent the rules still apply; a value the policy
/// denies the caller is not used; long input and a file argument work.
@Suite(.serialized) struct RedactTests {
    static let key = "AKIAZ7Q2KXH4LMNP3RTV"
    static let token = "tok-7c1e5a9d3b2f-live"
    static let password = "correct horse battery staple 42"

    @Test func withoutAnAgentTheRulesStillApply() throws {
        let agent = try TestAgent()  // never started: nothing listens on its socket
        let input = "start\nexport AWS_ACCESS_KEY_ID=\(Self.key)\nend"
        let result = agent.run(["redact"], stdin: Array(input.utf8))
        #expect(result.status == 0)
        #expect(result.out == "start\nexport AWS_ACCESS_KEY_ID=[REDACTED:aws-access-key-id]\nend")
        #expect(result.stderr == "")
        agent.expectNeverPrinted(Self.key)
    }

    @Test func valuesFromTheAgentAreReplacedByTheirNames() throws {
        let agent = try TestAgent()
        try agent.start()
        #expect(agent.run(["add", "app/token", "--stdin"], stdin: Array(Self.token.utf8)).status == 0)
        #expect(agent.run(["add", "db/pass", "--env", "production", "--stdin"], stdin: Array(Self.password.utf8)).status == 0)
        let input = "token=\(Self.token); pass=\(Self.password)\naws \(Self.key)\n\(Self.token)\(Self.token)"
        let result = agent.run(["redact"], stdin: Array(input.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.out == "token=[REDACTED:app/token]; pass=[REDACTED:db/pass]\naws [REDACTED:aws-access-key-id]\n[REDACTED:app/token][REDACTED:app/token]")
        agent.expectNeverPrinted(Self.token)
        agent.expectNeverPrinted(Self.password)
        agent.expectNeverPrinted(Self.key)
    }

    @Test func aFileArgumentAndAnUnreadableFile() throws {
        let agent = try TestAgent()
        try agent.start()
        #expect(agent.run(["add", "app/token", "--stdin"], stdin: Array(Self.token.utf8)).status == 0)
        let path = agent.home + "/app.log"
        try Data("login with \(Self.token)\n".utf8).write(to: URL(fileURLWithPath: path))
        let result = agent.run(["redact", path])
        #expect(result.status == 0)
        #expect(result.out == "login with [REDACTED:app/token]\n")
        let missing = agent.run(["redact", agent.home + "/missing.log"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "secrets-agent: cannot read \(agent.home)/missing.log: no such file or directory (check the path)\n")
        agent.expectNeverPrinted(Self.token)
    }

    @Test func aLongStreamWithALongLineAndAKeyAtTheCut() throws {
        let agent = try TestAgent()
        try agent.start()
        #expect(agent.run(["add", "app/token", "--stdin"], stdin: Array(Self.token.utf8)).status == 0)
        // 8 MiB of lines, then a 3 MiB line with the key where the 1 MiB pieces meet.
        var input: [UInt8] = []
        let line = Array("request ok token=\(Self.token) took 3ms\n".utf8)
        while input.count < 8 << 20 { input += line }
        let lines = input.count / line.count
        var long = [UInt8](repeating: UInt8(ascii: "."), count: 3 << 20)
        let cut = (1 << 20) - (4 << 10)
        long.replaceSubrange((cut - 7)..<(cut + 13), with: Array(Self.key.utf8))
        input += long + [0x0A]
        // From a file: TestAgent.run writes all of stdin before it reads stdout.
        let path = agent.home + "/big.log"
        try Data(input).write(to: URL(fileURLWithPath: path))
        let result = agent.run(["redact", path])
        #expect(result.status == 0)
        let replaced = Array("request ok token=[REDACTED:app/token] took 3ms\n".utf8)
        var expected: [UInt8] = []
        for _ in 0..<lines { expected += replaced }
        long.replaceSubrange((cut - 7)..<(cut + 13), with: Array("[REDACTED:aws-access-key-id]".utf8))
        expected += long + [0x0A]
        #expect(result.stdout.count == expected.count)
        let redacted = result.stdout == expected  // a boolean, so a failure does not print 11 MiB
        #expect(redacted, "the output differs from the expected redaction")
        agent.expectNeverPrinted(Self.token)
        agent.expectNeverPrinted(Self.key)
    }

    @Test(.enabled(if: geteuid() == 0, "needs root to create a throwaway user"))
    func aValueTheCallerMayNotReadIsNotUsed() throws {
        let agent = try TestAgent.withPolicy("""
            [[rule]]
            user = "sa-redactor"
            role = "agent"
            environments = ["development"]
            secrets = ["allowed/*"]

            [[rule]]
            uid = 0
            role = "admin"
            """, users: ["sa-redactor"])
        let allowed = "allowed-value-5a5a5a5a"
        let denied = "denied-value-6b6b6b6b"
        #expect(agent.run(["add", "allowed/token", "--stdin"], stdin: Array(allowed.utf8)).status == 0)
        #expect(agent.run(["add", "other/token", "--stdin"], stdin: Array(denied.utf8)).status == 0)
        let input = Array("a=\(allowed) b=\(denied)\n".utf8)

        let asWorker = agent.run(["redact"], stdin: input, asUser: "sa-redactor")
        #expect(asWorker.status == 0, "\(asWorker.stderr)")
        #expect(asWorker.stderr == "")
        // The denied value passes through untouched: this user could not have known it.
        #expect(asWorker.out == "a=[REDACTED:allowed/token] b=\(denied)\n")

        let asAdmin = agent.run(["redact"], stdin: input)
        #expect(asAdmin.out == "a=[REDACTED:allowed/token] b=[REDACTED:other/token]\n")
    }
}
