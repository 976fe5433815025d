import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import SecretsCore

/// A blocking HTTP client for the agent's connection threads: AsyncHTTPClient on its own
/// one-thread event loop group, each call waiting on its future from the calling thread.
/// The agent's threads are never event loop threads, so the wait cannot deadlock a loop;
/// the event loop itself never blocks.
final class HTTPTransport: Sendable {
    /// An answer: the status and the body's bytes (the caller wipes them).
    struct Answer {
        var status: UInt
        var body: [UInt8]
    }

    private let group: MultiThreadedEventLoopGroup
    private let client: HTTPClient
    private let requestTimeout: TimeAmount

    /// - Throws: `.invalidArgument` when the CA file cannot be read as PEM certificates.
    init(caFile: String?, connectTimeoutSeconds: Int64, requestTimeoutSeconds: Int64) throws(SecretsError) {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if let caFile {
            do {
                let certificates = try NIOSSLCertificate.fromPEMFile(caFile)
                guard !certificates.isEmpty else { throw SecretsError.invalidArgument("no certificate") }
                tls.trustRoots = .certificates(certificates)
            } catch {
                throw .invalidArgument("cannot read --upstream-ca-file \(caFile): not a PEM file of CA certificates (point at the CA's certificate, e.g. the server's ca.pem)")
            }
        }
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls,
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(connectTimeoutSeconds), read: .seconds(requestTimeoutSeconds)))
        configuration.connectionPool = .init(idleTimeout: .seconds(30))
        client = HTTPClient(eventLoopGroupProvider: .shared(group), configuration: configuration)
        requestTimeout = .seconds(requestTimeoutSeconds)
    }

    /// Sends one request and waits for the whole answer.
    /// - Returns: the answer, or a one-line summary of why there is none (refused,
    ///   timed out, TLS failure); never a header or a body.
    func send(_ method: HTTPMethod, url: String, token: String?, body: [UInt8]?) -> Result<Answer, TransportFailure> {
        let request: HTTPClient.Request
        do {
            var headers = HTTPHeaders()
            if let token { headers.add(name: "X-Vault-Token", value: token) }
            if body != nil { headers.add(name: "Content-Type", value: "application/json") }
            headers.add(name: "X-Vault-Request", value: "true")
            request = try HTTPClient.Request(url: url, method: method, headers: headers, body: body.map { .bytes($0) })
        } catch {
            return .failure(TransportFailure(summary: "\(url.prefix(200)) is not a usable URL"))
        }
        do {
            let response = try client.execute(request: request, deadline: .now() + requestTimeout).wait()
            var bytes: [UInt8] = []
            if var buffer = response.body {
                bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
                buffer.clear()
            }
            return .success(Answer(status: response.status.code, body: bytes))
        } catch {
            return .failure(TransportFailure(summary: Self.summary(of: error)))
        }
    }

    /// Closes connections and stops the event loop.
    func shutdown() {
        try? client.syncShutdown()
        try? group.syncShutdownGracefully()
    }

    /// Why a request got no answer, in a few words.
    static func summary(of error: any Error) -> String {
        let text = String(describing: error)
        let lowered = text.lowercased()
        if lowered.contains("connection refused") || lowered.contains("errno: 111") { return "connection refused" }
        if lowered.contains("timeout") || lowered.contains("timedout") || lowered.contains("deadline") { return "timed out" }
        if lowered.contains("certificate") || lowered.contains("handshake") || lowered.contains("ssl") || lowered.contains("tls") {
            return "TLS failed: \(text.prefix(160))"
        }
        if lowered.contains("remoteconnectionclosed") || lowered.contains("connection reset") { return "the connection was closed" }
        return String(text.prefix(160))
    }
}

/// Why a request got no answer.
struct TransportFailure: Error {
    var summary: String
}
