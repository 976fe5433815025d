/// The command line, parsed by hand (the bench takes no ArgumentParser dependency), and
/// the workload it selects.
struct BenchOptions: Sendable {
    /// Small counts for CI: the whole run takes a few seconds.
    var quick = false
    /// One JSON object instead of the table.
    var json = false
    /// Exit 1 when a target is missed.
    var enforce = false
    /// The `secrets-agent` binary; nil: the one next to this executable.
    var binary: String?
    /// Pin the bench and the agent to one CPU while measuring latency (see `CPUAffinity`).
    var pinLatency = true

    /// What parsing decided.
    enum Parsed {
        case run(BenchOptions)
        case help
        case usageError(String)
    }

    static let usage = """
    usage: secrets-agent-bench [--quick] [--json] [--enforce] [--no-pin] [--binary PATH]

    Starts a real secrets-agent on a temporary store and socket, puts one 40-byte secret,
    and measures get against the floor: a framed echo over a Unix socket with the same
    message sizes and the same thread-per-connection blocking I/O.

      --quick        small counts (a few seconds in all), for CI
      --json         print one JSON object instead of the table
      --enforce      exit 1 when a target is missed (default: report only)
      --no-pin       measure latency unpinned (default: the bench and the agent share
                     one CPU while latency is measured; throughput always uses all)
      --binary PATH  the secrets-agent binary (default: next to this executable)
      -h, --help     show this help

    Targets: get p50 <= 3x floor p50; >= 20,000 gets/s with 8 clients.
    Exit status: 0 done (targets are reported, not enforced, without --enforce),
    1 setup failure or a missed target under --enforce, 7 a get returned a wrong value,
    64 usage error.
    """

    /// Parses the arguments after the program name.
    static func parse(_ arguments: [String]) -> Parsed {
        var options = BenchOptions()
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            switch argument {
            case "--quick": options.quick = true
            case "--json": options.json = true
            case "--enforce": options.enforce = true
            case "--no-pin": options.pinLatency = false
            case "-h", "--help": return .help
            case "--binary":
                guard let path = remaining.popFirst(), !path.isEmpty else {
                    return .usageError("--binary needs a path (e.g. --binary .build/release/secrets-agent)")
                }
                options.binary = path
            default:
                if argument.hasPrefix("--binary=") {
                    let path = String(argument.dropFirst("--binary=".count))
                    guard !path.isEmpty else { return .usageError("--binary needs a path") }
                    options.binary = path
                } else {
                    return .usageError("unknown argument '\(argument)' (see --help)")
                }
            }
        }
        return .run(options)
    }

    /// How much to measure.
    var workload: Workload { quick ? .quick : .full }
}

/// Request counts and durations of one run.
struct Workload: Sendable {
    /// Untimed round trips per connection before the latency samples.
    let latencyWarmUp: Int
    /// Timed round trips of each one-client latency run.
    let latencySamples: Int
    /// Round trips each runner does before the next one takes its turn.
    let latencyBlockSize: Int
    /// Concurrent clients of the throughput runs (the target is stated for 8).
    let clients: Int
    /// Untimed round trips each throughput client does before its window opens.
    let throughputWarmUp: Int
    /// Total window of each throughput run, split into `throughputRounds` turns.
    let throughputNanoseconds: UInt64
    let throughputRounds: Int
    /// After this long the agent is killed as hung (the run normally takes a tenth of it).
    let watchdogSeconds: UInt32

    static let full = Workload(latencyWarmUp: 2_000, latencySamples: 50_000, latencyBlockSize: 1_000, clients: 8,
                               throughputWarmUp: 200, throughputNanoseconds: 3_000_000_000, throughputRounds: 6,
                               watchdogSeconds: 300)
    static let quick = Workload(latencyWarmUp: 200, latencySamples: 3_000, latencyBlockSize: 500, clients: 8,
                                throughputWarmUp: 20, throughputNanoseconds: 500_000_000, throughputRounds: 2,
                                watchdogSeconds: 60)
}
