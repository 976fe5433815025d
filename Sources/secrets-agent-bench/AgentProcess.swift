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
    private let child: ChildProcess

    /// The agent's process id (for pinning its threads).
    var pid: pid_t { child.pid }

    /// Initializes a store in `directory` and starts serving it, unlocked with a new key
    /// file; returns once the agent answers Hello unlocked.
    /// - Throws: `.setup` when init fails, the agent exits, or it does not answer in 15 s.
    static func start(binary: String, in directory: TemporaryDirectory) throws(BenchFailure) -> AgentProcess {
        let storePath = directory.appending("store/store.db")
        let keyFile = directory.appending("master.key")
        let socketPath = directory.appending("agent.sock")
        let initLog = directory.appending("init.log")
        let initStatus = try ChildProcess(binary, ["init", "--store", storePath, "--generate-key-file", keyFile],
                                          logPath: initLog).waitForExit()
        guard initStatus == 0 else {
            throw .setup("secrets-agent init failed (\(ChildProcess.describe(initStatus)))\(logTail(initLog))")
        }
        let logPath = directory.appending("agent.log")
        let child = try ChildProcess(binary, ["serve", "--socket", socketPath, "--store", storePath, "--unlock-key-file", keyFile],
                                     logPath: logPath)
        let agent = AgentProcess(child: child, socketPath: socketPath, logPath: logPath)
        do {
            try agent.waitUntilServing(timeoutSeconds: 15)
        } catch {
            agent.stop()
            throw error
        }
        return agent
    }

    private init(child: ChildProcess, socketPath: String, logPath: String) {
        self.child = child
        self.socketPath = socketPath
        self.logPath = logPath
    }

    /// SIGTERM, then up to 10 s for a graceful exit, then SIGKILL. Safe to call twice.
    /// - Returns: the wait status.
    @discardableResult
    func stop() -> Int32 {
        child.send(SIGTERM)
        let deadline = MonotonicClock.nanoseconds() + 10_000_000_000
        while MonotonicClock.nanoseconds() < deadline {
            if let status = child.reapIfExited() { return status }
            usleep(5_000)
        }
        child.send(SIGKILL)
        return child.waitForExit()
    }

    /// Kills the agent with SIGKILL if it still runs `seconds` from now, so a hung agent
    /// turns into failed requests (and a normal cleanup) instead of a hung benchmark.
    /// - Throws: `.setup` when the watchdog thread cannot be started.
    func killIfStillRunning(afterSeconds seconds: UInt32) throws(BenchFailure) {
        let child = self.child
        try BenchThread.detach {
            sleep(seconds)
            guard child.reapIfExited() == nil else { return }
            FileHandle.standardError.write(Data("secrets-agent-bench: the run took over \(seconds) s: killing the agent (pid \(child.pid)), which may be hung\n".utf8))
            child.send(SIGKILL)
        }
    }

    /// A wait status in words, with the last lines of the agent's log when it failed.
    func describeExit(_ status: Int32) -> String {
        ChildProcess.describe(status) + (status == 0 ? "" : Self.logTail(logPath))
    }

    private func waitUntilServing(timeoutSeconds: UInt64) throws(BenchFailure) {
        let deadline = MonotonicClock.nanoseconds() + timeoutSeconds * 1_000_000_000
        var lastError = "no answer yet"
        while MonotonicClock.nanoseconds() < deadline {
            if let status = child.reapIfExited() {
                throw .setup("the agent exited at start (\(ChildProcess.describe(status)))\(Self.logTail(logPath))")
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

    /// The last lines of a child's log, indented, for an error message. The agent never
    /// logs values, so this is safe to print.
    static func logTail(_ path: String, lines: Int = 8) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), !text.isEmpty else { return "" }
        let tail = text.split(separator: "\n").suffix(lines).map { "\n    \($0)" }.joined()
        return "; its log ends:" + tail
    }
}
