import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// DESIGN §7 through the real binary: entries for every operation, no value in any entry,
/// triggers that refuse edits, and `audit verify` naming the first edited, removed or
/// reordered entry (tampering happens offline, as an attacker with the file would).
@Suite(.enabled(if: SQLiteTool.isInstalled))
struct AuditTrailTests {
    static let values = ["audit-value-one-1111111", "audit-value-two-2222222"]

    @discardableResult
    func sqlite(_ store: String, _ sql: String) -> (status: Int32, out: String) { SQLiteTool.run(store, sql) }

    /// An agent with a few entries in its trail, stopped so its store can be edited.
    func agentWithTrail() throws -> TestAgent {
        let agent = try TestAgent()
        try agent.start()
        #expect(agent.run(["add", "audit/one", "--stdin"], stdin: Array(Self.values[0].utf8)).status == 0)
        #expect(agent.run(["add", "audit/two", "--stdin"], stdin: Array(Self.values[1].utf8)).status == 0)
        for _ in 0..<3 { #expect(agent.run(["get", "audit/one"]).status == 0) }
        #expect(agent.run(["get", "audit/missing"]).status == 3)
        #expect(agent.run(["list"]).status == 0)
        let verify = agent.run(["audit", "verify"])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.out.hasPrefix("audit trail intact: "))
        return agent
    }

    func tamper(_ agent: TestAgent, _ sql: String) throws {
        #expect(agent.stop() == 0)
        let triggers = sqlite(agent.store, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit';").out
        let drops = triggers.split(separator: "\n").map { "DROP TRIGGER \($0);" }.joined()
        #expect(!drops.isEmpty, "the audit table has triggers")
        #expect(sqlite(agent.store, drops + sql).status == 0)
        try agent.start()
    }

    @Test func entriesRecordOperationsAndNeverValues() throws {
        let agent = try agentWithTrail()
        let shown = agent.run(["audit", "--json"])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout)) as? [[String: Any]])
        let operations = entries.map { "\($0["operation"]!):\($0["outcome"]!)" }
        #expect(operations == ["unlock:ok", "put:ok", "put:ok", "get:ok", "get:ok", "get:ok", "get:error", "list:ok", "audit-verify:ok"])
        #expect((entries[0]["detail"] as? String)?.hasPrefix("at start, keyslot 1 (key-file)") == true)
        #expect(entries[3]["name"] as? String == "audit/one" && entries[3]["version"] as? Int == 1)
        #expect(entries[6]["error"] as? String == "NOT_FOUND")
        #expect(entries.dropFirst().allSatisfy { $0["uid"] as? Int == Int(geteuid()) && $0["role"] as? String == "admin" })
        let named = agent.run(["audit", "--name", "audit/two", "--json"])
        #expect((try JSONSerialization.jsonObject(with: Data(named.stdout)) as? [[String: Any]])?.count == 1)
        #expect(agent.stop() == 0)
        let dump = sqlite(agent.store, "SELECT * FROM audit;").out
        #expect(dump.contains("audit/one"))
        for value in Self.values {
            let inTrail = dump.contains(value)
            #expect(!inTrail, "a value in the audit table")
            agent.expectNeverPrinted(value)
        }
    }

    @Test func triggersRefuseEditsAndDeletes() throws {
        let agent = try agentWithTrail()
        #expect(agent.stop() == 0)
        #expect(sqlite(agent.store, "UPDATE audit SET outcome = 'ok' WHERE seq = 7;").status != 0)
        #expect(sqlite(agent.store, "DELETE FROM audit WHERE seq = 2;").status != 0)
        #expect(sqlite(agent.store, "SELECT outcome FROM audit WHERE seq = 7;").out == "error\n")
    }

    @Test func anEditedEntryIsNamed() throws {
        let agent = try agentWithTrail()
        try tamper(agent, "UPDATE audit SET outcome = 'ok', error_code = NULL WHERE seq = 7;")
        let verify = agent.run(["audit", "verify"])
        #expect(verify.status == 7)
        #expect(verify.stderr.hasPrefix("secrets-agent: audit trail broken at entry 7: "))
    }

    @Test func aRemovedEntryIsNamed() throws {
        let agent = try agentWithTrail()
        try tamper(agent, "DELETE FROM audit WHERE seq = 4;")
        let verify = agent.run(["audit", "verify"])
        #expect(verify.status == 7)
        #expect(verify.stderr.hasPrefix("secrets-agent: audit trail broken at entry 4: entry 4 is missing"), "\(verify.stderr)")
    }

    @Test func reorderedEntriesAreNamed() throws {
        let agent = try agentWithTrail()
        // Swap the contents of entries 3 and 6, keeping their sequence numbers.
        let columns = "kind, time_ms, peer_uid, peer_gid, peer_pid, exe, role, operation, name, environment, version, outcome, error_code, detail, prev_hash, hash"
        let set = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .map { "\($0) = (SELECT \($0) FROM swap WHERE seq = CASE audit.seq WHEN 3 THEN 6 ELSE 3 END)" }.joined(separator: ", ")
        try tamper(agent, "CREATE TEMP TABLE swap AS SELECT * FROM audit WHERE seq IN (3, 6); UPDATE audit SET \(set) WHERE seq IN (3, 6);")
        let verify = agent.run(["audit", "verify"])
        #expect(verify.status == 7)
        #expect(verify.stderr.hasPrefix("secrets-agent: audit trail broken at entry 3: "))
    }
}

/// Entries made before the first unlock (there is no audit key yet) are chained at unlock.
@Suite struct AuditBeforeUnlockTests {
    @Test func unlockAttemptsWhileLockedAreAudited() throws {
        let agent = try TestAgent()
        try agent.start(unlocked: false)
        let wrong = agent.home + "/wrong.key"
        FileManager.default.createFile(atPath: wrong, contents: Data(String(repeating: "cd", count: 32).utf8), attributes: [.posixPermissions: 0o600])
        #expect(agent.run(["unlock", "--key-file", wrong]).status == 4)
        usleep(1_100_000)  // the back-off after one failure
        #expect(agent.run(["unlock", "--key-file", agent.keyFile]).status == 0)
        let shown = agent.run(["audit", "--json"])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout)) as? [[String: Any]])
        #expect(entries.map { "\($0["operation"]!):\($0["outcome"]!)" } == ["unlock:denied", "unlock:ok"])
        #expect(agent.run(["audit", "verify"]).status == 0)
    }
}
