import Foundation
import SecretsClient
import SecretsCore
import SecretsProtocol
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Bad frames on one connection never disturb the others (DESIGN §3), and a stalled client
/// never blocks anyone.
@Suite struct WireAbuseTests {
    static let value = "wire-abuse-value-0123456789"

    /// A raw connection that has said nothing yet.
    func rawConnection(_ agent: TestAgent) throws -> FramedSocket {
        guard case .success(let fd) = try UnixSocketAddress.connect(agent.socket) else { throw TestFailure("connect failed") }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return FramedSocket(fd: fd)
    }

    /// Reads until the agent closes; returns the error reply it sent first, if any.
    func replyThenClose(_ socket: FramedSocket) -> (SecretsAgent_V1_Error?, closed: Bool) {
        var error: SecretsAgent_V1_Error?
        if let response = try? socket.read(SecretsAgent_V1_Response.self), case .error(let e) = response.result { error = e }
        let closed = (try? socket.readFrameBody()) == nil
        return (error, closed)
    }

    func expectServing(_ client: AgentClient) throws {
        let got = try client.get(name: "wire/key", environment: "development")
        #expect(got.value.withUnsafeBytes { Array($0) } == Array(Self.value.utf8))
    }

    @Test func badFramesAreAnsweredAndClosedWhileOthersKeepWorking() throws {
        let agent = try TestAgent()
        try agent.start()
        #expect(agent.run(["add", "wire/key", "--stdin"], stdin: Array(Self.value.utf8)).status == 0)
        let good = try AgentClient(socketPath: agent.socket)
        try expectServing(good)

        let zero = try rawConnection(agent)
        try zero.writeAll([0, 0, 0, 0])
        let zeroReply = replyThenClose(zero)
        #expect(zeroReply.0?.code == .invalidArgument)
        #expect(zeroReply.0?.message.contains("zero-length frame") == true)
        #expect(zeroReply.closed)
        try expectServing(good)

        let huge = try rawConnection(agent)
        try huge.writeAll([0x80, 0, 0, 0])  // 2 GiB
        let hugeReply = replyThenClose(huge)
        #expect(hugeReply.0?.message.contains("exceeds the 1 MiB limit") == true)
        #expect(hugeReply.closed)
        try expectServing(good)

        let truncated = try rawConnection(agent)
        try truncated.writeAll([0, 0, 0, 100, 1, 2, 3])
        shutdown(truncated.fd, Int32(SHUT_WR))
        #expect(replyThenClose(truncated).closed)
        try expectServing(good)

        let garbage = try rawConnection(agent)
        var generator = SystemRandomNumberGenerator()
        let junk = (0..<200).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try garbage.writeAll(Array(try FrameCodec.frame([0xFF, 0xFF, 0xFF, 0xFF, 0x0F] + junk)))
        let garbageReply = replyThenClose(garbage)
        #expect(garbageReply.closed)
        try expectServing(good)

        for _ in 0..<50 {
            let random = try rawConnection(agent)
            let length = Int.random(in: 1...64)
            try? random.writeAll((0..<length).map { _ in UInt8.random(in: 0...255) })
            shutdown(random.fd, Int32(SHUT_WR))
            _ = replyThenClose(random)
        }
        try expectServing(good)
        #expect(agent.pid.map { kill($0, 0) == 0 } == true, "the agent is still running")
    }

    @Test func aRequestBeforeHelloIsRefused() throws {
        let agent = try TestAgent()
        try agent.start()
        let socket = try rawConnection(agent)
        var request = SecretsAgent_V1_Request()
        request.requestID = 9
        request.status = SecretsAgent_V1_StatusRequest()
        try socket.write(request)
        let response = try socket.read(SecretsAgent_V1_Response.self)
        #expect(response?.requestID == 9)
        guard case .error(let error)? = response?.result else { Issue.record("expected an error"); return }
        #expect(error.message.contains("must be Hello"))
    }

    @Test func sixtyFourClientsAndAStalledOneAreServedAtOnce() throws {
        let agent = try TestAgent()
        try agent.start()
        #expect(agent.run(["add", "wire/key", "--stdin"], stdin: Array(Self.value.utf8)).status == 0)
        // A client that sends half a frame and then nothing.
        let stalled = try rawConnection(agent)
        try stalled.writeAll([0, 0, 0, 50, 1])
        // 64 connections open at once, each getting answers.
        // Each client is used by exactly one of the concurrent iterations.
        nonisolated(unsafe) let clients = try (0..<64).map { _ in try AgentClient(socketPath: agent.socket) }
        let failures = LockedBox(0)
        DispatchQueue.concurrentPerform(iterations: clients.count) { index in
            for _ in 0..<20 {
                let ok = (try? clients[index].get(name: "wire/key", environment: "development"))
                    .map { $0.value.withUnsafeBytes { Array($0) } == Array(Self.value.utf8) } ?? false
                if !ok { failures.update { $0 += 1 } }
            }
        }
        #expect(failures.value == 0)
        _ = stalled
    }
}
