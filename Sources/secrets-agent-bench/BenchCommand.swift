#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SecretsClient
import SecretsCore

/// `secrets-agent-bench`: starts a real agent as a child process, puts one secret, and
/// measures `get` (latency with one client, throughput with eight) against the floor of a
/// framed echo over the same kind of socket: through `AgentClient` lending the value (the
/// figure the targets judge), through `AgentClient` returning a `SecretValue`, and over raw
/// frames. Every get's bytes are checked; a wrong value or a setup failure stops the run
/// with a non-zero exit, after the agent is stopped and the temporary directory removed.
@main
enum BenchCommand {
    static func main() {
        let options: BenchOptions
        switch BenchOptions.parse(Array(CommandLine.arguments.dropFirst())) {
        case .run(let parsed): options = parsed
        case .help:
            print(BenchOptions.usage)
            exit(0)
        case .usageError(let message):
            printError(message)
            exit(64)
        }
        // A dying agent must turn into an error here, not into a silent SIGPIPE death.
        signal(SIGPIPE, SIG_IGN)
        let report: BenchReport
        do {
            report = try run(options)
        } catch {
            printError(error.message)
            exit(error.exitStatus)
        }
        print(options.json ? report.json : report.table)
        exit(options.enforce && !report.allTargetsMet ? 1 : 0)
    }

    /// Sets up, measures and tears down; the agent is stopped and the temporary directory
    /// removed on every path out.
    static func run(_ options: BenchOptions) throws(BenchFailure) -> BenchReport {
        let host = HostLoad.current()
        let binary = try agentBinary(options.binary)
        let workload = options.workload
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let agent = try AgentProcess.start(binary: binary, in: directory)
        defer {
            let status = agent.stop()
            if status != 0 {
                printError("warning: the agent did not exit cleanly on SIGTERM: \(agent.describeExit(status))")
            }
        }
        try agent.killIfStillRunning(afterSeconds: workload.watchdogSeconds)

        let secret = BenchSecret.random()
        try put(secret, socketPath: agent.socketPath)
        let sizes = try GetWireSizes.probe(socketPath: agent.socketPath, secret: secret)
        let echo = try EchoServer.start(socketPath: directory.appending("echo.sock"),
                                        replyBodyByteCount: sizes.replyBodyByteCount)
        defer { echo.stop() }

        let agentSocket = agent.socketPath
        let floor = LoadRunner { () throws(BenchFailure) -> any RoundTripClient in
            try EchoClient(socketPath: echo.socketPath, requestBodyByteCount: sizes.requestBodyByteCount,
                           replyBodyByteCount: sizes.replyBodyByteCount)
        }
        let lentGet = LoadRunner { () throws(BenchFailure) -> any RoundTripClient in
            try GetClient(socketPath: agentSocket, secret: secret, style: .lent)
        }
        let secretValueGet = LoadRunner { () throws(BenchFailure) -> any RoundTripClient in
            try GetClient(socketPath: agentSocket, secret: secret, style: .secretValue)
        }
        let rawGet = LoadRunner { () throws(BenchFailure) -> any RoundTripClient in
            try RawGetClient(socketPath: agentSocket, secret: secret)
        }
        let (latencies, pinnedCPU) = try pinnedToOneCPU(options.pinLatency, alongWith: agent.pid) { () throws(BenchFailure) in
            try LoadRunner.measureLatencies(
                of: [floor, lentGet, secretValueGet, rawGet], warmUp: workload.latencyWarmUp,
                samples: workload.latencySamples, blockSize: workload.latencyBlockSize)
        }
        let throughputs = try LoadRunner.measureThroughputs(
            of: [floor, lentGet, secretValueGet], clients: workload.clients, warmUp: workload.throughputWarmUp,
            windowNanoseconds: workload.throughputNanoseconds, rounds: workload.throughputRounds)
        return BenchReport(
            sizes: sizes, workload: workload, host: host, latencyCPU: pinnedCPU,
            floor: .init(latency: latencies[0], throughput: throughputs[0]),
            lentGet: .init(latency: latencies[1], throughput: throughputs[1]),
            secretValueGet: .init(latency: latencies[2], throughput: throughputs[2]),
            rawGet: .init(latency: latencies[3], throughput: nil))
    }

    /// Runs `body` with every thread of this process and of `agentPID` on one CPU (when
    /// `enabled` and the system allows it), then gives them back all their CPUs.
    /// - Returns: what `body` returned, and the CPU used (nil: not pinned).
    private static func pinnedToOneCPU<R>(_ enabled: Bool, alongWith agentPID: pid_t,
                                          _ body: () throws(BenchFailure) -> R) throws(BenchFailure) -> (R, Int?) {
        guard enabled, let all = CPUAffinity.current(), let one = all.lowestCPU else { return (try body(), nil) }
        let pinned = one.apply(toProcess: getpid()) && one.apply(toProcess: agentPID)
        defer {
            all.apply(toProcess: getpid())
            all.apply(toProcess: agentPID)
        }
        return (try body(), pinned ? one.cpus.first : nil)
    }

    /// Stores the bench secret (mode create: the store is new).
    private static func put(_ secret: BenchSecret, socketPath: String) throws(BenchFailure) {
        let stored: Result<UInt64, SecretsError> = secret.value.withUnsafeBytes { raw in
            Result { () throws(SecretsError) -> UInt64 in
                let client = try AgentClient(socketPath: socketPath, clientName: "secrets-agent-bench")
                return try client.put(name: secret.name, environment: secret.environment, value: raw, mode: .create)
            }
        }
        if case .failure(let error) = stored {
            throw .setup("cannot put \(secret.name) in \(secret.environment): \(error.message)")
        }
    }

    /// `--binary`, else `secrets-agent` in the directory of this executable.
    private static func agentBinary(_ override: String?) throws(BenchFailure) -> String {
        let path: String
        if let override {
            path = override
        } else {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
            guard length > 0 else {
                throw .setup("cannot locate this executable: \(String(cString: strerror(errno))) (pass --binary PATH)")
            }
            let executable = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let directory = executable.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
            path = directory + "/secrets-agent"
        }
        guard access(path, X_OK) == 0 else {
            throw .setup("cannot run the agent at \(path): \(String(cString: strerror(errno)).lowercased()) (build it: swift build -c release, or pass --binary PATH)")
        }
        return path
    }

    private static func printError(_ message: String) {
        FileHandle.standardError.write(Data("secrets-agent-bench: \(message)\n".utf8))
    }
}
