import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SecretsClient
import SecretsCore
import SecretsProtocol
import Testing

@Suite struct AgentClientTests {
    static func notRunning(_ path: String, _ why: String) -> SecretsError {
        .unavailable("cannot connect to \(path): \(why) (start the agent: secrets-agent serve)")
    }

    static func unexpectedReply(_ path: String) -> SecretsError {
        .internal("the agent at \(path) sent an unexpected reply (is it the same version as this client?)")
    }

    static func getReply(_ request: SecretsAgent_V1_Request, value: [UInt8], version: UInt64) -> FakeAgent.Reply {
        var reply = SecretsAgent_V1_GetReply()
        reply.name = request.get.name
        reply.environment = request.get.environment
        reply.version = version
        reply.value = Data(value)
        return .result(.get(reply))
    }

    static func errorReply(_ code: SecretsError.Code, _ message: String) -> FakeAgent.Reply {
        .result(.error(SecretsError(code, message).wire))
    }

    // MARK: - Connecting

    @Test func aMissingSocketMeansNoAgent() throws {
        let dir = try TestDirectory()
        let path = dir.path + "/agent.sock"
        let error = #expect(throws: SecretsError.self) { try AgentClient(socketPath: path) }
        #expect(error == Self.notRunning(path, "no such file or directory"))
    }

    @Test func aMissingDirectoryMeansNoAgent() throws {
        let dir = try TestDirectory()
        let path = dir.path + "/run/secrets-agent/agent.sock"
        let error = #expect(throws: SecretsError.self) { try AgentClient(socketPath: path) }
        #expect(error == Self.notRunning(path, "no such file or directory"))
    }

