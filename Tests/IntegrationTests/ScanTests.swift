import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `secrets-agent scan` through the real binary (DESIGN §11–12): the text, `--json` and
/// `--sarif` outputs, stdin, directory walks, git history, baselines, inline allows, exit
/// codes and error lines, and no value in anything printed or written.
@Suite(.serialized) struct ScanTests {
    static let key = "AKIAZ7Q2KXH4LMNP3RTV"
    static let masked = "AKI...RTV"
    static let otherKey = "AKIAJ5KZ3XQ7NL2MP4RY"

    /// A scratch directory for one test, removed with `agent`.
    func workspace(_ agent: TestAgent) throws -> String {
        let path = agent.home + "/work"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func write(_ path: String, _ text: String) throws {
        try write(path, Array(text.utf8))
    }

    func write(_ path: String, _ bytes: [UInt8]) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    /// Runs `scan` with `arguments`, in `directory` when given (through sh, so the test
    /// process's own working directory never changes).
    func scan(_ agent: TestAgent, _ arguments: [String], in directory: String? = nil, stdin: [UInt8]? = nil) -> TestAgent.Result {
        guard let directory else { return agent.run(["scan"] + arguments, stdin: stdin) }
        return agent.run(["-c", "cd \"$0\" && exec \"$@\"", directory, TestAgent.binary, "scan"] + arguments,
                         stdin: stdin, binary: "/bin/sh")
    }

    func json(_ result: TestAgent.Result) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [[String: Any]])
    }

    // MARK: - Output

    @Test func aFileWithAKeyIsReportedMaskedAndExitsOne() throws {
        let agent = try TestAgent()
        let dir = try workspace(agent)
        try write(dir + "/config.env", "x = 1\nkey = \(Self.key)\n")
        try write(dir + "/clean.txt", "nothing here\n")
        let result = scan(agent, [dir + "/config.env", dir + "/clean.txt"])
        #expect(result.status == 1)
        #expect(result.out == "\(dir)/config.env:2:7: aws-access-key-id (high): \(Self.masked)\n")
        #expect(result.stderr == "scan: 1 finding in 1 file (2 files scanned)\n")
        let clean = scan(agent, [dir + "/clean.txt"])
        #expect(clean.status == 0)
        #expect(clean.out == "")
        #expect(clean.stderr == "scan: no findings (1 file scanned)\n")
        agent.expectNeverPrinted(Self.key)
    }

    @Test func jsonIsOneArrayWithExactlyTheContractKeys() throws {
        let agent = try TestAgent()
        let dir = try workspace(agent)
        try write(dir + "/a.env", "key = \(Self.key)\n\n   other: \(Self.otherKey)\n")
        let result = scan(agent, ["--json", "a.env"], in: dir)
        #expect(result.status == 1)
        let array = try json(result)
        #expect(array.count == 2)
        for object in array {
            #expect(Set(object.keys) == ["file", "line", "column", "end_line", "end_column", "rule", "confidence", "masked"])
            #expect(object["file"] as? String == "a.env")
            #expect(object["rule"] as? String == "aws-access-key-id")
            #expect(object["confidence"] as? String == "high")
        }
        #expect(array[0]["line"] as? Int == 1)
        #expect(array[0]["column"] as? Int == 7)
        #expect(array[0]["end_line"] as? Int == 1)
        #expect(array[0]["end_column"] as? Int == 27)
        #expect(array[0]["masked"] as? String == Self.masked)
        #expect(array[1]["line"] as? Int == 3)
        #expect(array[1]["column"] as? Int == 11)
        let clean = scan(agent, ["--json", dir + "/nothing.txt"], in: dir)
        #expect(clean.status == 1, "a missing path is an error")
        #expect(try json(clean).isEmpty)
        agent.expectNeverPrinted(Self.key)
        agent.expectNeverPrinted(Self.otherKey)
    }

    @Test func sarifIsALogCodeScanningLoads() throws {
        let agent = try TestAgent()
        let dir = try workspace(agent)
        try write(dir + "/src/app.py", "AWS = '\(Self.key)'\n")
        let result = scan(agent, ["--sarif", "."], in: dir)
        #expect(result.status == 1)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        #expect((log["$schema"] as? String)?.contains("sarif-2.1.0") == true)
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "secrets-agent")
        #expect(driver["informationUri"] is String)
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.contains { $0["id"] as? String == "aws-access-key-id" })
        #expect(rules.allSatisfy { $0["shortDescription"] is [String: Any] && $0["properties"] is [String: Any] })
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 1)
        let result0 = results[0]
        #expect(result0["ruleId"] as? String == "aws-access-key-id")
        #expect(result0["level"] as? String == "error")
        let location = (result0["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
        #expect((location?["artifactLocation"] as? [String: Any])?["uri"] as? String == "src/app.py")
        #expect(location?["region"] as? [String: Int] == ["startLine": 1, "startColumn": 8, "endLine": 1, "endColumn": 28])
        let hash = (result0["partialFingerprints"] as? [String: String])?.values.first
        #expect(hash?.count == 64, "a SHA-256 fingerprint")
        agent.expectNeverPrinted(Self.key)
    }

    @Test func standardInputIsScannedAsDash() throws {
        let agent = try TestAgent()
        let result = scan(agent, [], stdin: Array("a\nb\nc \(Self.key)\n".utf8))
        #expect(result.status == 1)
        #expect(result.out == "-:3:3: aws-access-key-id (high): \(Self.masked)\n")
        let dash = scan(agent, ["--json", "-"], stdin: Array("clean\n".utf8))
        #expect(dash.status == 0)
        #expect(try json(dash).isEmpty)
        agent.expectNeverPrinted(Self.key)
    }

    @Test func anAllowedLineIsNotReported() throws {
        let agent = try TestAgent()
        let result = scan(agent, [], stdin: Array("key = \(Self.key)  # secrets-agent:allow (test fixture)\n".utf8))
        #expect(result.status == 0)
        #expect(result.out == "")
    }

    // MARK: - Walking

    @Test func directoriesLeaveOutGitBinaryLargeAndIgnoredFiles() throws {
        let agent = try TestAgent()
        let dir = try workspace(agent) + "/tree"
        let secret = "k = \(Self.key)\n"
        try write(dir + "/a.txt", secret)
        try write(dir + "/deep/er/b.txt", secret)
        try write(dir + "/.git/config", secret)
        try write(dir + "/blob.bin", [0, 1, 2] + Array(secret.utf8))
        try write(dir + "/big.txt", String(repeating: "-", count: 3_000) + secret)
        try write(dir + "/build/out.txt", secret)
        try write(dir + "/.gitignore", "build/\n")
        symlink(agent.home + "/work/outside.txt", dir + "/link.txt")
        try write(agent.home + "/work/outside.txt", secret)

        let all = scan(agent, ["--json", "tree"], in: agent.home + "/work")
        #expect(try json(all).compactMap { $0["file"] as? String } == ["tree/a.txt", "tree/big.txt", "tree/build/out.txt", "tree/deep/er/b.txt"])
        let limited = scan(agent, ["--json", "--max-size", "1000", "--gitignore", "tree"], in: agent.home + "/work")
        #expect(try json(limited).compactMap { $0["file"] as? String } == ["tree/a.txt", "tree/deep/er/b.txt"])
        #expect(limited.stderr.contains("(3 files scanned, 3 skipped)"), "\(limited.stderr)")
        agent.expectNeverPrinted(Self.key)
    }

    @Test func gitignoreInAWorkTreeUsesGit() throws {
        let agent = try TestAgent()
        let repo = try workspace(agent)
        try git(repo, ["init", "-q"])
        try write(repo + "/.git/info/exclude", "excluded-by-info.txt\n")
        try write(repo + "/tracked.txt", "k = \(Self.key)\n")
        try write(repo + "/excluded-by-info.txt", "k = \(Self.key)\n")
        try write(repo + "/.gitignore", "*.log\n")
        try write(repo + "/debug.log", "k = \(Self.key)\n")
        let result = scan(agent, ["--json", "--gitignore", "."], in: repo)
        #expect(try json(result).compactMap { $0["file"] as? String } == ["tracked.txt"])
    }

    @Test func anUnreadablePathIsOneLineAndTheOthersAreStillScanned() throws {
        let agent = try TestAgent()
        let dir = try workspace(agent)
        try write(dir + "/a.txt", "k = \(Self.key)\n")
        let result = scan(agent, [dir + "/missing.txt", dir + "/a.txt"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("secrets-agent: cannot read \(dir)/missing.txt: no such file or directory (check the path)\n"))
        #expect(result.out == "\(dir)/a.txt:1:5: aws-access-key-id (high): \(Self.masked)\n")
        #expect(result.stderr.contains("1 unreadable"))
    }

    @Test(arguments: [
        (["--json", "--sarif"], "--json and --sarif exclude each other"),
        (["--since", "HEAD~1"], "--since needs --git"),
        (["--rules", "no-such-rule"], "unknown rule 'no-such-rule'"),
        (["--max-size", "0"], "--max-size must be at least 1"),
        (["--git", "a", "b"], "--git scans one repository"),
    ])
    func usageErrorsExit64(_ arguments: [String], _ message: String) throws {
        let agent = try TestAgent()
        let result = agent.run(["scan"] + arguments, stdin: [])
        #expect(result.status == 64)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func rulesLimitWhatIsReported() throws {
        let agent = try TestAgent()
        let only = agent.run(["scan", "--rules", "aws-access-key-id"], stdin: Array("k = \(Self.key)\n".utf8))
        #expect(only.status == 1)
        // Any other rule (as the SARIF log lists them): the AWS key is then not reported.
        let log = try JSONSerialization.jsonObject(with: Data(agent.run(["scan", "--sarif"], stdin: []).stdout)) as? [String: Any]
        let driver = ((log?["runs"] as? [[String: Any]])?.first?["tool"] as? [String: Any])?["driver"] as? [String: Any]
        let ids = (driver?["rules"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
        #expect(ids.contains("aws-access-key-id"))
        if let other = ids.first(where: { $0 != "aws-access-key-id" }) {
            let without = agent.run(["scan", "--rules", "\(other),\(other)"], stdin: Array("k = \(Self.key)\n".utf8))
            #expect(without.status == 0, "\(without.out)")
        }
    }

    // MARK: - Baseline

    @Test func aBaselineHoldsNoValueAndSuppressesWhatItRecords() throws {
        let agent = try TestAgent()
        let dir = try workspace(agent)
        try write(dir + "/a.env", "k = \(Self.key)\n")
        let written = scan(agent, ["--write-baseline", "baseline.json", "a.env"], in: dir)
        #expect(written.status == 0, "\(written.stderr)")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/baseline.json")))
        #expect(!agent.contains(bytes, Array(Self.key.utf8)), "the baseline holds the value")
        #expect(!agent.contains(bytes, Array(Self.masked.utf8)), "the baseline holds the masked value")
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [[String: String]])
        #expect(entries.count == 1)
        #expect(entries.first?["file"] == "a.env")
        #expect(entries.first?["rule"] == "aws-access-key-id")
        #expect(entries.first?["hash"] == sha256Hex(Self.key), "hash is the SHA-256 of the matched bytes")
        var info = stat()
        #expect(stat(dir + "/baseline.json", &info) == 0 && info.st_mode & 0o777 == 0o644)

        let suppressed = scan(agent, ["--baseline", "baseline.json", "a.env"], in: dir)
        #expect(suppressed.status == 0)
        #expect(suppressed.out == "")
        #expect(suppressed.stderr.contains("1 in the baseline"))

        try write(dir + "/a.env", "k = \(Self.key)\nk2 = \(Self.otherKey)\n")
        let fresh = scan(agent, ["--json", "--baseline", "baseline.json", "a.env"], in: dir)
        #expect(fresh.status == 1)
        #expect(try json(fresh).compactMap { $0["line"] as? Int } == [2])

        let missing = scan(agent, ["--baseline", "nope.json", "a.env"], in: dir)
        #expect(missing.status == 1)
        #expect(missing.stderr == "secrets-agent: cannot read baseline nope.json: no such file or directory (check the path) (write one: secrets-agent scan --write-baseline nope.json)\n")
        agent.expectNeverPrinted(Self.key)
        agent.expectNeverPrinted(Self.otherKey)
    }

    // MARK: - Git history

    func git(_ repo: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", repo, "-c", "user.name=Scan Test", "-c", "user.email=scan@example.invalid",
                             "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestFailure("git \(arguments) failed") }
    }

    func gitOutput(_ repo: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", repo] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func historyFindsAKeyACommitAddedAndLaterRemoved() throws {
        let agent = try TestAgent()
        let repo = try workspace(agent)
        try git(repo, ["init", "-q"])
        try write(repo + "/app/settings.py", "DEBUG = False\nNAME = 'app'\n")
        try git(repo, ["add", "."])
        try git(repo, ["commit", "-q", "-m", "start"])
        try write(repo + "/app/settings.py", "DEBUG = False\nNAME = 'app'\nAWS_KEY = '\(Self.key)'\n")
        try git(repo, ["commit", "-q", "-am", "add key"])
        let leak = try gitOutput(repo, ["rev-parse", "HEAD"])
        try write(repo + "/app/settings.py", "DEBUG = False\nNAME = 'app'\nAWS_KEY = os.environ['AWS_KEY']\n")
        try git(repo, ["commit", "-q", "-am", "remove key"])
        let fix = try gitOutput(repo, ["rev-parse", "HEAD"])

        #expect(scan(agent, [repo]).status == 0, "the work tree is clean")
        let text = scan(agent, ["--git", repo])
        #expect(text.status == 1)
        #expect(text.out == "\(leak):app/settings.py:3:12: aws-access-key-id (high): \(Self.masked)\n")
        #expect(text.stderr == "scan: 1 finding in 1 file (3 commits scanned)\n")

        let array = try json(scan(agent, ["--git", "--json"], in: repo))
        #expect(array.count == 1)
        #expect(Set(array[0].keys) == ["file", "line", "column", "end_line", "end_column", "rule", "confidence", "masked", "commit"])
        #expect(array[0]["commit"] as? String == leak)
        #expect(array[0]["file"] as? String == "app/settings.py")
        #expect(array[0]["line"] as? Int == 3)

        let since = scan(agent, ["--git", "--since", leak, repo])
        #expect(since.status == 0, "only the fix comes after the leak")
        #expect(since.stderr.contains("1 commit scanned"))
        #expect(scan(agent, ["--git", "--since", fix, repo]).stderr.contains("0 commits scanned"))

        let bad = scan(agent, ["--git", "--since", "no-such-rev", repo])
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("secrets-agent: cannot read the history of \(repo): "))
        #expect(bad.stderr.contains("(check that no-such-rev is a revision of \(repo))"))
        let notRepo = scan(agent, ["--git", agent.home + "/data"])
        #expect(notRepo.status == 1)
        #expect(notRepo.stderr.contains("cannot read the history of"))
        agent.expectNeverPrinted(Self.key)
    }

    /// SHA-256 by coreutils, to check the baseline's hash independently of the code under test.
    func sha256Hex(_ text: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try? process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try? input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(String(decoding: data, as: UTF8.self).prefix(64))
    }
}
