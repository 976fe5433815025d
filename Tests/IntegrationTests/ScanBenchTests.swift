import Foundation
import Testing

/// `secrets-agent-scan-bench` as built: its self-test (the corpus generator and the scoring),
/// a quick run scored against a stand-in detect-secrets whose findings are known, the run
/// without detect-secrets, and the command line's errors.
@Suite struct ScanBenchTests {
    /// `secrets-agent-scan-bench` beside the `secrets-agent` under test.
    static let binary = URL(fileURLWithPath: TestAgent.binary).deletingLastPathComponent()
        .appendingPathComponent("secrets-agent-scan-bench").path

    /// The final rule set, in report order: the bench scores every one of them.
    static let ruleIDs = [
        "aws-access-key-id", "aws-secret-access-key", "gcp-service-account", "gcp-api-key", "azure-storage-connection-string",
        "github-pat", "github-oauth", "github-user-token", "github-server-token", "github-refresh-token", "github-fine-grained-pat",
        "gitlab-pat", "slack-token", "slack-webhook", "twilio-api-key", "sendgrid-api-key", "mailgun-api-key", "stripe-secret-key",
        "stripe-restricted-key", "stripe-webhook-secret", "openai-api-key", "anthropic-api-key", "huggingface-token", "npm-token",
        "pypi-token", "jwt", "private-key", "openssh-private-key", "pgp-private-key", "postgres-url", "mysql-url", "mongodb-url",
        "redis-url", "amqp-url", "generic-password", "generic-secret", "generic-token", "generic-api-key", "telegram-bot-token",
        "digitalocean-token", "shopify-token", "databricks-token", "doppler-token", "linear-api-key", "mailchimp-api-key",
        "discord-bot-token", "square-access-token", "atlassian-api-token",
    ]

    /// A stand-in for detect-secrets that reports every `AKIA` + 16 shape as an AWS key, in
    /// detect-secrets' JSON: it finds exactly the planted AWS access key ids, plus the
    /// documented example keys among the hard negatives.
    static let fakeDetectSecrets = #"""
        #!/bin/sh
        if [ "$1" = "--version" ]; then echo "0.0-fake"; exit 0; fi
        grep -rnoE 'AKIA[A-Z0-9]{16}' . | awk -F: '
          BEGIN { printf "{\"version\": \"0.0-fake\", \"results\": {" }
          { f = substr($1, 3); if (!(f in seen)) { order[++n] = f; seen[f] = 1 }
            items[f] = items[f] (items[f] == "" ? "" : ", ") "{\"type\": \"AWS Access Key\", \"line_number\": " $2 "}" }
          END { for (i = 1; i <= n; i++) printf "%s\"%s\": [%s]", (i > 1 ? ", " : ""), order[i], items[order[i]]; print "}}" }'

