import Foundation
import SecretsClient
import SecretsCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Replies larger than a frame (1 MiB) through the real binary: an import of 25,000
/// secrets reports each one, `list` and `audit show` come back whole in pages, and a
/// BatchGet whose values cannot fit one reply gets an error while the connection keeps
/// serving. (Before paging, each of these ended with "the agent closed the connection".)
@Suite(.serialized) struct LargeReplyTests {
    static let count = 25_000
    /// Long enough that the import's results with names would take ~1.5 MiB.
    static let prefix = "bulk/a-rather-long-service-name/"

    /// An agent holding `count` secrets in production, imported from one dotenv file
    /// (`\(prefix)000000=value-0` …); returns the agent and the import's JSON report.
    static func populated() throws -> (TestAgent, [String: Any]) {
        let agent = try TestAgent()
        try agent.start()
        let path = agent.home + "/bulk.env"
        let lines = (0..<count).map { "\(prefix)\(digits($0))=value-\($0)\n" }.joined()
        #expect(FileManager.default.createFile(atPath: path, contents: Data(lines.utf8)))
        chmod(path, 0o600)
        let result = agent.run(["import", path, "--env", "production", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any] ?? [:]
        return (agent, report)
    }

    static func digits(_ value: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: 6 - text.count) + text
    }

    @Test func importListAndAuditOfTwentyFiveThousandComeBackWhole() throws {
        let (agent, report) = try Self.populated()
        let created = (report["created"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
        #expect(created.count == Self.count)
        #expect(Set(created) == Set((0..<Self.count).map { "\(Self.prefix)\(Self.digits($0))" }))

        let listed = agent.run(["list", "--env", "production", "--json"])
        #expect(listed.status == 0, "\(listed.stderr)")
        let rows = try JSONSerialization.jsonObject(with: Data(listed.stdout)) as? [[String: Any]] ?? []
        let names = rows.compactMap { $0["name"] as? String }
        #expect(names == (0..<Self.count).map { "\(Self.prefix)\(Self.digits($0))" }, "every name once, in order, across pages")

        // Pages meet exactly at a prefix too, and a small listing is unchanged.
        let some = agent.run(["list", "--env", "production", "--prefix", Self.prefix + "0249", "--json"])
        let someNames = (try JSONSerialization.jsonObject(with: Data(some.stdout)) as? [[String: Any]] ?? [])
            .compactMap { $0["name"] as? String }
        #expect(someNames == (24_900..<25_000).map { "\(Self.prefix)\(Self.digits($0))" })

        let audit = agent.run(["audit", "show", "--json"])
        #expect(audit.status == 0, "\(audit.stderr)")
        let entries = try JSONSerialization.jsonObject(with: Data(audit.stdout)) as? [[String: Any]] ?? []
        let sequences = entries.compactMap { ($0["sequence"] as? NSNumber)?.uint64Value }
        #expect(sequences.count == entries.count)
        #expect(entries.count >= Self.count, "one entry per imported secret at least")
        #expect(zip(sequences, sequences.dropFirst()).allSatisfy { $0 + 1 == $1 }, "no entry lost or repeated between pages")
        let puts = entries.filter { $0["operation"] as? String == "put" && $0["outcome"] as? String == "ok" }
        #expect(puts.count == Self.count)
        #expect(agent.run(["audit", "verify"]).status == 0)
        agent.expectNeverPrinted("value-24999")
    }

    @Test func aBatchGetTooLargeForOneReplyIsRefusedAndTheConnectionServesOn() throws {
        let agent = try TestAgent()
        try agent.start()
        let client = try AgentClient(socketPath: agent.socket)
        let value = [UInt8](repeating: UInt8(ascii: "v"), count: SecretLimits.maxValueBytes)
        let names = (0..<17).map { "big/\($0)" }  // 17 × 64 KiB > 1 MiB
        for name in names {
            _ = try value.withUnsafeBytes { raw in
                try client.put(name: name, environment: "production", value: raw, mode: .create)
            }
        }
        #expect {
            _ = try client.batchGet(names.map { AgentClient.BatchItem(name: $0, environment: "production") })
        } throws: { error in
            guard let error = error as? SecretsError else { return false }
            return error.code == .resourceExhausted && error.message.contains("over the 1 MiB frame limit")
        }
        let fewer = try client.batchGet(names.prefix(15).map { AgentClient.BatchItem(name: $0, environment: "production") })
        #expect(fewer.count == 15)
        #expect(fewer.allSatisfy { $0.value.withUnsafeBytes { $0.elementsEqual(value) } })
    }
}
