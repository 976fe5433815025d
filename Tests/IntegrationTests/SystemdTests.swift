import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The units in `systemd/` verify with systemd-analyze, and `serve` takes the listening
/// socket systemd passes (LISTEN_FDS) instead of binding its own.
@Suite struct SystemdTests {
    /// `systemd/` at the top of the package, found from this source file.
    static let unitDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("systemd").path

    struct Outcome {
        let status: Int32
        let output: String
    }

    static func execute(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                        directory: String? = nil) -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return Outcome(status: -1, output: "\(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// Copies the units of `subdirectory` into `destination`, pointing ExecStart at the built binary.
    static func stage(_ names: [String], from subdirectory: String, into destination: String) throws {
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        for name in names {
            let text = try String(contentsOfFile: subdirectory + "/" + name, encoding: .utf8)
            let staged = text.replacingOccurrences(of: "/usr/local/bin/secrets-agent", with: TestAgent.binary)
            try staged.write(toFile: destination + "/" + name, atomically: true, encoding: .utf8)
        }
    }

    @Test func systemUnitsVerify() throws {
        let agent = try TestAgent()
        let staged = agent.home + "/units"
        try Self.stage(["secrets-agent.service", "secrets-agent.socket", "secrets-agent-credentials.socket"], from: Self.unitDirectory, into: staged)
        let result = Self.execute("/usr/bin/systemd-analyze", ["verify", "--man=no", "secrets-agent.service", "secrets-agent.socket", "secrets-agent-credentials.socket"],
                                  directory: staged)
        if result.status != 0, result.output.contains("Failed to initialize manager") {
            Issue.record("systemd-analyze cannot run in this sandbox: \(result.output)")
            return
        }
        #expect(result.status == 0, "\(result.output)")
        #expect(!result.output.contains("Unknown key"), "\(result.output)")
        #expect(!result.output.contains("Unknown section"), "\(result.output)")
    }

    @Test func userUnitsVerify() throws {
        let agent = try TestAgent()
        let staged = agent.home + "/user-units"
        try Self.stage(["secrets-agent.service", "secrets-agent.socket"], from: Self.unitDirectory + "/user", into: staged)
        // User mode needs a runtime directory for %t.
        let runtime = agent.home + "/xdg-runtime"
        mkdir(runtime, 0o700)
        let result = Self.execute("/usr/bin/systemd-analyze", ["verify", "--user", "--man=no", "secrets-agent.service", "secrets-agent.socket"],
                                  environment: ["XDG_RUNTIME_DIR": runtime], directory: staged)
        if result.status != 0, result.output.contains("Failed to initialize manager") {
            Issue.record("systemd-analyze --user cannot run in this sandbox: \(result.output)")
            return
        }
        #expect(result.status == 0, "\(result.output)")
        #expect(!result.output.contains("Unknown key"), "\(result.output)")
    }

    @Test func unitsCarryTheHardening() throws {
        let service = try String(contentsOfFile: Self.unitDirectory + "/secrets-agent.service", encoding: .utf8)
        for line in ["User=secrets-agent", "NoNewPrivileges=yes", "ProtectSystem=strict", "MemoryDenyWriteExecute=yes",
                     "RestrictAddressFamilies=AF_UNIX", "SystemCallFilter=@system-service", "LimitCORE=0",
                     "LimitMEMLOCK=8M", "CapabilityBoundingSet=\n", "Environment=SWIFT_BACKTRACE=enable=no",
                     "LoadCredentialEncrypted=master.key:", "--unlock-credential master.key", "StateDirectoryMode=0700"] {
            #expect(service.contains(line), "secrets-agent.service lacks \(line)")
        }
        let sysusers = try String(contentsOfFile: Self.unitDirectory + "/secrets-agent.sysusers", encoding: .utf8)
        #expect(sysusers.contains("u secrets-agent "))
    }

    /// Starts `argv` with posix_spawn, stdout and stderr appended to `log`. Not Foundation's
    /// Process: systemd-socket-activate closes every fd it does not pass, Foundation takes the
    /// closed monitoring socket for an exit and blocks its one reaper thread in wait4 on a
    /// child that is still running, so no later Process is ever reaped.
    static func spawn(_ argv: [String], log: String, environment: [String: String]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let arguments = argv.map { strdup($0) } + [nil]
        let variables = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (arguments + variables).forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, argv[0], &actions, nil, arguments, variables)
        guard status == 0 else { throw TestFailure("posix_spawn \(argv[0]): \(String(cString: strerror(status)))") }
        return pid
    }

    @Test func servesOnTheSocketSystemdPasses() throws {
        let agent = try TestAgent()
        mkdir(agent.home + "/run", 0o700)
        var env = ProcessInfo.processInfo.environment
        env["SWIFT_BACKTRACE"] = "enable=no"
        let activator = try Self.spawn(["/usr/bin/systemd-socket-activate", "-l", agent.socket, "--fdname=agent.sock",
                                        TestAgent.binary, "serve", "--socket", agent.socket, "--store", agent.store,
                                        "--unlock-key-file", agent.keyFile], log: agent.logPath, environment: env)
        var reaped = false
        defer {
            if !reaped { kill(activator, SIGKILL); var status: Int32 = 0; waitpid(activator, &status, 0) }
        }
        // The activator binds before it starts anything.
        var waited = 0
        while access(agent.socket, F_OK) != 0, waited < 500 { usleep(20_000); waited += 1 }
        var before = stat()
        try #require(stat(agent.socket, &before) == 0, "systemd-socket-activate did not bind \(agent.socket)")

        // The first connection starts the agent; status retries until it answers.
        var status = agent.run(["status"])
        waited = 0
        while status.status != 0, waited < 100 { usleep(100_000); status = agent.run(["status"]); waited += 1 }
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.out.contains(agent.socket), "\(status.out)")