    @Test func aSocketNobodyListensOnMeansNoAgent() throws {
        let dir = try TestDirectory()
        let path = dir.path + "/agent.sock"
        var address = try UnixSocketAddress.make(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        close(fd)  // the socket file stays, as after an agent crash
        try #require(bound == 0)
        let error = #expect(throws: SecretsError.self) { try AgentClient(socketPath: path) }
        #expect(error == Self.notRunning(path, "connection refused"))
    }

    @Test func aRegularFileIsNotAnAgent() throws {
        let dir = try TestDirectory()
        let path = dir.path + "/agent.sock"
        #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8)))
        let error = #expect(throws: SecretsError.self) { try AgentClient(socketPath: path) }
        #expect(error == Self.notRunning(path, "connection refused"))
    }

    @Test func aPathTooLongForASocketIsAnInvalidArgument() {
        let path = "/tmp/" + String(repeating: "s", count: 200)
        let error = #expect(throws: SecretsError.self) { try AgentClient(socketPath: path) }
        #expect(error == .invalidArgument("socket path \(path) is longer than 107 bytes (choose a shorter --socket path)"))
    }

    // MARK: - Hello

    @Test func connectingSaysHelloAndKeepsTheReply() throws {
        let agent = try FakeAgent { _ in .result(FakeAgent.helloReply(locked: true)) }
        let client = try AgentClient(socketPath: agent.socketPath, clientName: "client-tests")
        #expect(client.socketPath == agent.socketPath)
        #expect(client.hello.agentVersion == "0.1.0-fake")
        #expect(client.hello.protocolVersion == 1)
        #expect(client.hello.locked)

        let received = agent.received
        #expect(received.count == 1)
        #expect(received.first?.requestID == 1)
        var hello = SecretsAgent_V1_Hello()
        hello.protocolVersion = ProtocolVersion.current
        hello.client = "client-tests"
        #expect(received.first?.op == .hello(hello))
    }

    @Test func aRefusedHelloIsThrown() throws {
        let message = "uid 1001 may not use this agent: without a policy it serves only uid 0 (root) (run as that user)"
        let agent = try FakeAgent { _ in Self.errorReply(.permissionDenied, message) }
        let error = #expect(throws: SecretsError.self) { try AgentClient(socketPath: agent.socketPath) }
        #expect(error == .permissionDenied(message))
    }

    @Test func aHelloAnsweredWithSomethingElseIsUnexpected() throws {
        let agent = try FakeAgent { _ in .result(.lock(SecretsAgent_V1_LockReply())) }
        let error = #expect(throws: SecretsError.self) { try AgentClient(socketPath: agent.socketPath) }
        #expect(error == Self.unexpectedReply(agent.socketPath))
    }

    // MARK: - Get

    @Test func getReturnsTheValueAndVersion() throws {
        let value = Array("s3cr3t-value\n\0binary".utf8)
        let agent = try FakeAgent(FakeAgent.afterHello { Self.getReply($0, value: value, version: 7) })
        let client = try AgentClient(socketPath: agent.socketPath)
        let got = try client.get(name: "openai/key", environment: "production")
        #expect(got.version == 7)
        #expect(got.value.count == value.count)
        let same = got.value.withUnsafeBytes { Array($0) } == value
        #expect(same, "the value differs from what the agent sent")

        let request = try #require(agent.received.last)
        #expect(request.requestID == 2, "request ids count up from the Hello")
        var expected = SecretsAgent_V1_GetRequest()
        expected.name = "openai/key"
        expected.environment = "production"
        #expect(request.op == .get(expected))
    }

    @Test func getSendsVersionAndMasked() throws {
        let agent = try FakeAgent(FakeAgent.afterHello { Self.getReply($0, value: Array("sk-...123".utf8), version: 3) })
        let client = try AgentClient(socketPath: agent.socketPath)
        _ = try client.get(name: "db/pass", environment: "staging", version: 3, masked: true)
        var expected = SecretsAgent_V1_GetRequest()
        expected.name = "db/pass"
        expected.environment = "staging"
        expected.version = 3
        expected.masked = true
        #expect(agent.received.last?.op == .get(expected))
    }

    @Test func everyErrorCodeIsThrownAsItsSecretsErrorAndTheConnectionGoesOn() throws {
        let codes: [SecretsError.Code] = [
            .invalidArgument, .notFound, .alreadyExists, .permissionDenied, .locked, .conflict,
            .integrityFailure, .unavailable, .resourceExhausted, .internal,
        ]
        let agent = try FakeAgent(FakeAgent.afterHello { request in
            let index = Int(request.requestID) - 2
            guard index < codes.count else { return Self.getReply(request, value: [1], version: 1) }
            return Self.errorReply(codes[index], "error \(index) for \(request.get.name)")
        })
        let client = try AgentClient(socketPath: agent.socketPath)
        for (index, code) in codes.enumerated() {
            let error = #expect(throws: SecretsError.self) { try client.get(name: "a/b", environment: "development") }
            #expect(error == SecretsError(code, "error \(index) for a/b"))
        }
        #expect(try client.get(name: "a/b", environment: "development").version == 1)
        #expect(agent.received.map(\.requestID) == Array(1...12))
    }

    @Test func notFoundFromTheAgent() throws {
        let agent = try FakeAgent(FakeAgent.afterHello { _ in
            Self.errorReply(.notFound, "no secret a/b in development (list them: secrets-agent list)")
        })
        let client = try AgentClient(socketPath: agent.socketPath)
        let error = #expect(throws: SecretsError.self) { try client.get(name: "a/b", environment: "development") }
        #expect(error == .notFound("no secret a/b in development (list them: secrets-agent list)"))
    }

    @Test func aReplyToAnotherRequestIsUnexpected() throws {
        let agent = try FakeAgent(FakeAgent.afterHello { request in
            var response = SecretsAgent_V1_Response()
            response.requestID = request.requestID + 1
            response.result = .get(SecretsAgent_V1_GetReply())
            return .response(response)
        })
        let client = try AgentClient(socketPath: agent.socketPath)
        let error = #expect(throws: SecretsError.self) { try client.get(name: "a/b", environment: "development") }
        #expect(error == Self.unexpectedReply(agent.socketPath))
    }

    @Test func aReplyOfTheWrongKindIsUnexpected() throws {
        let agent = try FakeAgent(FakeAgent.afterHello { _ in .result(.lock(SecretsAgent_V1_LockReply())) })
        let client = try AgentClient(socketPath: agent.socketPath)
        let error = #expect(throws: SecretsError.self) { try client.get(name: "a/b", environment: "development") }
        #expect(error == Self.unexpectedReply(agent.socketPath))
    }

    @Test func anAgentThatHangsUpIsUnavailable() throws {
        let agent = try FakeAgent(FakeAgent.afterHello { _ in .close })
        let client = try AgentClient(socketPath: agent.socketPath)
        let error = #expect(throws: SecretsError.self) { try client.get(name: "a/b", environment: "development") }
        #expect(error == .unavailable("the agent at \(agent.socketPath) closed the connection (check its log)"))
    }

    @Test func aGarbledReplyLosesTheConnection() throws {
        let agent = try FakeAgent(FakeAgent.afterHello { _ in .raw([0, 0, 0, 3, 0xFF, 0xFF, 0xFF]) })
        let client = try AgentClient(socketPath: agent.socketPath)
        let error = #expect(throws: SecretsError.self) { try client.get(name: "a/b", environment: "development") }
        #expect(error == .unavailable(
            "lost the connection to the agent at \(agent.socketPath): frame is not a valid protobuf message (check that it is running: secrets-agent status)"))
    }

    @Test func anOversizeReplyIsRefusedUnread() throws {
        let agent = try FakeAgent(FakeAgent.afterHello { _ in .raw([0x80, 0, 0, 0]) })
        let client = try AgentClient(socketPath: agent.socketPath)
        let error = #expect(throws: SecretsError.self) { try client.get(name: "a/b", environment: "development") }
        #expect(error == .unavailable(
            "lost the connection to the agent at \(agent.socketPath): frame of 2147483648 bytes exceeds the 1 MiB limit (check that it is running: secrets-agent status)"))
    }

    @Test func aReplyCutShortLosesTheConnection() throws {
        let agent = try FakeAgent(FakeAgent.afterHello { _ in .rawThenClose([0, 0, 0, 10, 1, 2]) })
        let client = try AgentClient(socketPath: agent.socketPath)
        let error = #expect(throws: SecretsError.self) { try client.get(name: "a/b", environment: "development") }
        #expect(error == .unavailable(
            "lost the connection to the agent at \(agent.socketPath): connection closed in the middle of a frame (check that it is running: secrets-agent status)"))
    }

    // MARK: - Other requests

    @Test func putSendsTheValueAndReturnsTheVersion() throws {
        let agent = try FakeAgent(FakeAgent.afterHello { _ in
            var reply = SecretsAgent_V1_PutReply()
            reply.version = 4
            return .result(.put(reply))
        })
        let client = try AgentClient(socketPath: agent.socketPath)
        let value = Array("new-value".utf8)
        let version = try value.withUnsafeBytes {
            try client.put(name: "db/pass", environment: "production", value: $0, mode: .update, expectedVersion: 3)
        }
        #expect(version == 4)
        let put = try #require(agent.received.last).put
        #expect(put.name == "db/pass")
        #expect(put.environment == "production")
        #expect(put.mode == .update)
        #expect(put.hasExpectedVersion)
        #expect(put.expectedVersion == 3)
        let same = put.value == Data(value)
        #expect(same, "the agent received a different value")
    }

    @Test func putWithoutAnExpectedVersionLeavesItUnset() throws {
        let agent = try FakeAgent(FakeAgent.afterHello { _ in .result(.put(SecretsAgent_V1_PutReply())) })
        let client = try AgentClient(socketPath: agent.socketPath)
        _ = try [UInt8(1)].withUnsafeBytes { try client.put(name: "a", environment: "development", value: $0, mode: .create) }
        #expect(agent.received.last?.put.hasExpectedVersion == false)
        #expect(agent.received.last?.put.mode == .create)
    }

    @Test func unlockSendsTheKindAndSecret() throws {
        let agent = try FakeAgent(FakeAgent.afterHello { _ in .result(.unlock(SecretsAgent_V1_UnlockReply())) })
        let client = try AgentClient(socketPath: agent.socketPath)
        let secret = Array(String(repeating: "ab", count: 32).utf8)
        try secret.withUnsafeBytes { try client.unlock(kind: .keyFile, secret: $0) }
        let unlock = try #require(agent.received.last).unlock
        #expect(unlock.kind == .keyFile)
        let same = unlock.secret == Data(secret)
        #expect(same, "the agent received a different secret")
    }

    @Test func lockedAgentErrorsArriveAsLocked() throws {
        let agent = try FakeAgent(FakeAgent.afterHello { _ in .result(.error(SecretsError.locked.wire)) })
        let client = try AgentClient(socketPath: agent.socketPath)
        #expect(throws: SecretsError.locked) { try client.get(name: "a/b", environment: "development") }
        #expect(throws: SecretsError.locked) { try client.lock() }
    }

    @Test func listWithoutAnEnvironmentAsksForAll() throws {
        let agent = try FakeAgent(FakeAgent.afterHello { _ in
            var item = SecretsAgent_V1_SecretMetadata()
            item.name = "openai/key"
            item.environment = "production"
            item.currentVersion = 2
            var reply = SecretsAgent_V1_ListReply()
            reply.secrets = [item]
            return .result(.list(reply))
        })
        let client = try AgentClient(socketPath: agent.socketPath)
        let listed = try client.list(environment: nil, prefix: "openai/")
        #expect(listed.map(\.name) == ["openai/key"])
        #expect(listed.map(\.currentVersion) == [2])
        var expected = SecretsAgent_V1_ListRequest()
        expected.prefix = "openai/"
        #expect(agent.received.last?.op == .list(expected))
    }

    @Test func deleteReturnsTheVersionsRemoved() throws {
        let agent = try FakeAgent(FakeAgent.afterHello { _ in
            var reply = SecretsAgent_V1_DeleteReply()
            reply.versionsRemoved = 3
            return .result(.delete(reply))
        })
        let client = try AgentClient(socketPath: agent.socketPath)
        #expect(try client.delete(name: "a/b", environment: "staging") == 3)
        var expected = SecretsAgent_V1_DeleteRequest()
        expected.name = "a/b"
        expected.environment = "staging"
        #expect(agent.received.last?.op == .delete(expected))
    }
}
