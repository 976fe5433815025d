import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Without a policy only the agent's own uid is served; the peer check, not the socket's
/// mode, is what keeps others out (as ssh-agent tests the same defence).
@Suite struct PeerCredentialTests {
    @Test(.enabled(if: geteuid() == 0, "needs root to create a throwaway user"))
    func anotherUIDIsDeniedEvenThroughA0666Socket() throws {
        #expect(TestUsers.ensure("sa-test-other"))
        let agent = try TestAgent(homeMode: 0o711)
        mkdir(agent.home + "/run", 0o755)
        chmod(agent.home + "/run", 0o755)
        try agent.start()
        let value = "peer-check-value-abcdefghij"
        #expect(agent.run(["add", "peer/key", "--stdin"], stdin: Array(value.utf8)).status == 0)

        let byMode = agent.run(["get", "peer/key"], asUser: "sa-test-other")
        #expect(byMode.status == 4, "socket 0600 keeps the other uid out: \(byMode.stderr)")

        chmod(agent.socket, 0o666)
        let byPeer = agent.run(["get", "peer/key"], asUser: "sa-test-other")
        #expect(byPeer.status == 4)
        let other = TestUsers.ids(of: "sa-test-other").uid
        #expect(byPeer.stderr == "secrets-agent: uid \(other) (sa-test-other) may not use this agent: without a policy it serves only uid 0 (root) (run as that user)\n")
        #expect(agent.run(["status"], asUser: "sa-test-other").status == 4)
        #expect(agent.run(["lock"], asUser: "sa-test-other").status == 4)
        #expect(agent.run(["get", "peer/key"]).out == value, "the owner is still served")
        agent.expectNeverPrinted(value)
    }
}
