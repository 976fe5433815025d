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

    /// What parsing decided.
    enum Parsed {
        case run(BenchOptions)
        case help
        case usageError(String)
    }

    static let usage = """
    usage: secrets-agent-bench [--quick] [--json] [--enforce] [--binary PATH]

    Starts a real secrets-agent on a temporary store and socket, puts one 40-byte secret,
    and measures get against the floor: a framed echo over a Unix socket with the same
    message sizes and the same thread-per-connection blocking I/O.

      --quick        small counts (a few seconds in all), for CI
      --json         print one JSON object instead of the table
      --enforce      exit 1 when a target is missed (default: report only)
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
    /// Untimed round trips before the latency samples.
    let latencyWarmUp: Int
    /// Timed round trips of the one-client latency run.
    let latencySamples: Int
    /// Concurrent clients of the throughput run (the target is stated for 8).
    let clients: Int
    /// Untimed round trips each throughput client does before the window opens.
    let throughputWarmUp: Int
    /// Length of each throughput window.
    let throughputNanoseconds: UInt64

    static let full = Workload(latencyWarmUp: 2_000, latencySamples: 50_000, clients: 8,
                               throughputWarmUp: 200, throughputNanoseconds: 3_000_000_000)
    static let quick = Workload(latencyWarmUp: 200, latencySamples: 3_000, clients: 8,
                                throughputWarmUp: 20, throughputNanoseconds: 500_000_000)
}
