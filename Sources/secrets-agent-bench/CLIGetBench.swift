#if canImport(Glibc)
import Glibc
#endif

/// The whole `secrets-agent get NAME --env ENV` process, as a script would run it: from
/// posix_spawn to its exit reaped, with SECRETS_AGENT_SOCK naming the socket and stdout
/// to a pipe, which must hold exactly the value (the CLI adds no newline).
enum CLIGetBench {
    /// - Returns: each run's duration in milliseconds (after one untimed run).
    /// - Throws: `.setup` when the CLI fails, `.wrongValue` when it prints another value.
    static func measure(binary: String, socketPath: String, secret: BenchSecret, samples: Int,
                        logPath: String) throws(BenchFailure) -> [Double] {
        var milliseconds: [Double] = []
        for run in 0...max(samples, 1) {
            let elapsed = try getOnce(binary: binary, socketPath: socketPath, secret: secret, logPath: logPath)
            if run > 0 { milliseconds.append(Double(elapsed) / 1e6) }
        }
        return milliseconds
    }

    private static func getOnce(binary: String, socketPath: String, secret: BenchSecret,
                                logPath: String) throws(BenchFailure) -> UInt64 {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw .setup("cannot create a pipe: \(String(cString: strerror(errno)).lowercased())") }
        defer { close(ends[0]) }
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)  // the child gets it as fd 1 through dup2
        let child: ChildProcess
        do {
            child = try ChildProcess(binary, ["get", secret.name, "--env", secret.environment], logPath: logPath,
                                     stdout: ends[1], environment: ["SECRETS_AGENT_SOCK": socketPath])
        } catch {
            close(ends[1])
            throw error
        }
        close(ends[1])
        let status = child.waitForExit()
        let elapsed = MonotonicClock.nanoseconds() - child.spawnedAt
        guard status == 0 else {
            throw .setup("secrets-agent get \(secret.name) --env \(secret.environment) failed (\(ChildProcess.describe(status)))\(AgentProcess.logTail(logPath))")
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
        guard output == secret.value else {
            throw .wrongValue("secrets-agent get \(secret.name) printed \(output.count) bytes that differ from the \(secret.value.count) bytes put (the CLI printed a wrong value)")
        }
        return elapsed
    }
}
