import SecretsProtocol

/// A Swift floor client: sends a frame as large as a real get request and waits for the echo
/// server's reply, checking only its length.
final class EchoClient: RoundTripClient {
    private let socket: FramedSocket
    private let requestFrame: [UInt8]
    private let replyBodyByteCount: Int

    /// Connects to the echo server at `socketPath`.
    /// - Throws: `.setup` when nothing answers there.
    init(socketPath: String, requestBodyByteCount: Int, replyBodyByteCount: Int) throws(BenchFailure) {
        let connected: Result<Int32, UnixSocketAddress.Errno>
        do {
            connected = try UnixSocketAddress.connect(socketPath)
            requestFrame = try FrameCodec.frame([UInt8](repeating: 0xA5, count: requestBodyByteCount))
        } catch {
            throw .setup("cannot reach the echo server at \(socketPath): \(error)")
        }
        switch connected {
        case .success(let fd): socket = FramedSocket(fd: fd)
        case .failure(let errno): throw .setup("cannot reach the echo server at \(socketPath): \(errno)")
        }
        self.replyBodyByteCount = replyBodyByteCount
    }

    deinit { socket.close() }

    func roundTrip() throws(BenchFailure) {
        let body: ArraySlice<UInt8>?
        do {
            try socket.writeAll(requestFrame)
            body = try socket.readFrameBody()
        } catch {
            throw .setup("lost the echo server: \(error)")
        }
        guard let body, body.count == replyBodyByteCount else {
            throw .setup("the echo server closed the connection or sent a short reply")
        }
    }
}
