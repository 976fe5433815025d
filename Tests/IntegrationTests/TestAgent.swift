import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// One throwaway agent for a test: a fresh 0700 directory with its own store, key file,
/// socket and log, driven through the real `secrets-agent` binary.
final class TestAgent: @unchecked Sendable {
    let home: String
    let socket: String
    let store: String
    let keyFile: String
    let logPath: String
    /// Every byte the CLI printed during this test except `get`'s stdout, for the
    /// no-value-leaked checks.
    private(set) var transcript: [UInt8] = []
    private var process: Process?

    /// The binary under test: $SECRETS_AGENT_BIN, else `secrets-agent` beside the test runner.
    static let binary: String = {
        if let explicit = ProcessInfo.processInfo.environment["SECRETS_AGENT_BIN"] { return explicit }
        let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: runner).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("secrets-agent").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        return "secrets-agent"
    }()

    /// Creates the directory tree and initializes a store with a generated key file.
    init(homeMode: mode_t = 0o700) throws {
        var template = Array("/tmp/secrets-agent-test.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TestFailure("mkdtemp failed") }
        home = String(cString: made)
        chmod(home, homeMode)
        socket = home + "/run/agent.sock"
        store = home + "/data/store.db"
        keyFile = home + "/master.key"
        logPath = home + "/agent.log"
        let result = run(["init", "--store", store, "--generate-key-file", keyFile])
        guard result.status == 0 else { throw TestFailure("init failed: \(result.stderr)") }
    }

    /// An agent others can reach (home and run directory 0711), started with `policy`
    /// (TOML) after making sure each user in `users` exists.
    static func withPolicy(_ policy: String, users: [String]) throws -> TestAgent {
        for user in users where !TestUsers.ensure(user) { throw TestFailure("cannot create user \(user)") }
        let agent = try TestAgent(homeMode: 0o711)
        mkdir(agent.home + "/run", 0o711)
        chmod(agent.home + "/run", 0o711)
        let path = agent.home + "/policy.toml"
        guard FileManager.default.createFile(atPath: path, contents: Data(policy.utf8)) else { throw TestFailure("cannot write \(path)") }
        chmod(path, 0o644)
        try agent.start(extra: ["--policy", path])
        return agent
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: home)
    }

    /// Starts `serve` unlocked with the key file and waits until `status` answers.
    /// `launcher` (e.g. `["/usr/bin/prlimit", "--memlock=0"]`) runs the agent through
    /// another program.
    func start(unlocked: Bool = true, extra: [String] = [], backtracerPreset: Bool = true,
               environment additions: [String: String] = [:], launcher: [String] = []) throws {
        let agent = Process()
        var arguments = ["serve", "--socket", socket, "--store", store]
        if unlocked { arguments += ["--unlock-key-file", keyFile] }
        if let program = launcher.first {
            agent.executableURL = URL(fileURLWithPath: program)
            agent.arguments = launcher.dropFirst() + [TestAgent.binary] + arguments + extra
        } else {
            agent.executableURL = URL(fileURLWithPath: TestAgent.binary)
            agent.arguments = arguments + extra
        }
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let logHandle = FileHandle(forWritingAtPath: logPath)!
        logHandle.seekToEndOfFile()
        agent.standardOutput = logHandle
        agent.standardError = logHandle
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = backtracerPreset ? "enable=no" : nil
        environment["CREDENTIALS_DIRECTORY"] = nil
        agent.environment = environment.merging(additions) { $1 }
        try agent.run()
        process = agent
        for _ in 0..<200 {
            if access(socket, F_OK) == 0, run(["status"]).status == 0 { return }
            guard agent.isRunning else { break }
            usleep(25_000)
        }
        throw TestFailure("agent did not come up: \(log())")
    }

    /// The agent's pid while it runs.
    var pid: Int32? { process.map { $0.processIdentifier } }

    /// Sends `signal` and waits for the agent to exit; returns its exit status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM) -> Int32? {
        guard let agent = process else { return nil }
        process = nil
        if agent.isRunning { kill(agent.processIdentifier, signal) }
        agent.waitUntilExit()
        return agent.terminationStatus
    }

    /// The agent's log so far.
    func log() -> String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    struct Result {
        let status: Int32
        let stdout: [UInt8]
        let stderr: String
        var out: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// Runs the CLI against this agent (socket and store in its environment), optionally as
    /// another user via setpriv.
    @discardableResult
    func run(_ arguments: [String], stdin: [UInt8]? = nil, asUser user: String? = nil,
             environment extra: [String: String] = [:], binary: String = TestAgent.binary,
             groups: [UInt32] = []) -> Result {
        let cli = Process()
        var argv = arguments
        if let user {
            cli.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            let ids = TestUsers.ids(of: user)
            let groupFlag = groups.isEmpty ? "--clear-groups" : "--groups=" + groups.map(String.init).joined(separator: ",")
            argv = ["--reuid=\(ids.uid)", "--regid=\(ids.gid)", groupFlag, "--", binary] + arguments
        } else {
            cli.executableURL = URL(fileURLWithPath: binary)
        }
        cli.arguments = argv
        var env = ProcessInfo.processInfo.environment
        env["SECRETS_AGENT_SOCK"] = socket
        env["SECRETS_AGENT_STORE"] = store
        env["SWIFT_BACKTRACE"] = "enable=no"
        env.removeValue(forKey: "SECRETS_AGENT_ENV")
        // Unit tests in this process set it for a moment (SecretCredentialTests).
        env.removeValue(forKey: "CREDENTIALS_DIRECTORY")
        cli.environment = env.merging(extra) { $1 }
        let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
        cli.standardOutput = outPipe
        cli.standardError = errPipe
        cli.standardInput = inPipe
        do { try cli.run() } catch { return Result(status: -1, stdout: [], stderr: "\(error)") }
        if let stdin { inPipe.fileHandleForWriting.write(Data(stdin)) }
        try? inPipe.fileHandleForWriting.close()
        // Read both pipes concurrently so a chatty child cannot deadlock on a full pipe.
        let errData = LockedBox(Data())
        let errReader = Thread { errData.value = errPipe.fileHandleForReading.readDataToEndOfFile() }
        errReader.start()
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        cli.waitUntilExit()
        while !errData.done { usleep(1000) }
        let result = Result(status: cli.terminationStatus, stdout: Array(out), stderr: String(decoding: errData.value, as: UTF8.self))
        // `get` prints values by design; everything else the CLI prints must never hold one.
        transcript += (arguments.first == "get" ? [] : result.stdout) + Array(result.stderr.utf8)
        return result
    }

    /// Asserts `needle` appears in nothing the CLI printed nor in the agent's log.
    func expectNeverPrinted(_ needle: String, sourceLocation: SourceLocation = #_sourceLocation) {
        // Booleans first, so a failure report never repeats the haystack (or the value).
        let bytes = Array(needle.utf8)
        let inOutput = contains(transcript, bytes)
        let inLog = contains(Array(log().utf8), bytes)
        #expect(!inOutput, "a value appeared in CLI output", sourceLocation: sourceLocation)
        #expect(!inLog, "a value appeared in the agent log", sourceLocation: sourceLocation)
    }

    func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<(i + needle.count)]) == needle { return true }
        }
        return false
    }
}

/// A value written by one thread and read after it signals completion.
final class LockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    private var finished = false
    init(_ value: T) { stored = value }
    var value: T {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue; finished = true } }
    }
    var done: Bool { lock.withLock { finished } }
    /// Changes the value in place, atomically.
    func update(_ change: (inout T) -> Void) { lock.withLock { change(&stored); finished = true } }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Throwaway local users for peer-credential tests (the suite runs as root in CI).
enum TestUsers {
    /// Creates `name` as a system user without a home if missing.
    static func ensure(_ name: String) -> Bool {
        if getpwnam(name) != nil { return true }
        let add = Process()
        add.executableURL = URL(fileURLWithPath: "/usr/sbin/useradd")
        add.arguments = ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name]
        try? add.run()
        add.waitUntilExit()
        return getpwnam(name) != nil
    }

    static func ids(of name: String) -> (uid: UInt32, gid: UInt32) {
        guard let entry = getpwnam(name) else { return (65534, 65534) }
        return (entry.pointee.pw_uid, entry.pointee.pw_gid)
    }
}
