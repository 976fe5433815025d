import Foundation
import SecretsProtocol
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The C client in contrib/c: built with its own Makefile, then driven through its example
/// `secrets-agent-get` against a real agent, and against an impostor for the wire checks.
@Suite(.serialized)
struct CClientTests {
    /// contrib/c, found from this file (Tests/IntegrationTests/CClientTests.swift).
    static let sources: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("contrib/c").path

    /// The build directory, under /tmp and 0755 so a throwaway user can run the example;
    /// removed when the test process exits.
    static let buildDirectory: String = {
        let path = "/tmp/secrets-agent-cclient-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        mkdir(path, 0o755)
        chmod(path, 0o755)
        atexit { try? FileManager.default.removeItem(atPath: CClientTests.buildDirectory) }
        return path
    }()

    /// `make -C contrib/c BUILD=<temp dir>`, once per test process: the example's path, or
    /// why the build failed.
    static let build: Result<String, TestFailure> = {
        let make = Process()
        make.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        make.arguments = ["make", "-C", sources, "BUILD=\(buildDirectory)"]
        let output = Pipe()
        make.standardOutput = output
        make.standardError = output
        do { try make.run() } catch { return .failure(TestFailure("cannot run make: \(error)")) }
        let log = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        make.waitUntilExit()
        guard make.terminationStatus == 0 else {
            return .failure(TestFailure("make -C contrib/c failed with status \(make.terminationStatus):\n\(log)"))
        }
        let example = buildDirectory + "/secrets-agent-get"
        chmod(example, 0o755)  // whatever the umask, the throwaway user may run it
        return .success(example)
    }()

    var example: String { get throws { try Self.build.get() } }

    /// Runs the example against `agent` (its socket in $SECRETS_AGENT_SOCK).
    func run(_ agent: TestAgent, _ arguments: [String], asUser user: String? = nil) throws -> TestAgent.Result {
        agent.run(arguments, asUser: user, binary: try example)
    }

    /// A failed run: `status`, no stdout, one `secrets-agent-get: ` line on stderr that says
    /// `mentioning`, and none of `values` anywhere in it.
    func expectFailure(_ result: TestAgent.Result, status: Int32, mentioning: String, values: [[UInt8]],
                       sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == status, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("secrets-agent-get: "), "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasSuffix("\n") && result.stderr.filter { $0 == "\n" }.count == 1,
                "one line: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(mentioning), "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        for value in values {
            let leaked = Data(result.stderr.utf8).range(of: Data(value)) != nil
            #expect(!leaked, "a value appeared in stderr", sourceLocation: sourceLocation)
        }
    }

    func add(_ agent: TestAgent, _ name: String, _ value: [UInt8], env: String = "development",
             sourceLocation: SourceLocation = #_sourceLocation) {
        let result = agent.run(["add", name, "--env", env, "--stdin"], stdin: value)
        #expect(result.status == 0, "add \(name): \(result.stderr)", sourceLocation: sourceLocation)
    }

