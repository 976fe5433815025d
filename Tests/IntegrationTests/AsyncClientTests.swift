import Foundation
import Testing
import SecretsClient
import SecretsCore
#if canImport(Glibc)
import Glibc
#endif

/// The async Swift client against a real agent, and its runnable example.
@Suite struct AsyncClientTests {
    @Test func getBatchListPutRotateAndRedactedValues() async throws {
        let agent = try TestAgent()
        try agent.start()
        let client = try await AsyncAgentClient.connect(socket: agent.socket)
        let put = try await client.put("async/key", value: Array("async-value-1".utf8).withUnsafeBytes { SecretValue(copying: $0) },
                                       environment: "development")
        #expect(put == 1)
        let value = try await client.get("async/key", environment: "development")
        #expect(value.withUnsafeBytes { Array($0) } == Array("async-value-1".utf8))
        #expect("\(value)" == "[REDACTED]")
        #expect(String(reflecting: value) == "[REDACTED]")
        var dumped = ""
        dump(value, to: &dumped)
        #expect(!dumped.contains("async-value-1"))
        let rotated = try await client.rotate("async/key", value: Array("async-value-2".utf8).withUnsafeBytes { SecretValue(copying: $0) },
                                              environment: "development")
        #expect(rotated == 2)
        let batch = try await client.batchGet(["async/key"], environment: "development")
        #expect(batch.first?.withUnsafeBytes { Array($0) } == Array("async-value-2".utf8))
        #expect(try await client.list(environment: "development").map(\.name) == ["async/key"])
        await #expect(throws: SecretsError.notFound("nope/key not found in development")) {
            _ = try await client.get("nope/key", environment: "development")
        }
        await #expect(throws: SecretsError.self) { _ = try await AsyncAgentClient.connect(socket: agent.home + "/no.sock") }
    }

    @Test func twoWatchersBothSeeEveryChangeInOrder() async throws {
        let agent = try TestAgent()
        try agent.start()
        let client = try await AsyncAgentClient.connect(socket: agent.socket)
        func collect(_ count: Int) -> Task<[SecretChange], any Error> {
            let stream = client.watch(["w/key"], environment: "development")
            return Task {
                var seen: [SecretChange] = []
                for try await change in stream {
                    seen.append(change)
                    if seen.count == count { break }
                }
                return seen
            }
        }
        let first = collect(3), second = collect(3)
        for _ in 0..<100 {
            let status = try JSONSerialization.jsonObject(with: Data(agent.run(["status", "--json"]).stdout)) as? [String: Any]
            if status?["watchers"] as? Int == 2 { break }
            usleep(20_000)
        }
        #expect(agent.run(["add", "w/other", "--stdin"], stdin: Array("ignored".utf8)).status == 0)
        #expect(agent.run(["add", "w/key", "--stdin"], stdin: Array("watched-1".utf8)).status == 0)
        #expect(agent.run(["rotate", "w/key", "--stdin"], stdin: Array("watched-2".utf8)).status == 0)
        #expect(agent.run(["rm", "w/key"]).status == 0)
        for task in [first, second] {
            let changes = try await task.value
            #expect(changes.map(\.kind) == [.put, .rotate, .delete])
            #expect(changes.map(\.version) == [1, 2, 0])
            #expect(changes.allSatisfy { $0.name == "w/key" && $0.environment == "development" })
        }
    }

    @Test func theRunnableExampleReadsAndFollowsRotations() throws {
        let agent = try TestAgent()
        try agent.start()
        #expect(agent.run(["add", "example/key", "--generate", "16"]).status == 0)
        let example = Process()
        example.executableURL = URL(fileURLWithPath: TestAgent.binary).deletingLastPathComponent().appendingPathComponent("secrets-agent-example")
        example.arguments = ["example/key", "2"]
        example.environment = ["SECRETS_AGENT_SOCK": agent.socket, "SWIFT_BACKTRACE": "enable=no"]
        let out = Pipe()
        example.standardOutput = out
        try example.run()
        var watching = false
        for _ in 0..<200 where !watching {
            usleep(25_000)
            let status = try JSONSerialization.jsonObject(with: Data(agent.run(["status", "--json"]).stdout)) as? [String: Any]
            watching = status?["watchers"] as? Int == 1
        }
        #expect(watching)
        #expect(agent.run(["rotate", "example/key"]).status == 0)
        #expect(agent.run(["rotate", "example/key", "--generate", "20"]).status == 0)
        example.waitUntilExit()
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(example.terminationStatus == 0)
        #expect(printed == """
            example/key: 32 bytes, [REDACTED]
            watching example/key for 2 change(s)
            rotate example/key version 2: 32 bytes
            rotate example/key version 3: 40 bytes

            """)
        agent.expectNeverPrinted(agent.run(["get", "example/key"]).out)
    }
}
