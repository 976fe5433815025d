/// The command line, parsed by hand (the bench takes no ArgumentParser dependency).
struct ScanBenchOptions: Sendable {
    /// The seed of the corpus when `--seed` is not given: every run without one measures
    /// the same corpus.
    static let defaultSeed: UInt64 = 0x5EC2_E75C_A4BE_4C11

    /// Skip the 100 MB input and repeat less: a few seconds, for CI.
    var quick = false
    /// Exit 1 when a measured target is missed.
    var enforce = false
    /// One JSON object instead of the table.
    var json = false
    /// Check the corpus generator and the scoring, measure nothing.
    var selfTest = false
    /// The detect-secrets executable; nil: look on PATH.
    var detectSecrets: String?
    var seed = defaultSeed
    /// Write the corpus, its labels and the misses here.
    var keep: String?

    enum Parsed {
        case run(ScanBenchOptions)
        case help
        case usageError(String)
    }

    static let usage = """
    usage: secrets-agent-scan-bench [--quick] [--enforce] [--json] [--detect-secrets PATH]
                                    [--seed N] [--keep DIR] [--self-test]

    Generates a labeled corpus (about 3 MB of config files, code, CI files, logs, lock files
    and docs, with \(RuleCatalog.plantsPerRule) synthetic credentials of each of the \(RuleCatalog.ids.count) rules and hard
    negatives throughout), scores Scanner's findings against the labels (precision, recall
    and F1 per rule), measures Scanner's throughput on one core, and runs detect-secrets on
    the same corpus for comparison when it is installed.

      --quick                skip the 100 MB input and repeat less (a few seconds), for CI
      --enforce              exit 1 when a measured target is missed (default: report only)
      --json                 print one JSON object instead of the table
      --detect-secrets PATH  the detect-secrets executable (default: detect-secrets on PATH)
      --seed N               the corpus seed, decimal or 0x-hex (default: 0x\(String(defaultSeed, radix: 16)))
      --keep DIR             write the corpus, labels.tsv, decoys.tsv and misses.tsv to DIR
                             (created; must be empty)
      --self-test            check the generator and the scoring, then exit (0: all passed)
      -h, --help             show this help

    Targets: overall F1 >= 0.95 and above detect-secrets' (by line); >= 50 MB/s on one core
    and >= 10x detect-secrets' speed; the slowest pathological 1 MB line under 0.25 s.
    Exit status: 0 done (targets are reported, not enforced, without --enforce), 1 a setup
    failure, a failed self-test, or a missed target under --enforce, 64 usage error.
    """

    /// Parses the arguments after the program name.
    static func parse(_ arguments: [String]) -> Parsed {
        var options = ScanBenchOptions()
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            var name = argument
            var inlineValue: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            func value(_ example: String) -> Result<String, ParseError> {
                guard let text = inlineValue ?? remaining.popFirst(), !text.isEmpty else {
                    return .failure(ParseError(message: "\(name) needs a value (e.g. \(name) \(example))"))
                }
                return .success(text)
            }
            switch name {
            case "--quick": options.quick = true
            case "--enforce": options.enforce = true
            case "--json": options.json = true
            case "--self-test": options.selfTest = true
            case "-h", "--help": return .help
            case "--detect-secrets":
                switch value(".build-venv/bin/detect-secrets") {
                case .success(let path): options.detectSecrets = path
                case .failure(let error): return .usageError(error.message)
                }
            case "--keep":
                switch value("/tmp/scan-corpus") {
                case .success(let path): options.keep = path
                case .failure(let error): return .usageError(error.message)
                }
            case "--seed":
                switch value("42") {
                case .success(let text):
                    guard let seed = parseSeed(text) else {
                        return .usageError("--seed takes a decimal or 0x-hex 64-bit number, not '\(text)'")
                    }
                    options.seed = seed
                case .failure(let error): return .usageError(error.message)
                }
            default:
                return .usageError("unknown argument '\(argument)' (see --help)")
            }
            if inlineValue != nil, !["--detect-secrets", "--keep", "--seed"].contains(name) {
                return .usageError("\(name) takes no value (see --help)")
            }
        }
        return .run(options)
    }

    private struct ParseError: Error {
        let message: String
    }

    static func parseSeed(_ text: String) -> UInt64? {
        let lower = text.lowercased()
        return lower.hasPrefix("0x") ? UInt64(lower.dropFirst(2), radix: 16) : UInt64(lower)
    }
}