    /// 60 KB of deterministic bytes covering every byte value, NUL included.
    static let bigValue: [UInt8] = {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<60_000).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }()

    @Test func makeBuildsTheLibraryAndTheExample() throws {
        let example = try example
        #expect(FileManager.default.isExecutableFile(atPath: example))
        #expect(FileManager.default.fileExists(atPath: Self.buildDirectory + "/libsecrets_agent.a"))
        #expect(FileManager.default.fileExists(atPath: Self.buildDirectory + "/gen/secrets_agent/v1/agent.pb-c.h"),
                "protobuf-c code is generated into BUILD")
    }

    @Test func getWritesTheExactBytes() throws {
        let agent = try TestAgent()
        try agent.start()
        let text = Array("c-client-text-value-0001".utf8)
        let withNul = Array("before".utf8) + [0] + Array("after\n".utf8)
        #expect(Self.bigValue.contains(0))
        add(agent, "c/text", text)
        add(agent, "c/nul", withNul)
        add(agent, "c/big", Self.bigValue)

        let plain = try run(agent, ["c/text"])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout == text, "no newline added")
        #expect(plain.stderr.isEmpty)
        #expect(try run(agent, ["c/nul"]).stdout == withNul)
        let big = try run(agent, ["--socket", agent.socket, "--env", "development", "c/big"])
        #expect(big.status == 0)
        #expect(big.stdout.count == Self.bigValue.count)
        #expect(big.stdout == Self.bigValue)
    }

    @Test func versionAndEnvironmentSelectTheValue() throws {
        let agent = try TestAgent()
        try agent.start()
        let first = Array("c-client-first-value-11".utf8), second = Array("c-client-second-value-22".utf8)
        let production = Array("c-client-production-value-33".utf8)
        add(agent, "c/rotated", first)
        #expect(agent.run(["update", "c/rotated", "--stdin"], stdin: second).status == 0)
        add(agent, "c/rotated", production, env: "production")

        #expect(try run(agent, ["c/rotated"]).stdout == second)
        #expect(try run(agent, ["--version", "1", "c/rotated"]).stdout == first)
        #expect(try run(agent, ["c/rotated", "--version", "2"]).stdout == second)
        #expect(try run(agent, ["--env", "production", "c/rotated"]).stdout == production)
        expectFailure(try run(agent, ["--version", "3", "c/rotated"]), status: 3,
                      mentioning: "c/rotated in development has no version 3", values: [first, second, production])
    }

    @Test func listPrintsNameEnvironmentAndVersion() throws {
        let agent = try TestAgent()
        try agent.start()
        add(agent, "c/a", Array("c-list-value-a-1".utf8))
        add(agent, "c/b", Array("c-list-value-b-1".utf8))
        #expect(agent.run(["update", "c/b", "--stdin"], stdin: Array("c-list-value-b-2".utf8)).status == 0)
        add(agent, "other/x", Array("c-list-value-x-1".utf8))
        add(agent, "c/a", Array("c-list-value-a-prod".utf8), env: "production")

        let all = try run(agent, ["--list"])
        #expect(all.status == 0, "\(all.stderr)")
        #expect(all.out == "c/a\tdevelopment\t1\nc/b\tdevelopment\t2\nother/x\tdevelopment\t1\nc/a\tproduction\t1\n")
        #expect(try run(agent, ["--list", "--env", "production"]).out == "c/a\tproduction\t1\n")
        #expect(try run(agent, ["--list", "--prefix", "c/"]).out == "c/a\tdevelopment\t1\nc/b\tdevelopment\t2\nc/a\tproduction\t1\n")
        let none = try run(agent, ["--list", "--prefix", "nothing/"])
        #expect(none.status == 0 && none.stdout.isEmpty)
        #expect(!all.out.contains("c-list-value"), "a listing holds no value")
    }

    @Test func aListingOfSeveralPagesComesBackWhole() throws {
        let agent = try TestAgent()
        try agent.start()
        let names = (0..<12_000).map { "c/a-rather-long-service-name/\(100_000 + $0)" }  // ~3 pages of metadata
        let path = agent.home + "/many.env"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(names.map { "\($0)=c-page-value\n" }.joined().utf8)))
        chmod(path, 0o600)
        let imported = agent.run(["import", path, "--env", "production"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let listed = try run(agent, ["--list", "--env", "production"])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.out == names.map { "\($0)\tproduction\t1\n" }.joined(), "every name once, in order, across pages")
    }

    @Test func aMissingSecretExits3() throws {
        let agent = try TestAgent()
        try agent.start()
        let value = Array("c-client-present-value-44".utf8)
        add(agent, "c/present", value)
        expectFailure(try run(agent, ["c/missing"]), status: 3, mentioning: "c/missing", values: [value])
        expectFailure(try run(agent, ["--env", "staging", "c/present"]), status: 3,
                      mentioning: "cannot get c/present in staging: c/present not found in staging", values: [value])
    }

    @Test func aLockedAgentExits5() throws {
        let agent = try TestAgent()
        try agent.start()
        let value = Array("c-client-locked-value-55".utf8)
        add(agent, "c/locked", value)
        #expect(agent.run(["lock"]).status == 0)
        expectFailure(try run(agent, ["c/locked"]), status: 5, mentioning: "agent is locked", values: [value])
        expectFailure(try run(agent, ["--list"]), status: 5, mentioning: "cannot list secrets: agent is locked", values: [value])
        #expect(agent.run(["unlock", "--key-file", agent.keyFile]).status == 0)
        #expect(try run(agent, ["c/locked"]).stdout == value)
    }

    @Test func noAgentExits6() throws {
        let agent = try TestAgent()  // initialized, never started
        expectFailure(try run(agent, ["c/any"]), status: 6,
                      mentioning: "cannot connect to \(agent.socket): no such file or directory (start the agent: secrets-agent serve)",
                      values: [])
        expectFailure(try run(agent, ["--socket", agent.home + "/elsewhere.sock", "--list"]), status: 6,
                      mentioning: "cannot connect to \(agent.home)/elsewhere.sock", values: [])
    }

    @Test func usageErrorsExit64() throws {
        let agent = try TestAgent()
        try agent.start()
        let usages: [([String], String)] = [
            ([], "give one NAME"), (["a", "b"], "give exactly one NAME"), (["--list", "c/x"], "--list takes no NAME"),
            (["--version", "x1", "c/x"], "--version takes a number"), (["--prefix", "c/", "c/x"], "--prefix applies to --list"),
            (["--bogus", "c/x"], "unknown option --bogus"), (["c/x", "--socket"], "--socket needs a value"),
        ]
        for (arguments, why) in usages {
            expectFailure(try run(agent, arguments), status: 64, mentioning: "invalid arguments: \(why)", values: [])
        }
        // The agent's INVALID_ARGUMENT maps to 64 too, as in the CLI.
        expectFailure(try run(agent, ["../escape"]), status: 64, mentioning: "cannot get ../escape: ", values: [])
    }

    @Test(.enabled(if: geteuid() == 0, "needs root to create throwaway users"))
    func aDeniedReadExits4() throws {
        let agent = try TestAgent.withPolicy("""
            [[rule]]
            user = "sa-worker"
            role = "agent"
            environments = ["production"]
            secrets = ["openai/*"]

            [[rule]]
            uid = 0
            role = "admin"
            """, users: ["sa-worker", "sa-stranger"])
        let granted = Array("c-client-granted-value-66".utf8), other = Array("c-client-other-value-77".utf8)
        add(agent, "openai/key", granted, env: "production")
        add(agent, "other/token", other, env: "production")

        let allowed = try run(agent, ["--env", "production", "openai/key"], asUser: "sa-worker")
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stdout == granted)
        let worker = TestUsers.ids(of: "sa-worker").uid
        expectFailure(try run(agent, ["--env", "production", "other/token"], asUser: "sa-worker"), status: 4,
                      mentioning: "cannot get other/token in production: permission denied: uid \(worker) (sa-worker) is agent",
                      values: [granted, other])
        expectFailure(try run(agent, ["--env", "staging", "openai/key"], asUser: "sa-worker"), status: 4,
                      mentioning: "permission denied", values: [granted, other])
        #expect(try run(agent, ["--list"], asUser: "sa-worker").out == "openai/key\tproduction\t1\n", "the list is cut to the grant")
        // A uid no rule admits is refused in answer to Hello.
        expectFailure(try run(agent, ["--env", "production", "openai/key"], asUser: "sa-stranger"), status: 4,
                      mentioning: "the agent at \(agent.socket) refused the connection: ", values: [granted, other])
    }

    // MARK: - Against an impostor

    /// Hello answered as the agent would, with request id `id`.
    static func helloReply(_ id: UInt64) -> SecretsAgent_V1_Response {
        var response = SecretsAgent_V1_Response()
        response.requestID = id
        var hello = SecretsAgent_V1_HelloReply()
        hello.agentVersion = "impostor"
        hello.protocolVersion = 1
        response.result = .hello(hello)
        return response
    }

    /// A Get reply whose Response encodes to exactly `size` bytes.
    static func getReply(_ id: UInt64, encodedSize size: Int) throws -> SecretsAgent_V1_Response {
        var response = SecretsAgent_V1_Response()
        response.requestID = id
        var reply = SecretsAgent_V1_GetReply()
        reply.name = "c/huge"
        reply.environment = "development"
        reply.version = 1
        var count = size - 64
        for _ in 0..<8 {
            reply.value = Data(repeating: 0x41, count: count)
            response.result = .get(reply)
            let encoded = try response.serializedBytes() as [UInt8]
            if encoded.count == size { return response }
            count += size - encoded.count
        }
        throw TestFailure("cannot make a reply of exactly \(size) bytes")
    }

    @Test func theFrameLimitAndTheRequestIDAreEnforced() throws {
        let home = try TestAgent()  // for its temporary directory
        let path = home.home + "/impostor.sock"
        let limit = 1 << 20
        let exactly = try Self.getReply(1, encodedSize: limit)
        typealias Script = @Sendable (FramedSocket, UInt64) throws -> Void
        let afterHello: (@escaping @Sendable (FramedSocket, SecretsAgent_V1_Request) throws -> Void) -> Script = { next in
            { socket, id in
                try socket.write(Self.helloReply(id))
                guard let request = try socket.read(SecretsAgent_V1_Request.self) else { return }
                try next(socket, request)
            }
        }
        let cases: [(String, Script, Int32, String)] = [
            ("oversize", { socket, _ in try socket.writeAll([0x00, 0x10, 0x00, 0x01]) }, 1,
             "broke the protocol: a frame of 1048577 bytes (allowed: 1 to 1048576)"),
            ("zero length", { socket, _ in try socket.writeAll([0, 0, 0, 0]) }, 1, "a frame of 0 bytes"),
            ("truncated", { socket, _ in try socket.writeAll([0, 0, 0, 100, 1, 2, 3]) }, 1, "truncated frame"),
            ("undecodable", { socket, _ in try socket.writeAll(FrameCodec.frame([0xFF, 0xFF, 0xFF])) }, 1, "undecodable reply"),
            ("wrong id", { socket, id in try socket.write(Self.helloReply(id + 41)) }, 1, "request 1 was answered as 42"),
            ("wrong kind", afterHello { socket, request in
                var status = SecretsAgent_V1_Response()
                status.requestID = request.requestID
                status.result = .status(SecretsAgent_V1_StatusReply())
                try socket.write(status)
            }, 1, "a reply of the wrong kind"),
            ("hang-up", afterHello { _, _ in }, 6, "the agent at \(path) closed the connection"),
        ]
        for (label, script, status, message) in cases {
            let impostor = try Impostor(path: path, script: script)
            let result = try run(home, ["--socket", path, "c/huge"])
            impostor.finish()
            #expect(result.status == status, "\(label): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(label)")
            #expect(result.stderr.hasPrefix("secrets-agent-get: ") && result.stderr.contains(message), "\(label): \(result.stderr)")
        }

        // A reply of exactly 1 MiB is within the limit.
        let impostor = try Impostor(path: path, script: afterHello { socket, request in
            var reply = exactly
            reply.requestID = request.requestID
            try socket.write(reply)
        })
        let result = try run(home, ["--socket", path, "c/huge"])
        impostor.finish()
        #expect(result.status == 0, "\(result.stderr)")
        guard case .get(let get) = exactly.result else { throw TestFailure("not a Get reply") }
        #expect(result.stdout.count == get.value.count)
        #expect(result.stdout == Array(get.value))
    }
}

