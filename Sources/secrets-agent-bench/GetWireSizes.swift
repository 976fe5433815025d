import Foundation
import SecretsProtocol

/// The frame body sizes of a real get, measured on the wire, so the floor moves exactly
/// as many bytes per round trip as the agent does.
struct GetWireSizes: Sendable {
    /// Bytes of a serialized get Request (the first get on a connection, request id 2).
    let requestBodyByteCount: Int
    /// Bytes of the agent's serialized get Response for the bench secret.
    let replyBodyByteCount: Int

    /// Says Hello and does one get over a raw framed connection, checking the value.
    /// - Throws: `.setup` when the exchange fails, `.wrongValue` when the value differs.
    static func probe(socketPath: String, secret: BenchSecret) throws(BenchFailure) -> GetWireSizes {
        let socket: FramedSocket
        do {
            guard case .success(let fd) = try UnixSocketAddress.connect(socketPath) else {
                throw BenchFailure.setup("cannot connect to the agent at \(socketPath)")
            }
            socket = FramedSocket(fd: fd)
        } catch let error as BenchFailure {
            throw error
        } catch {
            throw .setup("cannot connect to the agent at \(socketPath): \(error)")
        }
        defer { socket.close() }

        var hello = SecretsAgent_V1_Request()
        hello.requestID = 1
        hello.op = .hello(.with {
            $0.protocolVersion = ProtocolVersion.current
            $0.client = "secrets-agent-bench"
        })
        var get = SecretsAgent_V1_Request()
        get.requestID = 2
        get.op = .get(.with {
            $0.name = secret.name
            $0.environment = secret.environment
        })
        do {
            try socket.write(hello)
            guard case .hello? = try socket.read(SecretsAgent_V1_Response.self)?.result else {
                throw BenchFailure.setup("the agent did not answer Hello")
            }
            let requestBody: [UInt8] = try get.serializedBytes()
            try socket.write(get)
            guard let replyBody = try socket.readFrameBody() else {
                throw BenchFailure.setup("the agent closed the connection instead of answering get")
            }
            let response = try replyBody.withUnsafeBytes { raw in
                // A view of the read buffer (which the socket wipes on close), not a copy.
                let view = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: raw.baseAddress!), count: raw.count, deallocator: .none)
                return try SecretsAgent_V1_Response(serializedBytes: view)
            }
            switch response.result {
            case .get(let reply)?:
                guard reply.value.elementsEqual(secret.value) else {
                    throw BenchFailure.wrongValue("the agent's raw get reply holds \(reply.value.count) bytes that differ from the \(secret.value.count) bytes put")
                }
            case .error(let error)?:
                throw BenchFailure.setup("the agent refused get \(secret.name): \(error.message)")
            default:
                throw BenchFailure.setup("the agent answered get with something other than a value")
            }
            return GetWireSizes(requestBodyByteCount: requestBody.count, replyBodyByteCount: replyBody.count)
        } catch let error as BenchFailure {
            throw error
        } catch {
            throw .setup("the probe get failed: \(error)")
        }
    }
}
