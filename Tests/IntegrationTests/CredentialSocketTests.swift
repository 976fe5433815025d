import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `serve --credential-socket`: systemd's `LoadCredential=ID:/path/to/socket`, driven
/// exactly as systemd drives it (exec-credential.c): an AF_UNIX stream socket bound to the
/// abstract address `\0<random hex>/unit/<unit>/<ID>`, connected, read to end of file.
@Suite(.serialized, .enabled(if: geteuid() == 0, "systemd, the expected client, runs as root"))
struct CredentialSocketTests {
    static let dbValue = "db-credential-value-7f3a9c2e"
    static let keyValue = "my-key-credential-value-51b0"
    static let tokenValue = "api-token-value-0d4e8b16aa"

    /// An agent serving the credential socket with `web.service` granted db/* and my-key in
    /// production, and the test (root) as admin on the main socket.
    static func agent(homeMode: mode_t = 0o700) throws -> (TestAgent, String) {
        let agent = try TestAgent(homeMode: homeMode)
        let policy = agent.home + "/policy.toml"
        let text = """
            [[rule]]
            unit = "web.service"
            role = "agent"
            environments = ["production"]
            secrets = ["db/*", "my-key"]

            [[rule]]
            unit = "batch.service"
            role = "agent"
            secrets = ["api/token"]

            [[rule]]
            uid = 0
            role = "admin"
            """
        guard FileManager.default.createFile(atPath: policy, contents: Data(text.utf8)) else { throw TestFailure("cannot write \(policy)") }
        chmod(policy, 0o644)
        let credentials = agent.home + "/run/credentials.sock"
        try agent.start(extra: ["--policy", policy, "--credential-socket", credentials])
        for (name, value) in [("db/password", dbValue), ("my-key", keyValue), ("api/token", tokenValue)] {
            let added = agent.run(["add", name, "--env", "production", "--stdin"], stdin: Array(value.utf8))
            guard added.status == 0 else { throw TestFailure("add \(name): \(added.stderr)") }
        }
        return (agent, credentials)
    }

    /// How a client binds before connecting.
    enum Binding {
        /// systemd's: `\0<16 random hex>/unit/<unit>/<id>`.
        case systemd(unit: String, id: String)
        /// Any abstract name.
        case abstract(String)
        /// `bind` with only the family: the kernel picks a 5-hex-digit abstract name.
        case autobind
        /// No `bind` at all: the peer has no address.
        case none
    }

    /// Connects to `path` as systemd's `LoadCredential=` does and reads to end of file.
    static func load(_ path: String, _ binding: Binding) throws -> [UInt8] {
        let fd = try connect(path, binding)
        defer { close(fd) }
        return try readToEOF(fd)
    }

