#if canImport(Glibc)
import Glibc
#endif

/// The whole `secrets-agent get NAME --env ENV` process, as a script would run it: from
/// posix_spawn to its exit reaped, with SECRETS_AGENT_SOCK naming the socket and stdout
/// to a pipe, which must hold exactly the value (the CLI adds no newline). The pipe holds
/// 64 KiB, so reading it after the exit cannot block the child.
enum CLIGetBench {
    /// - Returns: each run's duration in milliseconds (after one untimed run).
    /// - Throws: `.setup` when the CLI fails, `.wrongValue` when it prints another value.
    static func measure(binary: String, socketPath: String, secret: BenchSecret, samples: Int,
                        logPath: String) throws(BenchFailure) -> [Double] {
        let command = "secrets-agent get \(secret.name) --env \(secret.environment)"
        return try timed(samples) { () throws(BenchFailure) in
            let (elapsed, output) = try runOnce(binary, ["get", secret.name, "--env", secret.environment],
                                                socketPath: socketPath, logPath: logPath)
            guard output == secret.value else {
                throw .wrongValue("\(command) printed \(output.count) bytes that differ from the \(secret.value.count) bytes put (the CLI printed a wrong value)")
            }
            return elapsed
        }
    }

    /// The same for `secrets-agent --version`, which talks to no agent: the cost of
    /// starting and ending the CLI process, for comparison.
    static func measureStart(binary: String, samples: Int, logPath: String) throws(BenchFailure) -> [Double] {
        try timed(samples) { () throws(BenchFailure) in
            let (elapsed, output) = try runOnce(binary, ["--version"], socketPath: nil, logPath: logPath)
            guard !output.isEmpty else { throw .setup("secrets-agent --version printed nothing") }
            return elapsed
        }
    }

    /// `samples` runs of `once` after an untimed one, in milliseconds.
    private static func timed(_ samples: Int, _ once: () throws(BenchFailure) -> UInt64) throws(BenchFailure) -> [Double] {
        _ = try once()
        var milliseconds: [Double] = []
        for _ in 0..<max(samples, 1) { milliseconds.append(Double(try once()) / 1e6) }
        return milliseconds
    }

    /// Runs the CLI once. - Returns: nanoseconds from spawn to reaped exit, and its stdout.
    private static func runOnce(_ binary: String, _ arguments: [String], socketPath: String?,
                                logPath: String) throws(BenchFailure) -> (UInt64, [UInt8]) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw .setup("cannot create a pipe: \(String(cString: strerror(errno)).lowercased())") }
        defer { close(ends[0]) }
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)  // the child gets it as fd 1 through dup2
        let child: ChildProcess
        do {
            child = try ChildProcess(binary, arguments, logPath: logPath, stdout: ends[1],
                                     environment: socketPath.map { ["SECRETS_AGENT_SOCK": $0] } ?? [:])
        } catch {
            close(ends[1])
            throw error
        }
        close(ends[1])
        let status = child.waitForExit()
        let elapsed = MonotonicClock.nanoseconds() - child.spawnedAt
        guard status == 0 else {
            throw .setup("secrets-agent \(arguments.joined(separator: " ")) failed (\(ChildProcess.describe(status)))\(AgentProcess.logTail(logPath))")
        }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(ends[0], $0.baseAddress, $0.count) }
            if got > 0 {
                output += chunk[0..<got]
            } else if got == 0 || errno != EINTR {
                break
            }
        }
        return (elapsed, output)
    }
}
