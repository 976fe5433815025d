import Foundation
import Logging
import SecretsCore
import SecretsProtocol

/// Serves one client connection on its own thread until the client leaves, sends a bad
/// frame, is refused, or the agent stops.
struct Connection {
    let fd: Int32
    let dispatcher: RequestDispatcher
    let logger: Logger

    func serve() {
        let socket = FramedSocket(fd: fd)
        defer { socket.close() }
        let identity: PeerIdentity
        do {
            identity = PeerIdentity.resolve(try PeerCredentials.of(socket: fd))
        } catch {
            logger.warning("dropping connection: \(error.message)")
            return
        }
        let peer = identity.credentials
        var session = Session(peer: identity)
        if case .failure(let denial) = dispatcher.authorizer.grant(for: identity) {
            logger.notice("denied", metadata: ["agent.peer.uid": "\(peer.uid)", "agent.peer.pid": "\(peer.pid)"])
            var context = AuditContext()
            context.operation = "connect"
            try? dispatcher.audit.record(context.record(identity, outcome: .denied, error: denial, nowUnixMs: Clock.nowUnixMs()))
            // Tell the peer why (on its first request), then hang up.
            if let request = try? socket.read(SecretsAgent_V1_Request.self) {
                try? socket.write(Connection.errorResponse(denial, requestID: request.requestID))
            }
            return
        }
        while true {
            let request: SecretsAgent_V1_Request
            do {
                guard let next = try socket.read(SecretsAgent_V1_Request.self) else { return }
                request = next
            } catch {
                reject(error, on: socket, peer: peer)
                return
            }
            var response = dispatcher.respond(to: request, in: &session)
            let sent = (try? socket.write(response)) != nil
            if case .get = response.result { response.get.value.resetBytes(in: 0..<response.get.value.count) }
            guard sent else { return }
        }
    }

    /// Answers a malformed frame where the stream still allows it; the caller then closes.
    private func reject(_ error: FrameError, on socket: FramedSocket, peer: PeerCredentials) {
        switch error {
        case .zeroLength, .oversize, .undecodable:
            logger.notice("closing connection: \(error)", metadata: ["agent.peer.uid": "\(peer.uid)", "agent.peer.pid": "\(peer.pid)"])
            let failure = SecretsError.invalidArgument("bad frame: \(error) (frames are a 4-byte big-endian length, 1 byte to 1 MiB, then one protobuf Request)")
            try? socket.write(Connection.errorResponse(failure, requestID: 0))
        case .truncated, .io:
            logger.debug("connection ended: \(error)", metadata: ["agent.peer.uid": "\(peer.uid)"])
        }
    }

    static func errorResponse(_ error: SecretsError, requestID: UInt64) -> SecretsAgent_V1_Response {
        var response = SecretsAgent_V1_Response()
        response.requestID = requestID
        response.result = .error(error.wire)
        return response
    }
}
