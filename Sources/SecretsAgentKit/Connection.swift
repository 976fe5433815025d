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
                guard let next = try socket.readRequest() else { return }
                request = next
            } catch {
                reject(error, on: socket, peer: peer)
                return
            }
            var response = dispatcher.respond(to: request, in: &session)
            let sent = send(response, on: socket, peer: peer)
            response.wipeSecrets()
            guard sent else { return }
            if let watch = session.watch {
                stream(watch, on: socket)
                return
            }
        }
    }

    /// After a Watch: sends each change event until the client closes the connection (or
    /// sends anything more), the agent stops, or the client falls too far behind.
    private func stream(_ watch: Session.Watch, on socket: FramedSocket) {
        defer { dispatcher.changes.unsubscribe(watch.subscription) }
        while true {
            let ready = ChangeStreamPoll.wait(client: fd, events: watch.subscription.wakeFD)
            if ready.client { return }
            guard ready.events else { continue }
            let (events, overflowed) = watch.subscription.drain()
            for event in events {
                var response = SecretsAgent_V1_Response()
                response.requestID = watch.requestID
                response.result = .change(event)
                guard (try? socket.write(response)) != nil else { return }
            }
            if overflowed {
                let failure = SecretsError.resourceExhausted("watcher fell more than \(ChangeHub.queueLimit) events behind (read events promptly, then watch again)")
                try? socket.write(Connection.errorResponse(failure, requestID: watch.requestID))
                return
            }
        }
    }

    /// Writes `response`; one too large for a frame is answered with an error instead, and
    /// the connection stays open. - Returns: false when the connection is lost.
    private func send(_ response: SecretsAgent_V1_Response, on socket: FramedSocket, peer: PeerCredentials) -> Bool {
        do {
            try socket.writeResponse(response)
            return true
        } catch .oversize(let size) {
            logger.notice("reply too large: \(size) bytes", metadata: ["agent.peer.uid": "\(peer.uid)", "agent.peer.pid": "\(peer.pid)"])
            let failure = SecretsError.resourceExhausted("the reply is \(size) bytes, over the 1 MiB frame limit (ask for less at once: fewer names in a batch)")
            return (try? socket.write(Connection.errorResponse(failure, requestID: response.requestID))) != nil
        } catch {
            return false
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