        """#

    @Test func selfTestPasses() throws {
        let result = try Self.run(["--self-test"])
        #expect(result.status == 0, "\(result.out)")
        #expect(!result.out.contains("FAIL"), "\(result.out)")
        #expect(result.out.contains("self-test: passed "))
    }

    @Test func quickRunScoresEveryRuleAndDetectSecretsByLine() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fake = directory + "/detect-secrets"
        try Data(Self.fakeDetectSecrets.utf8).write(to: URL(fileURLWithPath: fake))
        chmod(fake, 0o755)
        let kept = directory + "/kept"

        let result = try Self.run(["--quick", "--json", "--keep", kept, "--detect-secrets", fake])
        #expect(result.status == 0, "\(result.err)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])

        let rules = try #require(report["rules"] as? [[String: Any]])
        #expect(rules.compactMap { $0["rule"] as? String }.prefix(Self.ruleIDs.count) == Self.ruleIDs[...])
        for rule in rules { #expect((rule["labels"] as? Int ?? 0) >= 15, "\(rule)") }
        let corpus = try #require(report["corpus"] as? [String: Any])
        #expect((2_700_000...3_500_000).contains(corpus["bytes"] as? Int ?? 0))

        // The scanner has known AWS access key ids from the start: the bench must see them.
        let aws = try #require(rules.first { $0["rule"] as? String == "aws-access-key-id" })
        #expect((aws["tp"] as? Int ?? 0) > 0)

        // The stand-in finds exactly the AWS labels, and its hits on example keys are false positives.
        let labels = try String(contentsOfFile: kept + "/labels.tsv", encoding: .utf8).split(separator: "\n")
        let awsLabels = labels.filter { $0.hasSuffix("\taws-access-key-id") }.count
        let detectSecrets = try #require(report["detect_secrets"] as? [String: Any])
        let byLine = try #require(detectSecrets["by_line"] as? [String: Any])
        #expect(byLine["tp"] as? Int == awsLabels)
        #expect((byLine["fp"] as? Int ?? 0) > 0)
        #expect(detectSecrets["version"] as? String == "0.0-fake")
        #expect(rules.first { $0["rule"] as? String == "jwt" }?["detect_secrets_recall"] as? Double == 0)

        let throughput = try #require(report["throughput"] as? [String: Any])
        #expect(throughput["hundred_mb"] is NSNull, "--quick skips the 100 MB input")
        #expect(((throughput["corpus"] as? [String: Any])?["mb_per_second"] as? Double ?? 0) > 0)
        #expect((throughput["pathological"] as? [Any])?.count == 7)
        let targets = try #require(report["targets"] as? [[String: Any]])
        #expect(targets.count == 5)
        #expect(targets.allSatisfy { ["pass", "fail"].contains($0["status"] as? String ?? "") }, "every target is measured")

        #expect(labels.count == (corpus["labels"] as? Int ?? 0) + 1)
        for name in ["decoys.tsv", "misses.tsv", "detect-secrets-misses.tsv"] {
            #expect(FileManager.default.fileExists(atPath: kept + "/" + name), "\(name)")
        }
        let first = labels.dropFirst().first.map { $0.split(separator: "\t") } ?? []
        #expect(first.count == 3 && FileManager.default.fileExists(atPath: kept + "/corpus/" + first[0]))
    }

    @Test func withoutDetectSecretsItsColumnsAreSkipped() throws {
        let empty = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let result = try Self.run(["--quick"], environment: ["PATH": empty])
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("\ndetect-secrets: not found (pip install detect-secrets)\n"))
        #expect(result.out.contains("SKIP  F1 above detect-secrets' (by line)"))
        #expect(result.out.contains("SKIP  >= 10x detect-secrets' speed"))
        #expect(result.out.split(separator: "\n").contains { $0.hasPrefix("  100 MB ") && $0.hasSuffix(" skipped (--quick)") })
        for rule in Self.ruleIDs { #expect(result.out.contains("\n" + rule + " "), "\(rule) has a row") }
    }

    @Test(arguments: [
        (["--bogus"], "secrets-agent-scan-bench: unknown argument '--bogus' (see --help)\n"),
        (["--seed", "twelve"], "secrets-agent-scan-bench: --seed takes a decimal or 0x-hex 64-bit number, not 'twelve'\n"),
        (["--keep"], "secrets-agent-scan-bench: --keep needs a value (e.g. --keep /tmp/scan-corpus)\n"),
        (["--quick=yes"], "secrets-agent-scan-bench: --quick takes no value (see --help)\n"),
    ])
    func usageErrorsExit64(_ arguments: [String], _ message: String) throws {
        let result = try Self.run(arguments)
        #expect(result.status == 64)
        #expect(result.err == message)
        #expect(result.out.isEmpty)
    }

    @Test func helpPrintsUsage() throws {
        let result = try Self.run(["--help"])
        #expect(result.status == 0)
        #expect(result.out.hasPrefix("usage: secrets-agent-scan-bench [--quick] [--enforce] [--json] [--detect-secrets PATH]\n"))
    }

    @Test func keepRefusesADirectoryThatIsNotEmpty() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        FileManager.default.createFile(atPath: directory + "/mine.txt", contents: Data("x".utf8))
        let result = try Self.run(["--quick", "--keep", directory, "--detect-secrets", "/bin/false"])
        #expect(result.status == 1)
        #expect(result.err == "secrets-agent-scan-bench: cannot keep the corpus in \(directory): the directory is not empty (pick a new path or empty it)\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["mine.txt"])
    }

    struct Result {
        let status: Int32
        let out: String
        let err: String
    }

    /// Runs the bench, both pipes drained concurrently.
    static func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw TestFailure("no secrets-agent-scan-bench at \(binary) (build it: swift build --product secrets-agent-scan-bench)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment.merging(extra) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let errData = LockedBox(Data())
        let errReader = Thread { errData.value = err.fileHandleForReading.readDataToEndOfFile() }
        errReader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errData.done { usleep(1000) }
        return Result(status: process.terminationStatus, out: String(decoding: outData, as: UTF8.self),
                      err: String(decoding: errData.value, as: UTF8.self))
    }

    static func temporaryDirectory() throws -> String {
        var template = Array("/tmp/scan-bench-test.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TestFailure("mkdtemp failed") }
        return String(cString: made)
    }
}
