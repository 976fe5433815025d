import Foundation
import SecretsProtocol

/// A get over raw frames, without the client library: the same request and reply as
/// `GetClient`, but the value is compared in the decoded reply instead of being copied into
/// locked memory. Its latency minus the floor's is the agent's own cost; `GetClient`'s
/// minus this one is the client library's.
final class RawGetClient: RoundTripClient {
    private let socket: FramedSocket
    private let secret: BenchSecret
    private var request = SecretsAgent_V1_Request()

    /// Connects to the agent at `socketPath` and says Hello.
    /// - Throws: `.setup` when the agent cannot be reached or does not answer Hello.
    init(socketPath: String, secret: BenchSecret) throws(BenchFailure) {
        guard case .success(let fd)? = try? UnixSocketAddress.connect(socketPath) else {
            throw .setup("cannot connect to the agent at \(socketPath)")
        }
        socket = FramedSocket(fd: fd)
        self.secret = secret
        request.requestID = 1
        request.op = .hello(.with {
            $0.protocolVersion = ProtocolVersion.current
            $0.client = "secrets-agent-bench"
        })
        guard case .hello? = try exchange() else { throw .setup("the agent did not answer Hello") }
        request.op = .get(.with {
            $0.name = secret.name
            $0.environment = secret.environment
        })
    }

    deinit { socket.close() }

    func roundTrip() throws(BenchFailure) {
        request.requestID += 1
        switch try exchange() {
        case .get(let reply)?:
            guard reply.value.elementsEqual(secret.value) else {
                throw .wrongValue("get \(secret.name) returned \(reply.value.count) bytes that differ from the \(secret.value.count) bytes put (the agent returned a wrong value)")
            }
        case .error(let error)?:
            throw .setup("get \(secret.name) failed: \(error.message)")
        default:
            throw .setup("the agent answered get with something other than a value")
        }
    }

    private func exchange() throws(BenchFailure) -> SecretsAgent_V1_Response.OneOf_Result? {
        let response: SecretsAgent_V1_Response?
        do {
            try socket.write(request)
            response = try socket.read(SecretsAgent_V1_Response.self)
        } catch {
            throw .setup("lost the agent: \(error)")
        }
        guard let response, response.requestID == request.requestID else {
            throw .setup("the agent closed the connection or answered out of order")
        }
        return response.result
    }
}
