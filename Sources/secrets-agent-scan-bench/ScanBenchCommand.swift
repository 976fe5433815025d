#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SecretsScan

/// `secrets-agent-scan-bench`: generates a labeled corpus, scores `Scanner` on it, times it
/// on one core, and runs detect-secrets on the same corpus when installed. See
/// `ScanBenchOptions.usage`.
@main
enum ScanBenchCommand {
    static func main() {
        let options: ScanBenchOptions
        switch ScanBenchOptions.parse(Array(CommandLine.arguments.dropFirst())) {
        case .run(let parsed): options = parsed
        case .help:
            print(ScanBenchOptions.usage)
            exit(0)
        case .usageError(let message):
            printError(message)
            exit(64)
        }
        if options.selfTest { exit(selfTest(seed: options.seed)) }
        do {
            let report = try run(options)
            print(options.json ? report.json : report.table)
            exit(options.enforce && !report.allMeasuredTargetsMet ? 1 : 0)
        } catch {
            printError(error.message)
            exit(1)
        }
    }

    static func run(_ options: ScanBenchOptions) throws(ScanBenchFailure) -> ScanBenchReport {
        let host = HostLoad.current()
        let detectSecretsPath = try DetectSecrets.locate(options.detectSecrets)
        var directory: CorpusDirectory?
        if let keep = options.keep {
            directory = try CorpusDirectory.kept(keep)
        } else if detectSecretsPath != nil {
            directory = try CorpusDirectory.temporary()
        }
        defer { directory?.remove() }

        let corpus = CorpusGenerator.generate(seed: options.seed)
        let scanner = Scanner()
        let accuracy = Accuracy.measure(scanner, on: corpus)
        let throughput = Throughput.measure(scanner, corpus: corpus.concatenated(), quick: options.quick)
        try directory?.write(corpus)
        var detectSecrets: (run: DetectSecrets, accuracy: Accuracy)?
        if let detectSecretsPath, let directory {
            let run = try DetectSecrets.run(detectSecretsPath, on: directory, corpus: corpus)
            let accuracy = Accuracy(lines: Set(run.findings.keys), corpus: corpus)
            detectSecrets = (run, accuracy)
            if options.keep != nil { try directory.writeText(accuracy.missesTSV(corpus), to: "detect-secrets-misses.tsv") }
        }
        if options.keep != nil { try directory?.writeText(accuracy.missesTSV(corpus), to: "misses.tsv") }

        return ScanBenchReport(
            corpus: .init(seed: corpus.seed, bytes: corpus.byteCount, files: corpus.files.count, labels: corpus.plants.count,
                          decoys: corpus.decoys.count,
                          decoysByKind: Dictionary(grouping: corpus.decoys, by: \.kind.rawValue).mapValues(\.count)),
            host: host, quick: options.quick, ours: accuracy, detectSecrets: detectSecrets, throughput: throughput,
            scannerRules: Set(Scanner.rules.map(\.id)))
    }

    /// Runs the self-test, prints one line per check; 0 when all passed.
    static func selfTest(seed: UInt64) -> Int32 {
        let checks = CorpusSelfTest.run(seed: seed)
        for check in checks {
            print(check.failure.map { "FAIL  \(check.name): \($0)" } ?? "ok    \(check.name)")
        }
        let failed = checks.filter { $0.failure != nil }.count
        print(failed == 0 ? "self-test: passed \(checks.count) checks (seed 0x\(String(seed, radix: 16)))"
                          : "self-test: \(failed) of \(checks.count) checks failed (seed 0x\(String(seed, radix: 16)))")
        return failed == 0 ? 0 : 1
    }

    private static func printError(_ message: String) {
        FileHandle.standardError.write(Data("secrets-agent-scan-bench: \(message)\n".utf8))
    }
}