    static func connect(_ path: String, _ binding: Binding) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: errno \(errno)") }
        let familySize = MemoryLayout<sa_family_t>.size
        var name: [UInt8]?
        switch binding {
        case .systemd(let unit, let id):
            let random = String(UInt64.random(in: 0...UInt64.max), radix: 16)
            name = [0] + Array((String(repeating: "0", count: 16 - random.count) + random + "/unit/\(unit)/\(id)").utf8)
        case .abstract(let text): name = [0] + Array(text.utf8)
        case .autobind: name = []
        case .none: name = nil
        }
        if let name {
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: name) }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(familySize + name.count)) }
            }
            guard bound == 0 else { close(fd); throw TestFailure("bind: errno \(errno)") }
        }
        var target = sockaddr_un()
        target.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &target.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let connected = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { close(fd); throw TestFailure("connect \(path): errno \(errno)") }
        return fd
    }

    static func readToEOF(_ fd: Int32) throws -> [UInt8] {
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw TestFailure("read: errno \(errno) (no end of file within 10 s?)") }
            if n == 0 { return out }
            out += buffer[0..<n]
        }
    }

    /// The `credential` entries of the audit trail, oldest first.
    static func credentialEntries(_ agent: TestAgent) throws -> [[String: Any]] {
        let shown = agent.run(["audit", "--json"])
        guard shown.status == 0 else { throw TestFailure("audit --json: \(shown.stderr)") }
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout)) as? [[String: Any]])
        return entries.filter { $0["operation"] as? String == "credential" }
    }

    @Test func aUnitWithAGrantReadsTheCurrentValue() throws {
        let (agent, credentials) = try Self.agent()
        var info = stat()
        #expect(stat(credentials, &info) == 0 && info.st_mode & S_IFMT == S_IFSOCK && info.st_mode & 0o777 == 0o600)

        let db = try Self.load(credentials, .systemd(unit: "web.service", id: "db-password"))
        #expect(db == Array(Self.dbValue.utf8))
        let key = try Self.load(credentials, .systemd(unit: "web.service", id: #"my\x2dkey"#))
        #expect(key == Array(Self.keyValue.utf8))

        // Always the current version.
        #expect(agent.run(["update", "db/password", "--env", "production", "--stdin"], stdin: Array("rotated-db-value-0042".utf8)).status == 0)
        #expect(try Self.load(credentials, .systemd(unit: "web.service", id: "db-password")) == Array("rotated-db-value-0042".utf8))

        let entries = try Self.credentialEntries(agent)
        #expect(entries.count == 3)
        let first = try #require(entries.first)
        #expect(first["outcome"] as? String == "ok")
        #expect(first["name"] as? String == "db/password")
        #expect(first["environment"] as? String == "production")
        #expect(first["role"] as? String == "agent")
        #expect(first["uid"] as? Int == 0)
        #expect(first["detail"] as? String == "unit web.service, credential db-password")
        #expect(entries[1]["detail"] as? String == #"unit web.service, credential my\x2dkey"#)
        #expect(agent.run(["audit", "verify"]).status == 0)
        for value in [Self.dbValue, Self.keyValue, "rotated-db-value-0042"] { agent.expectNeverPrinted(value) }
    }

    @Test func theEnvironmentIsTheRulesOneElseTheServeDefault() throws {
        let (agent, credentials) = try Self.agent()
        // batch.service's rule names no environment: the serve default (development) applies.
        #expect(try Self.load(credentials, .systemd(unit: "batch.service", id: "api-token")).isEmpty)
        #expect(agent.run(["add", "api/token", "--env", "development", "--stdin"], stdin: Array("dev-token-value-123456".utf8)).status == 0)
        #expect(try Self.load(credentials, .systemd(unit: "batch.service", id: "api-token")) == Array("dev-token-value-123456".utf8))
        let entries = try Self.credentialEntries(agent)
        #expect(entries.map { $0["environment"] as? String } == ["development", "development"])
        #expect(entries.map { $0["error"] as? String } == ["NOT_FOUND", nil])

        // --credential-env production: the production value.
        agent.stop()
        try agent.start(extra: ["--policy", agent.home + "/policy.toml", "--credential-socket", credentials, "--credential-env", "production"])
        #expect(try Self.load(credentials, .systemd(unit: "batch.service", id: "api-token")) == Array(Self.tokenValue.utf8))
        agent.expectNeverPrinted(Self.tokenValue)
        agent.expectNeverPrinted("dev-token-value-123456")
    }

    @Test func everythingElseGetsEndOfFileAloneAndAnAuditEntry() throws {
        let (agent, credentials) = try Self.agent()
        // (how the client binds, the outcome, the error code, a piece of the detail)
        let refused: [(Binding, String, String, String)] = [
            (.systemd(unit: "other.service", id: "db-password"), "denied", "PERMISSION_DENIED", "unit other.service, credential db-password: unit other.service may not read credentials: no rule in"),
            (.systemd(unit: "web.service", id: "api-token"), "denied", "PERMISSION_DENIED", "unit web.service, credential api-token: permission denied: unit web.service is agent for production; db/*, my-key"),
            (.systemd(unit: "batch.service", id: "db-password"), "denied", "PERMISSION_DENIED", "api/token"),
            (.systemd(unit: "web.service", id: "db-missing"), "error", "NOT_FOUND", "unit web.service, credential db-missing: "),
            (.systemd(unit: "web.service", id: "db-..-etc"), "denied", "INVALID_ARGUMENT", "'..' segments are not allowed"),
            (.systemd(unit: "web.service", id: #"my\x2"#), "denied", "INVALID_ARGUMENT", "does not start \\xNN"),
            (.systemd(unit: "worker@.service", id: "db-password"), "denied", "INVALID_ARGUMENT", "a template has no instance"),
            (.abstract("0123/units/web.service/db-password"), "denied", "INVALID_ARGUMENT", "is not <random>/unit/<unit>/<ID>"),
            (.autobind, "denied", "INVALID_ARGUMENT", "is not <random>/unit/<unit>/<ID>"),
            (.none, "denied", "INVALID_ARGUMENT", "the peer's socket has no address"),
        ]
        for (binding, outcome, code, detail) in refused {
            let got = try Self.load(credentials, binding)
            #expect(got.isEmpty, "\(binding): \(got.count) bytes sent")
        }
        let entries = try Self.credentialEntries(agent)
        #expect(entries.count == refused.count)
        for ((binding, outcome, code, detail), entry) in zip(refused, entries) {
            #expect(entry["outcome"] as? String == outcome, "\(binding)")
            #expect(entry["error"] as? String == code, "\(binding)")
            #expect((entry["detail"] as? String)?.contains(detail) == true, "\(binding): \(entry["detail"] ?? "no detail")")
        }
        #expect(entries[0]["name"] as? String == "db/password")
        #expect(entries[1]["name"] as? String == "api/token")
        // The main socket served throughout, and the chain holds.
        #expect(agent.run(["get", "db/password", "--env", "production"]).out == Self.dbValue)
        #expect(agent.run(["audit", "verify"]).status == 0)
        #expect(agent.log().contains("credential refused: unit other.service, credential db-password"))
        for value in [Self.dbValue, Self.keyValue, Self.tokenValue] { agent.expectNeverPrinted(value) }
    }

    @Test func aLockedAgentSendsNothingAndTheMainSocketKeepsServing() throws {
        let (agent, credentials) = try Self.agent()
        #expect(agent.run(["lock"]).status == 0)
        #expect(try Self.load(credentials, .systemd(unit: "web.service", id: "db-password")).isEmpty)
        let locked = try #require(try Self.credentialEntries(agent).last)
        #expect(locked["outcome"] as? String == "error" && locked["error"] as? String == "LOCKED")
        #expect(agent.run(["status"]).status == 0)
        #expect(agent.run(["unlock", "--key-file", agent.keyFile]).status == 0)
        #expect(try Self.load(credentials, .systemd(unit: "web.service", id: "db-password")) == Array(Self.dbValue.utf8))
        agent.expectNeverPrinted(Self.dbValue)
    }

    @Test func theMainSocketServesWhileCredentialConnectionsAreOpen() throws {
        let (agent, credentials) = try Self.agent()
        // Connections accepted but not yet read, and ones that never bound: neither holds up the agent.
        let pending = try (0..<8).map { index in
            try Self.connect(credentials, index % 2 == 0 ? .systemd(unit: "web.service", id: "db-password") : .none)
        }
        #expect(agent.run(["get", "db/password", "--env", "production"]).out == Self.dbValue)
        #expect(agent.run(["status"]).status == 0)
        for (index, fd) in pending.enumerated() {
            let got = try Self.readToEOF(fd)
            close(fd)
            #expect(got == (index % 2 == 0 ? Array(Self.dbValue.utf8) : []))
        }
        #expect(agent.run(["list", "--env", "production", "--json"]).status == 0)
        agent.expectNeverPrinted(Self.dbValue)
        // SIGTERM removes the credential socket with the agent's.
        #expect(agent.stop() == 0)
        #expect(access(credentials, F_OK) != 0)
    }

    @Test func aPeerOtherThanRootOrTheAgentIsRefusedEvenThrough0666() throws {
        #expect(TestUsers.ensure("sa-cred-other"))
        let (agent, credentials) = try Self.agent(homeMode: 0o711)
        chmod(agent.home + "/run", 0o711)
        chmod(credentials, 0o666)
        let client = """
            import os, socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.bind(b"\\0" + os.urandom(8).hex().encode() + b"/unit/web.service/db-password")
            s.connect(sys.argv[1])
            data = b""
            while True:
                chunk = s.recv(4096)
                if not chunk: break
                data += chunk
            print(len(data))
            """
        let ids = TestUsers.ids(of: "sa-cred-other")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid=\(ids.uid)", "--regid=\(ids.gid)", "--clear-groups", "--", "/usr/bin/python3", "-c", client, credentials]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(printed == "0\n", "the other uid got \(printed) bytes")
        let entry = try #require(try Self.credentialEntries(agent).last)
        #expect(entry["outcome"] as? String == "denied")
        #expect(entry["uid"] as? Int == Int(ids.uid))
        #expect((entry["detail"] as? String)?.contains("may not use the credential socket") == true)
        // Root, as systemd, is still served.
        #expect(try Self.load(credentials, .systemd(unit: "web.service", id: "db-password")) == Array(Self.dbValue.utf8))
        agent.expectNeverPrinted(Self.dbValue)
    }

    @Test func serveRefusesACredentialSocketWithoutAPolicy() throws {
        let agent = try TestAgent()
        let result = agent.run(["serve", "--credential-socket", agent.home + "/run/credentials.sock"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--credential-socket needs --policy FILE"))
    }
}
