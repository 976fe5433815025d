import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// An acknowledged write survives kill -9 (WAL, synchronous=FULL).
@Suite struct DurabilityTests {
    @Test func acknowledgedAddSurvivesKill9() throws {
        let agent = try TestAgent()
        try agent.start()
        let value = "durable-value-after-kill-9-0987654321"
        #expect(agent.run(["add", "durable/key", "--stdin"], stdin: Array(value.utf8)).status == 0)
        agent.stop(signal: SIGKILL)
        try agent.start()
        #expect(agent.run(["get", "durable/key"]).out == value)
        #expect(agent.run(["list", "--json"]).out.contains("durable/key"))
    }
}
