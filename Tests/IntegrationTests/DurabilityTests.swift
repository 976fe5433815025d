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

    /// Group commit: writes acknowledged to concurrent writers are each durable, and the
    /// audit trail (with the entries of reads, committed after their replies) still verifies
    /// after kill -9.
    @Test func concurrentAcknowledgedAddsSurviveKill9AndTheTrailVerifies() throws {
        let agent = try TestAgent()
        try agent.start()
        let writers = 8
        let statuses = LockedBox<[Int: Int32]>([:])
        DispatchQueue.concurrentPerform(iterations: writers) { i in
            let value = "group-commit-value-\(i)-5f1d0c"
            let added = agent.run(["add", "group/key-\(i)", "--stdin"], stdin: Array(value.utf8)).status
            let read = agent.run(["get", "group/key-\(i)"]).status
            statuses.update { $0[i] = added == 0 && read == 0 ? 0 : max(added, read) }
        }
        #expect(statuses.value.values.allSatisfy { $0 == 0 })
        agent.stop(signal: SIGKILL)
        try agent.start()
        for i in 0..<writers {
            #expect(agent.run(["get", "group/key-\(i)"]).out == "group-commit-value-\(i)-5f1d0c")
        }
        let verify = agent.run(["audit", "verify"])
        #expect(verify.status == 0, "\(verify.stderr)")
        let trail = agent.run(["audit", "--json"]).out
        for i in 0..<writers { #expect(trail.contains("group/key-\(i)"), "the put of key \(i) is audited") }
        #expect(!trail.contains("5f1d0c"), "no value in the trail")
    }
}
