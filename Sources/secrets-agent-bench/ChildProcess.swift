#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// A process this one spawned, signalled and reaped through one lock, so a signal can never
/// reach a recycled pid after the child was reaped (the watchdog signals from its own thread).
final class ChildProcess: Sendable {
    let pid: pid_t
    /// The monotonic clock just before `posix_spawn`, for timing a whole process.
    let spawnedAt: UInt64
    /// nil while the child runs; its wait status once reaped.
    private let exitStatus = Mutex<Int32?>(nil)

    /// posix_spawn with stdin from /dev/null, stdout to `stdout` (default: `logPath`),
    /// stderr to `logPath`, and the environment plus `environment` plus
    /// SWIFT_BACKTRACE=enable=no (no crash dumps of key memory, no re-exec).
    /// - Throws: `.setup` when the binary cannot be run, with `hint` as what to do.
    init(_ binary: String, _ arguments: [String], logPath: String, stdout: Int32? = nil,
         environment extra: [String: String] = [:],
         hint: String = "build it: swift build -c release, or pass --binary PATH") throws(BenchFailure) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, stdout ?? 2, 1)

        var environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        environment["SWIFT_BACKTRACE"] = "enable=no"
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid = pid_t()
        spawnedAt = MonotonicClock.nanoseconds()
        let result = posix_spawn(&pid, binary, &actions, nil, argv, envp)
        guard result == 0 else {
            throw .setup("cannot run \(binary): \(String(cString: strerror(result)).lowercased()) (\(hint))")
        }
        self.pid = pid
    }

    /// Sends `signal` unless the child was already reaped.
    func send(_ signal: Int32) {
        exitStatus.withLock { status in
            if status == nil { kill(pid, signal) }
        }
    }

    /// Reaps the child if it has exited. - Returns: its wait status, or nil while it runs.
    func reapIfExited() -> Int32? {
        exitStatus.withLock { status -> Int32? in
            if let status { return status }
            var waited: Int32 = 0
            let result = waitpid(pid, &waited, WNOHANG)
            if result == pid { status = waited }
            if result < 0 && errno == ECHILD { status = waited }  // reaped elsewhere: report as exited
            return status
        }
    }

    /// Blocks until the child exits. - Returns: its wait status.
    func waitForExit() -> Int32 {
        // Blocking inside the lock is safe: only `send` contends, and a signal to a
        // child that is exiting anyway is pointless.
        exitStatus.withLock { status -> Int32 in
            if let status { return status }
            var waited: Int32 = 0
            while waitpid(pid, &waited, 0) < 0 && errno == EINTR {}
            status = waited
            return waited
        }
    }

    /// A wait status in words.
    static func describe(_ status: Int32) -> String {
        let signal = status & 0x7F
        if signal == 0 { return "exit status \((status >> 8) & 0xFF)" }
        return "killed by signal \(signal)"
    }
}
