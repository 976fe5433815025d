/// The command line, parsed by hand (the bench takes no ArgumentParser dependency), and
/// the workload it selects.
struct BenchOptions: Sendable {
    /// Small counts for CI: the whole run takes well under a minute.
    var quick = false
    /// One JSON object instead of the table.
    var json = false
    /// Exit 1 when a target is missed.
    var enforce = false
    /// The `secrets-agent` binary; nil: the one next to this executable.
    var binary: String?
    /// Pin the bench, the agent and OpenBao to one CPU while measuring latency (see `CPUAffinity`).
    var pinLatency = true
    /// Whether and which OpenBao to compare with.
    var openBao = OpenBaoChoice.searchPath
    /// Where to copy the agent's /proc/PID/smaps when its RSS is read; nil: nowhere.
    var memoryMapPath: String?

    /// Where `bao` comes from.
    enum OpenBaoChoice: Sendable, Equatable {
        /// `bao` on PATH when there is one, else skipped.
        case searchPath
        /// `--bao PATH`: this one, and a setup failure when it cannot be run.
        case path(String)
        /// `--no-openbao`.
        case skip
    }

    /// What parsing decided.
    enum Parsed {
        case run(BenchOptions)
        case help
        case usageError(String)
    }

    static let usage = """
    usage: secrets-agent-bench [--quick] [--json] [--enforce] [--no-pin] [--binary PATH]
                               [--bao PATH | --no-openbao] [--memory-map PATH]

    Starts a real secrets-agent on a temporary store and socket and measures, in one run:
    the floor (a framed echo over a Unix socket with the sizes of a real get, in C and in
    Swift); get latency and throughput with 1 to 32 clients; list, batchGet and get at
    random in a store of 100,000 secrets; put latency and writes/s (synchronous=FULL);
    unlock (Argon2id); the agent's RSS; the whole `secrets-agent get` process; and, when
    bao is found, OpenBao's KV v2 read over loopback HTTP. Every value read is checked.

      --quick        small counts (2,000 secrets, short windows), for CI; too small to
                     judge the targets by
      --json         print one JSON object instead of the table
      --enforce      exit 1 when a target is missed (default: report only)
      --no-pin       measure latency unpinned only (default: the bench, the agent and
                     OpenBao share one CPU for the pinned latency rows)
      --binary PATH  the secrets-agent binary (default: next to this executable)
      --bao PATH     the OpenBao binary (default: bao on PATH; skipped when there is none)
      --no-openbao   do not compare with OpenBao
      --memory-map PATH
                     copy the agent's /proc/PID/smaps to PATH when its RSS is read
                     (where its memory is, mapping by mapping)
      -h, --help     show this help

    Targets: get p50 <= 2x C floor p50; get p99 <= 5x C floor p99; >= 50,000 gets/s with
    8 clients; >= 10x OpenBao's reads/s with 8 clients and <= 1/10 of its p50 and p99;
    list 1,000 of 100,000 < 5 ms; agent RSS < 40 MiB with 100,000 secrets; CLI get < 20 ms
    (whole process); >= 2,000 acknowledged writes/s with 8 writers.
    Exit status: 0 done (targets are reported, not enforced, without --enforce),
    1 setup failure or a missed target under --enforce, 7 a read returned a wrong value,
    64 usage error.
    """

    /// Parses the arguments after the program name.
    static func parse(_ arguments: [String]) -> Parsed {
        var options = BenchOptions()
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            let (flag, inline) = split(argument)
            switch flag {
            case "--quick", "--json", "--enforce", "--no-pin", "--no-openbao", "-h", "--help":
                guard inline == nil else { return .usageError("\(flag) takes no value (see --help)") }
                switch flag {
                case "--quick": options.quick = true
                case "--json": options.json = true
                case "--enforce": options.enforce = true
                case "--no-pin": options.pinLatency = false
                case "--no-openbao": options.openBao = .skip
                default: return .help
                }
            case "--binary", "--bao", "--memory-map":
                guard let path = inline ?? remaining.popFirst(), !path.isEmpty, !path.hasPrefix("--") else {
                    let example = switch flag {
                    case "--bao": "/usr/local/bin/bao"
                    case "--memory-map": "/tmp/agent.smaps"
                    default: ".build/release/secrets-agent"
                    }
                    return .usageError("\(flag) needs a path (e.g. \(flag) \(example))")
                }
                switch flag {
                case "--binary": options.binary = path
                case "--bao": options.openBao = .path(path)
                default: options.memoryMapPath = path
                }
            default:
                return .usageError("unknown argument '\(argument)' (see --help)")
            }
        }
        let namesBao = arguments.contains { $0 == "--bao" || $0.hasPrefix("--bao=") }
        if namesBao && arguments.contains("--no-openbao") {
            return .usageError("--bao and --no-openbao exclude each other (pick one)")
        }
        return .run(options)
    }

    /// `--name=value` as (`--name`, `value`); anything else as (itself, nil).
    private static func split(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    /// How much to measure.
    var workload: Workload { quick ? .quick : .full }
}