        let added = agent.run(["add", "github/token", "--stdin"], stdin: Array("activated-value".utf8))
        #expect(added.status == 0, "\(added.stderr)")
        let value = agent.run(["get", "github/token"])
        #expect(value.status == 0, "\(value.stderr)")
        #expect(value.out == "activated-value")

        var after = stat()
        #expect(stat(agent.socket, &after) == 0)
        #expect(after.st_ino == before.st_ino, "the agent replaced the activator's socket")
        // With no policy only the agent's own uid is served: the agent narrows the mode (§10).
        #expect(after.st_mode & 0o777 == 0o600, "socket mode \(String(after.st_mode & 0o777, radix: 8))")
        #expect(agent.log().contains("socket activation: inherited listening socket"), "\(agent.log())")

        // systemd-socket-activate exec'd the agent in place: SIGTERM reaches the agent itself.
        kill(activator, SIGTERM)
        var exitStatus: Int32 = 0
        waitpid(activator, &exitStatus, 0)
        reaped = true
        #expect(exitStatus & 0x7f == 0 && (exitStatus >> 8) & 0xff == 0, "agent exit status \(exitStatus): \(agent.log())")
        // A socket the agent did not create is left to whoever made it.
        #expect(access(agent.socket, F_OK) == 0, "the agent removed a socket it did not create")
    }

    /// Both sockets from the units (FileDescriptorName=agent.sock and credentials.sock) come
    /// through one activation, so `LoadCredential=` works before the agent has started.
    @Test func theCredentialSocketIsActivatedToo() throws {
        let agent = try TestAgent()
        mkdir(agent.home + "/run", 0o700)
        let policy = agent.home + "/policy.toml"
        try "[[rule]]\nunit = \"web.service\"\nrole = \"agent\"\nenvironments = [\"production\"]\n\n[[rule]]\nuid = 0\nrole = \"admin\"\n"
            .write(toFile: policy, atomically: true, encoding: .utf8)
        let credentials = agent.home + "/run/credentials.sock"
        var env = ProcessInfo.processInfo.environment
        env["SWIFT_BACKTRACE"] = "enable=no"
        let activator = try Self.spawn(["/usr/bin/systemd-socket-activate", "-l", agent.socket, "-l", credentials,
                                        "--fdname=agent.sock:credentials.sock",
                                        TestAgent.binary, "serve", "--socket", agent.socket, "--store", agent.store,
                                        "--policy", policy, "--credential-socket", credentials,
                                        "--unlock-key-file", agent.keyFile], log: agent.logPath, environment: env)
        defer { kill(activator, SIGKILL); var status: Int32 = 0; waitpid(activator, &status, 0) }
        var waited = 0
        while access(credentials, F_OK) != 0, waited < 500 { usleep(20_000); waited += 1 }
        var before = stat()
        try #require(stat(credentials, &before) == 0, "systemd-socket-activate did not bind \(credentials)")

        // The first connection (systemd's, for a unit starting) starts the agent; the store is
        // empty, so it gets end of file; then the value, once added, is served.
        #expect(try CredentialSocketTests.load(credentials, .systemd(unit: "web.service", id: "db-password")).isEmpty)
        var added = agent.run(["add", "db/password", "--env", "production", "--stdin"], stdin: Array("activated-credential".utf8))
        waited = 0
        while added.status != 0, waited < 100 {
            usleep(100_000)
            added = agent.run(["add", "db/password", "--env", "production", "--stdin"], stdin: Array("activated-credential".utf8))
            waited += 1
        }
        #expect(added.status == 0, "\(added.stderr)")
        let value = try CredentialSocketTests.load(credentials, .systemd(unit: "web.service", id: "db-password"))
        #expect(value == Array("activated-credential".utf8))
        var after = stat()
        #expect(stat(credentials, &after) == 0 && after.st_ino == before.st_ino, "the agent replaced the activator's credential socket")
        #expect(agent.log().contains("inherited credential socket"), "\(agent.log())")
        agent.expectNeverPrinted("activated-credential")
    }

    @Test func refusesAnInheritedFDThatIsNotAListeningSocket() throws {
        let agent = try TestAgent()
        let script = "exec 3</dev/null; LISTEN_PID=$$ LISTEN_FDS=1 exec \"$0\" serve --socket \"$1\" --store \"$2\" --unlock-key-file \"$3\""
        let result = Self.execute("/bin/sh", ["-c", script, TestAgent.binary, agent.socket, agent.store, agent.keyFile],
                                  environment: ["SWIFT_BACKTRACE": "enable=no"])
        #expect(result.status != 0, "\(result.output)")
        #expect(result.output.contains("secrets-agent: inherited fd 3 (LISTEN_FDS) is not a listening unix stream socket"),
                "\(result.output)")
        #expect(access(agent.socket, F_OK) != 0, "the agent bound a socket of its own")
    }
}
