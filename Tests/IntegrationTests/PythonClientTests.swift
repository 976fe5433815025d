import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The Python client in contrib/python against a real agent: snippets run with the Debian
/// interpreter (which has python3-protobuf) and the working tree's package on PYTHONPATH.
/// Values travel back as hex only, so no raw value is ever printed; every failing run's
/// stderr (a traceback) is checked for values.
@Suite(.serialized)
struct PythonClientTests {
    static let python = "/usr/bin/python3"

    /// contrib/python, found from this file (Tests/IntegrationTests/PythonClientTests.swift).
    static let packageRoot: String = repositoryRoot + "/contrib/python"
    static let repositoryRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Imported by every snippet. Clients get a timeout so a hang fails instead of blocking.
    static let prologue = """
        import sys
        from secrets_agent_client import *
        def connect(): return Client(timeout=20)

        """

    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
        var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    /// Runs `arguments` with /usr/bin/python3 (as `user` via setpriv when given), with the
    /// package on PYTHONPATH, no bytecode written, and `socket` in $SECRETS_AGENT_SOCK.
    static func runPython(_ arguments: [String], socket: String?, pythonPath: String = packageRoot,
                          asUser user: String? = nil, directory: String? = nil) -> Run {
        let process = Process()
        if let user {
            let ids = TestUsers.ids(of: user)
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=\(ids.uid)", "--regid=\(ids.gid)", "--clear-groups", "--", python, "-B"] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = ["-B"] + arguments
        }
        var environment = ProcessInfo.processInfo.environment
        for key in ["SECRETS_AGENT_SOCK", "SECRETS_AGENT_ENV", "XDG_RUNTIME_DIR", "PYTHONHOME", "PYTHONSTARTUP"] {
            environment.removeValue(forKey: key)
        }
        if let socket { environment["SECRETS_AGENT_SOCK"] = socket }
        environment["PYTHONPATH"] = pythonPath
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        environment["PYTHONNOUSERSITE"] = "1"
        environment["PYTHONIOENCODING"] = "utf-8"
        process.environment = environment
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let outPipe = Pipe(), errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return Run(status: -1, stdout: "", stderr: "cannot run \(python): \(error)") }
        // Read both pipes concurrently so a chatty child cannot deadlock on a full pipe.
        let errData = LockedBox(Data())
        let errReader = Thread { errData.value = errPipe.fileHandleForReading.readDataToEndOfFile() }
        errReader.start()
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errData.done { usleep(1000) }
        return Run(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                   stderr: String(decoding: errData.value, as: UTF8.self))
    }

    /// Runs a snippet (after the prologue) against `agent`.
    func snippet(_ code: String, _ agent: TestAgent, asUser user: String? = nil, pythonPath: String = packageRoot) -> Run {
        Self.runPython(["-c", Self.prologue + code], socket: agent.socket, pythonPath: pythonPath, asUser: user)
    }

    /// A run that ended in an uncaught `exception`: status 1, the traceback's last line is
    /// `secrets_agent_client.errors.<exception>: <message>` with `message` starting as given,
    /// and none of `values` anywhere in stdout or stderr.
    func expectRaised(_ run: Run, _ exception: String, messageStart: String, values: [[UInt8]],
                      sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.status == 1, "stderr: \(run.stderr)", sourceLocation: sourceLocation)
        let last = run.stderr.split(separator: "\n").last.map(String.init) ?? ""
        let prefix = "secrets_agent_client.errors.\(exception): \(messageStart)"
        #expect(last.hasPrefix(prefix), "last line \(last.debugDescription), want prefix \(prefix.debugDescription)",
                sourceLocation: sourceLocation)
        expectNoValue(run, values, sourceLocation: sourceLocation)
    }

    func expectNoValue(_ run: Run, _ values: [[UInt8]], sourceLocation: SourceLocation = #_sourceLocation) {
        for value in values {
            let inOut = Data(run.stdout.utf8).range(of: Data(value)) != nil
            let inErr = Data(run.stderr.utf8).range(of: Data(value)) != nil
            #expect(!inOut && !inErr, "a value appeared in python's output", sourceLocation: sourceLocation)
        }
    }

    func add(_ agent: TestAgent, _ name: String, _ value: [UInt8], env: String = "development",
             sourceLocation: SourceLocation = #_sourceLocation) {
        let result = agent.run(["add", name, "--env", env, "--stdin"], stdin: value)
        #expect(result.status == 0, "add \(name): \(result.stderr)", sourceLocation: sourceLocation)
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// 60 KB of deterministic bytes covering every byte value, NUL included.
    static let bigValue: [UInt8] = {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        var bytes = (0..<60_000).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        for byte in 0...255 { bytes[byte * 7] = UInt8(byte) }
        return bytes
    }()

    let text = Array("py-text-value-Kq9#ZZ-not-hex".utf8)
    let binary: [UInt8] = [0x00, 0xFF, 0x0A, 0x0D, 0x80, 0x00, 0x7F, 0xC3, 0x28, 0x01]

    @Test func getReturnsTheExactBytesAndPrintsRedacted() throws {
        let agent = try TestAgent()
        try agent.start()
        add(agent, "py/text", text)
        add(agent, "py/binary", binary)
        add(agent, "py/big", Self.bigValue, env: "production")
        let run = snippet("""
            with connect() as agent:
                print("hello", agent.agent_version, agent.protocol_version, agent.locked)
                for name, env in (("py/text", ""), ("py/binary", "development"), ("py/big", "production")):
                    s = agent.get(name, environment=env)
                    print(s.name, s.environment, s.version, len(s), s.value.hex())
                    print("repr", repr(s), str(s), f"{s}", repr([s]))
                    s.clear()
                with agent.get("py/text") as s:
                    print("text", s.text().encode().hex())
                print("cleared", s.cleared, len(s))
            """, agent)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let lines = run.lines
        #expect(lines.count == 9)  // not the lines themselves: on a failure they might hold a value
        guard lines.count == 9 else { return }
        #expect(lines[0] == "hello 0.1.0 1 False")
        #expect(lines[1] == "py/text development 1 \(text.count) \(Self.hex(text))")
        #expect(lines[3] == "py/binary development 1 \(binary.count) \(Self.hex(binary))")
        #expect(lines[5] == "py/big production 1 60000 \(Self.hex(Self.bigValue))")
        for index in [2, 4, 6] {
            #expect(lines[index] == "repr [REDACTED] [REDACTED] [REDACTED] [[REDACTED]]")
        }
        #expect(lines[7] == "text \(Self.hex(text))")
        #expect(lines[8] == "cleared True 0")
        expectNoValue(run, [text])
        agent.expectNeverPrinted(String(decoding: text, as: UTF8.self))
    }

    @Test func olderVersionsAndList() throws {
        let agent = try TestAgent()
        try agent.start()
        let first = Array("py-first-version-value-01".utf8)
        let second = Array("py-second-version-value-02".utf8)
        add(agent, "app/token", first)
        #expect(agent.run(["update", "app/token", "--stdin"], stdin: second).status == 0)
        add(agent, "db/main/pass", Array("py-db-pass-value-03".utf8), env: "production")
        add(agent, "db/replica/pass", Array("py-db-pass-value-04".utf8), env: "production")
        let run = snippet("""
            with connect() as agent:
                for version in (0, 1, 2):
                    s = agent.get("app/token", version=version)
                    print("get", version, s.version, s.value.hex())
                for info in agent.list():
                    print("all", info.name, info.environment, info.version, info.version_count,
                          info.created_at is not None, info.updated_at is not None and info.updated_at.tzinfo is not None)
                print("prod", sorted(i.name for i in agent.list(environment="production")))
                print("prefix", [i.name for i in agent.list(environment="production", prefix="db/main")])
                print("none", agent.list(prefix="nothing/"))
                try:
                    agent.get("app/token", version=7)
                except NotFound as error:
                    print("old", error.code_name)
            """, agent)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.lines == [
            "get 0 2 \(Self.hex(second))",
            "get 1 1 \(Self.hex(first))",
            "get 2 2 \(Self.hex(second))",
            "all app/token development 2 2 True True",
            "all db/main/pass production 1 1 True True",
            "all db/replica/pass production 1 1 True True",
            "prod ['db/main/pass', 'db/replica/pass']",
            "prefix ['db/main/pass']",
            "none []",
            "old NOT_FOUND",
        ])
    }

    @Test func aMissingNameRaisesNotFoundNamingIt() throws {
        let agent = try TestAgent()
        try agent.start()
        let value = Array("py-present-value-NF-123".utf8)
        add(agent, "present/one", value)
        let caught = snippet("""
            agent = connect()
            try:
                agent.get("missing/thing", environment="staging")
            except NotFound as error:
                print(type(error).__name__, error.code_name, int(error.code), isinstance(error, SecretsAgentError))
                print(error.message)
            print("still usable", agent.get("present/one").version)
            """, agent)
        #expect(caught.status == 0, "stderr: \(caught.stderr)")
        #expect(caught.lines == ["NotFound NOT_FOUND 2 True", "missing/thing not found in staging", "still usable 1"])
        let uncaught = snippet("connect().get('missing/thing')", agent)
        expectRaised(uncaught, "NotFound", messageStart: "missing/thing not found in development", values: [value])
        agent.expectNeverPrinted(String(decoding: value, as: UTF8.self))
    }

    @Test func aLockedAgentRaisesLocked() throws {
        let agent = try TestAgent()
        try agent.start()
        let value = Array("py-locked-value-LK-456".utf8)
        add(agent, "app/token", value)
        #expect(agent.run(["lock"]).status == 0)
        let run = snippet("""
            agent = connect()
            print("locked", agent.locked)
            try:
                agent.list()
            except Locked as error:
                print("list", error.code_name)
            agent.get("app/token")
            """, agent)
        #expect(run.lines == ["locked True", "list LOCKED"])
        expectRaised(run, "Locked", messageStart: "agent is locked", values: [value])
        #expect(agent.run(["unlock", "--key-file", agent.keyFile]).status == 0)
        let after = snippet("print(connect().get('app/token').value.hex())", agent)
        #expect(after.stdout == Self.hex(value) + "\n", "stderr: \(after.stderr)")
        agent.expectNeverPrinted(String(decoding: value, as: UTF8.self))
    }

    @Test func noAgentRaisesUnavailable() throws {
        let agent = try TestAgent()
        let missing = snippet("connect()", agent)
        expectRaised(missing, "Unavailable", messageStart: "cannot connect to \(agent.socket): no such file or directory (start the agent: secrets-agent serve)", values: [])
        // A socket file nobody listens on: refused, still Unavailable.
        let stale = agent.home + "/stale.sock"
        let bind = Self.runPython(["-c", "import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", stale], socket: nil)
        #expect(bind.status == 0, "stderr: \(bind.stderr)")
        let refused = Self.runPython(["-c", Self.prologue + "connect()"], socket: stale)
        expectRaised(refused, "Unavailable", messageStart: "cannot connect to \(stale): connection refused", values: [])
        // Nothing set and no runtime directory (runPython clears both): the system path.
        let fallback = Self.runPython(["-c", Self.prologue + "print(default_socket_path())"], socket: nil)
        #expect(fallback.stdout == "/run/secrets-agent/agent.sock\n", "stderr: \(fallback.stderr)")

        // An agent that stops under a connected client: the next request is Unavailable, and
        // so is every one after it on the closed client.
        try agent.start()
        let value = Array("py-gone-value-UN-789".utf8)
        add(agent, "app/token", value)
        let pid = try #require(agent.pid)
        let gone = snippet("""
            import os, signal, time
            agent = connect()
            print("before", agent.get("app/token").version)
            os.kill(\(pid), signal.SIGTERM)
            for _ in range(200):
                try:
                    agent.get("app/token").clear()
                    time.sleep(0.05)
                except Unavailable as error:
                    print("after", error.code_name, agent.closed)
                    break
            agent.get("app/token")
            """, agent)
        agent.stop()
        #expect(Array(gone.lines.prefix(2)) == ["before 1", "after UNAVAILABLE True"], "stderr: \(gone.stderr)")
        expectRaised(gone, "Unavailable", messageStart: "the connection to the agent at \(agent.socket) is closed", values: [value])
        let afterStop = snippet("connect()", agent)
        expectRaised(afterStop, "Unavailable", messageStart: "cannot connect to \(agent.socket): ", values: [value])
    }

    @Test(.enabled(if: geteuid() == 0, "needs root to create throwaway users"))
    func aDeniedReadRaisesPermissionDenied() throws {
        let agent = try TestAgent.withPolicy("""
            [[rule]]
            user = "sa-viewer"
            role = "viewer"

            [[rule]]
            user = "sa-worker"
            role = "agent"
            environments = ["production"]
            secrets = ["openai/*"]

            [[rule]]
            uid = 0
            role = "admin"
            """, users: ["sa-viewer", "sa-worker", "sa-stranger"])
        let granted = Array("py-granted-value-PD-111".utf8)
        let other = Array("py-other-value-PD-222".utf8)
        add(agent, "openai/key", granted, env: "production")
        add(agent, "other/token", other, env: "production")
        let values = [granted, other]

        // A copy of the package the throwaway users can read, wherever the checkout lives.
        let copy = agent.home + "/python"
        try copyWorldReadable(from: Self.packageRoot + "/secrets_agent_client", to: copy + "/secrets_agent_client")
        chmod(copy, 0o755)

        // The viewer connects and lists, but may not read a value.
        let viewer = snippet("""
            agent = connect()
            print("list", [i.name for i in agent.list(environment="production")])
            try:
                agent.get("openai/key", environment="production")
            except PermissionDenied as error:
                print("denied", error.code_name)
            agent.get("other/token", environment="production")
            """, agent, asUser: "sa-viewer", pythonPath: copy)
        #expect(viewer.lines == ["list ['openai/key', 'other/token']", "denied PERMISSION_DENIED"], "stderr: \(viewer.stderr)")
        expectRaised(viewer, "PermissionDenied",
                     messageStart: "permission denied: uid \(TestUsers.ids(of: "sa-viewer").uid) (sa-viewer) is viewer",
                     values: values)

        // The worker reads inside its grant (so the setup itself works) and is refused outside it.
        let worker = snippet("""
            agent = connect()
            print(agent.get("openai/key", environment="production").value.hex(), flush=True)
            agent.get("other/token", environment="production")
            """, agent, asUser: "sa-worker", pythonPath: copy)
        #expect(worker.lines == [Self.hex(granted)], "stderr: \(worker.stderr)")
        expectRaised(worker, "PermissionDenied",
                     messageStart: "permission denied: uid \(TestUsers.ids(of: "sa-worker").uid) (sa-worker) is agent",
                     values: values)
        #expect(worker.stderr.contains("other/token in production is outside that grant"))

        // A user no rule matches is refused at Hello (the agent names the resolved interpreter).
        let pythonExecutable = URL(fileURLWithPath: Self.python).resolvingSymlinksInPath().path
        let stranger = snippet("connect()", agent, asUser: "sa-stranger", pythonPath: copy)
        expectRaised(stranger, "PermissionDenied",
                     messageStart: "uid \(TestUsers.ids(of: "sa-stranger").uid) (sa-stranger) running \(pythonExecutable) may not use this agent",
                     values: values)
        for value in values { agent.expectNeverPrinted(String(decoding: value, as: UTF8.self)) }
    }

    @Test func theUnitTestsPass() {
        let run = Self.runPython(["-m", "unittest", "discover", "-s", "contrib/python/tests"], socket: nil,
                                 directory: Self.repositoryRoot)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let summary = run.stderr.split(separator: "\n").last.map(String.init) ?? ""
        #expect(summary == "OK", "\(run.stderr)")
        #expect(run.stderr.contains("Ran ") && !run.stderr.contains("Ran 0 tests"))
    }

    /// Copies a directory tree with modes 0755 (directories) and 0644 (files).
    func copyWorldReadable(from source: String, to destination: String) throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: destination, withIntermediateDirectories: true)
        chmod(destination, 0o755)
        for entry in try manager.contentsOfDirectory(atPath: source) where entry != "__pycache__" {
            let from = source + "/" + entry, to = destination + "/" + entry
            var isDirectory: ObjCBool = false
            _ = manager.fileExists(atPath: from, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                try copyWorldReadable(from: from, to: to)
            } else {
                try manager.copyItem(atPath: from, toPath: to)
                chmod(to, 0o644)
            }
        }
    }
}
