#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SecretsClient

/// A real agent: `secrets-agent init` then `secrets-agent serve` run as child processes on
/// a temporary store, socket and key file, with output going to a log file in the same
/// directory. `stop()` sends SIGTERM and reaps it.
final class AgentProcess {
    /// Where the agent listens.
    let socketPath: String
    /// The agent's stdout and stderr.
    let logPath: String
    private let pid: pid_t
    private var reaped = false

    /// Initializes a store in `directory` and starts serving it, unlocked with a new key
    /// file; returns once the agent answers Hello unlocked.
    /// - Throws: `.setup` when init fails, the agent exits, or it does not answer in 15 s.
    static func start(binary: String, in directory: TemporaryDirectory) throws(BenchFailure) -> AgentProcess {
        let storePath = directory.appending("store/store.db")
        let keyFile = directory.appending("master.key")
        let socketPath = directory.appending("agent.sock")
        let initLog = directory.appending("init.log")
        let initPID = try spawn(binary, ["init", "--store", storePath, "--generate-key-file", keyFile], logPath: initLog)
        let initStatus = waitForExit(initPID)
        guard initStatus == 0 else {
            throw .setup("secrets-agent init failed (\(describe(initStatus)))\(logTail(initLog))")
        }
        let logPath = directory.appending("agent.log")
        let pid = try spawn(binary, ["serve", "--socket", socketPath, "--store", storePath, "--unlock-key-file", keyFile],
                            logPath: logPath)
        let agent = AgentProcess(pid: pid, socketPath: socketPath, logPath: logPath)
        do {
            try agent.waitUntilServing(timeoutSeconds: 15)
        } catch {
            agent.stop()
            throw error
        }
        return agent
    }

    private init(pid: pid_t, socketPath: String, logPath: String) {
        self.pid = pid
        self.socketPath = socketPath
        self.logPath = logPath
    }

    /// SIGTERM, then up to 10 s for a graceful exit, then SIGKILL. Safe to call twice.
    /// - Returns: the exit status as `waitpid` reported it, or nil when already reaped.
    @discardableResult
    func stop() -> Int32? {
        guard !reaped else { return nil }
        kill(pid, SIGTERM)
        let deadline = MonotonicClock.nanoseconds() + 10_000_000_000
        var status: Int32 = 0
        while MonotonicClock.nanoseconds() < deadline {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || (result < 0 && errno == ECHILD) {
                reaped = true
                return status
            }
            usleep(5_000)
        }
        kill(pid, SIGKILL)
        _ = Self.waitForExit(pid)
        reaped = true
        return nil
    }

    private func waitUntilServing(timeoutSeconds: UInt64) throws(BenchFailure) {
        let deadline = MonotonicClock.nanoseconds() + timeoutSeconds * 1_000_000_000
        var lastError = "no answer yet"
        while MonotonicClock.nanoseconds() < deadline {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                reaped = true
                throw .setup("the agent exited at start (\(Self.describe(status)))\(Self.logTail(logPath))")
            }
            let client: AgentClient
            do {
                client = try AgentClient(socketPath: socketPath, clientName: "secrets-agent-bench")
            } catch {
                lastError = error.message
                usleep(10_000)
                continue
            }
            guard !client.hello.locked else {
                throw .setup("the agent started locked although --unlock-key-file was given\(Self.logTail(logPath))")
            }
            return
        }
        throw .setup("the agent did not answer within \(timeoutSeconds) s: \(lastError)\(Self.logTail(logPath))")
    }

    /// posix_spawn with stdin from /dev/null, stdout and stderr to `logPath`, and the
    /// environment plus SWIFT_BACKTRACE=enable=no (no crash dumps of key memory, no re-exec).
    private static func spawn(_ binary: String, _ arguments: [String], logPath: String) throws(BenchFailure) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid = pid_t()
        let result = posix_spawn(&pid, binary, &actions, nil, argv, envp)
        guard result == 0 else {
            throw .setup("cannot run \(binary): \(String(cString: strerror(result))) (build it: swift build -c release, or pass --binary PATH)")
        }
        return pid
    }

    private static func waitForExit(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }

    private static func describe(_ status: Int32) -> String {
        let signal = status & 0x7F
        if signal == 0 { return "exit status \((status >> 8) & 0xFF)" }
        return "killed by signal \(signal)"
    }

    /// The last lines of a child's log, indented, for an error message. The agent never
    /// logs values, so this is safe to print.
    private static func logTail(_ path: String, lines: Int = 8) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), !text.isEmpty else { return "" }
        let tail = text.split(separator: "\n").suffix(lines).map { "\n    \($0)" }.joined()
        return "; its log (\(path)) ends:" + tail
    }
}