/// A fake agent on a Unix socket: accepts one connection, reads its Hello, then runs
/// `script` with the connection and the Hello's request id, and closes it.
private final class Impostor: Sendable {
    private let listener: Int32
    private let done = DispatchSemaphore(value: 0)

    init(path: String, script: @escaping @Sendable (FramedSocket, UInt64) throws -> Void) throws {
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: \(errno)") }
        var address = try UnixSocketAddress.make(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(fd, 4) == 0 else {
            close(fd)
            throw TestFailure("cannot listen on \(path): \(errno)")
        }
        Impostor.setTimeout(fd)
        listener = fd
        let finished = done
        Thread {
            defer { finished.signal() }
            let connection = accept(fd, nil, nil)
            guard connection >= 0 else { return }
            Impostor.setTimeout(connection)
            let socket = FramedSocket(fd: connection)
            defer { socket.close() }
            guard let hello = try? socket.read(SecretsAgent_V1_Request.self), case .hello = hello.op else { return }
            try? script(socket, hello.requestID)
        }.start()
    }

    /// Waits (up to 20 s) for the script to end, then stops listening.
    func finish() {
        _ = done.wait(timeout: .now() + 20)
        close(listener)
    }

    /// Accepts and reads give up after 20 s, so a client that never comes cannot hang a test.
    private static func setTimeout(_ fd: Int32) {
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }
}
