import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A ciphertext moved to another row, name, environment or version fails to open:
/// exit 7, and the agent keeps serving (DESIGN §4).
@Suite struct IntegrityTests {
    func sqlite(_ store: String, _ sql: String) throws {
        guard SQLiteTool.run(store, sql).status == 0 else { throw TestFailure("sqlite3 failed: \(sql)") }
    }

    /// Copies the sealed fields of (fromName, fromEnv, fromVersion) over those of the target.
    func transplant(_ agent: TestAgent, from: (String, String, Int), to: (String, String, Int)) throws {
        let source = "(SELECT id FROM secrets WHERE name='\(from.0)' AND environment='\(from.1)')"
        let target = "(SELECT id FROM secrets WHERE name='\(to.0)' AND environment='\(to.1)')"
        let pick = { (column: String) in
            "(SELECT \(column) FROM secret_versions WHERE secret_id=\(source) AND version=\(from.2))"
        }
        try sqlite(agent.store, """
            UPDATE secret_versions SET salt=\(pick("salt")), nonce=\(pick("nonce")), ciphertext=\(pick("ciphertext"))
            WHERE secret_id=\(target) AND version=\(to.2);
            """)
    }

    @Test(.enabled(if: SQLiteTool.isInstalled))
    func storeIsHeldExclusivelyWhileTheAgentRuns() throws {
        let agent = try TestAgent()
        try agent.start()
        #expect(agent.run(["add", "a/one", "--stdin"], stdin: Array("exclusive-value-1".utf8)).status == 0)
        #expect(throws: TestFailure.self) { try sqlite(agent.store, "UPDATE secrets SET name='x' WHERE name='a/one';") }
        #expect(agent.run(["get", "a/one"]).out == "exclusive-value-1")
    }

    @Test(.enabled(if: SQLiteTool.isInstalled))
    func movedCiphertextFailsWithIntegrityFailure() throws {
        let agent = try TestAgent()
        try agent.start()
        let values = ["alpha-value-111111", "beta-value-222222", "gamma-value-333333", "delta-value-444444", "delta-value-555555"]
        #expect(agent.run(["add", "a/one", "--stdin"], stdin: Array(values[0].utf8)).status == 0)
        #expect(agent.run(["add", "a/two", "--stdin"], stdin: Array(values[1].utf8)).status == 0)
        #expect(agent.run(["add", "a/one", "--env", "production", "--stdin"], stdin: Array(values[2].utf8)).status == 0)
        #expect(agent.run(["add", "a/ver", "--stdin"], stdin: Array(values[3].utf8)).status == 0)
        #expect(agent.run(["update", "a/ver", "--stdin"], stdin: Array(values[4].utf8)).status == 0)
        #expect(agent.run(["add", "a/keep", "--stdin"], stdin: Array("untouched-value-99".utf8)).status == 0)

        // The agent holds the store exclusively while it runs: tamper with it offline.
        #expect(agent.stop() == 0)
        // Another name: a/one's ciphertext pasted into a/two.
        try transplant(agent, from: ("a/one", "development", 1), to: ("a/two", "development", 1))
        // Another environment: production's a/one into development's a/one.
        try transplant(agent, from: ("a/one", "production", 1), to: ("a/one", "development", 1))
        // Another version: version 1 pasted over version 2.
        try transplant(agent, from: ("a/ver", "development", 1), to: ("a/ver", "development", 2))
        // Another row: the whole row renamed.
        try sqlite(agent.store, "UPDATE secrets SET name='a/renamed' WHERE name='a/keep';")
        try agent.start()

        for name in ["a/two", "a/one", "a/ver"] {
            let result = agent.run(["get", name])
            #expect(result.status == 7, "\(name): \(result.stderr)")
            #expect(result.stderr.contains("failed its integrity check"))
        }
        #expect(agent.run(["get", "a/renamed"]).status == 7)

        #expect(agent.run(["get", "a/one", "--env", "production"]).out == values[2], "the agent keeps serving")
        #expect(agent.run(["get", "a/ver", "--version", "1"]).out == values[3])
        for value in values { agent.expectNeverPrinted(value) }
    }
}
