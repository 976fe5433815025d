import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SecretsCore
import SecretsProtocol
import Synchronization

/// A stand-in agent on a temporary socket: it accepts one connection, records each request
/// and answers it as the test's script says. Only what the client sees is under test.
final class FakeAgent: Sendable {
    /// What to do with one request.
    enum Reply: Sendable {
        /// Send this result, echoing the request id.
        case result(SecretsAgent_V1_Response.OneOf_Result)
        /// Send this response as is.
        case response(SecretsAgent_V1_Response)
        /// Send these bytes as they are.
        case raw([UInt8])
        /// Send these bytes, then close the connection.
        case rawThenClose([UInt8])
        /// Close the connection without answering.
        case close
    }

    let socketPath: String
    private let directory: TestDirectory
    private let state: State

    /// What the thread shares with the test.
    private final class State: Sendable {
        let listener: Int32
        let connection = Mutex<Int32>(-1)
        let received = Mutex<[SecretsAgent_V1_Request]>([])
        let done = DispatchSemaphore(value: 0)
        init(listener: Int32) { self.listener = listener }
    }

    /// Listens on a new socket; `script` answers each request in turn.
    init(_ script: @escaping @Sendable (SecretsAgent_V1_Request) -> Reply) throws {
        directory = try TestDirectory()
        socketPath = directory.path + "/agent.sock"
        var address = try UnixSocketAddress.make(socketPath)
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard listener >= 0, bound == 0, listen(listener, 4) == 0 else {
            let failure = errno
            if listener >= 0 { close(listener) }
            throw POSIXError(.init(rawValue: failure) ?? .EIO)
        }
        let state = State(listener: listener)
        self.state = state
        Thread {
            defer { state.done.signal() }
            let fd = accept(state.listener, nil, nil)
            guard fd >= 0 else { return }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            state.connection.withLock { $0 = fd }
            let socket = FramedSocket(fd: fd)
            defer { state.connection.withLock { $0 = -1 }; socket.close() }
            while let request = try? socket.read(SecretsAgent_V1_Request.self) {
                state.received.withLock { $0.append(request) }
                switch script(request) {
                case .result(let result):
                    var response = SecretsAgent_V1_Response()
                    response.requestID = request.requestID
                    response.result = result
                    guard (try? socket.write(response)) != nil else { return }
                case .response(let response):
                    guard (try? socket.write(response)) != nil else { return }
                case .raw(let bytes):
                    guard (try? socket.writeAll(bytes)) != nil else { return }
                case .rawThenClose(let bytes):
                    _ = try? socket.writeAll(bytes)
                    return
                case .close:
                    return
                }
            }
        }.start()
    }

    deinit {
        shutdown(state.listener, Int32(SHUT_RDWR))  // wakes a thread still in accept
        state.connection.withLock { fd in if fd >= 0 { shutdown(fd, Int32(SHUT_RDWR)) } }
        _ = state.done.wait(timeout: .now() + 10)
        close(state.listener)
    }

    /// The requests received so far, in order.
    var received: [SecretsAgent_V1_Request] { state.received.withLock { $0 } }

    /// The usual answer to Hello.
    static func helloReply(locked: Bool = false) -> SecretsAgent_V1_Response.OneOf_Result {
        var hello = SecretsAgent_V1_HelloReply()
        hello.agentVersion = "0.1.0-fake"
        hello.protocolVersion = 1
        hello.locked = locked
        return .hello(hello)
    }

    /// A script that answers Hello and then hands every other request to `rest`.
    static func afterHello(_ rest: @escaping @Sendable (SecretsAgent_V1_Request) -> Reply) -> @Sendable (SecretsAgent_V1_Request) -> Reply {
        { request in
            if case .hello = request.op { return .result(helloReply()) }
            return rest(request)
        }
    }
}
