#if canImport(Glibc)
import Glibc
#endif
import SecretsProtocol

/// The Swift floor: the least a server speaking this protocol could do in Swift. Same
/// framing code, socket type and one-thread-per-connection blocking I/O as the agent, but
/// no decoding, no lookup, no decryption: read a frame body, write a prebuilt frame the
/// size of a real get reply. `CFloorServer` is the same in C.
final class EchoServer: Sendable {
    /// Where it listens.
    let socketPath: String
    private let listenFD: Int32

    /// Listens at `socketPath` and answers every frame with `replyBodyByteCount` bytes.
    /// - Throws: `.setup` when the socket cannot be bound or the accept thread not started.
    static func start(socketPath: String, replyBodyByteCount: Int) throws(BenchFailure) -> EchoServer {
        let replyFrame: [UInt8]
        do {
            replyFrame = try FrameCodec.frame([UInt8](repeating: 0x5A, count: replyBodyByteCount))
        } catch {
            throw .setup("cannot build an echo reply of \(replyBodyByteCount) bytes: \(error)")
        }
        var address: sockaddr_un
        do {
            address = try UnixSocketAddress.make(socketPath)
        } catch {
            throw .setup("cannot listen on \(socketPath): \(error)")
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .setup("cannot create the echo socket: \(String(cString: strerror(errno)))") }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw .setup("cannot listen on \(socketPath): \(reason) (check the temporary directory)")
        }
        let server = EchoServer(socketPath: socketPath, listenFD: fd)
        do {
            try BenchThread.detach { Self.acceptLoop(listenFD: fd, replyFrame: replyFrame) }
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    private init(socketPath: String, listenFD: Int32) {
        self.socketPath = socketPath
        self.listenFD = listenFD
    }

    /// Stops accepting (open connections end when their clients close) and removes the socket.
    func stop() {
        unlink(socketPath)
        shutdown(listenFD, Int32(SHUT_RDWR))  // wakes the blocked accept, which then closes it
    }

    private static func acceptLoop(listenFD: Int32, replyFrame: [UInt8]) {
        defer { close(listenFD) }
        while true {
            let fd = accept(listenFD, nil, nil)
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)  // accept4 is not visible from Swift's Glibc
            do {
                try BenchThread.detach { serve(FramedSocket(fd: fd), replyFrame: replyFrame) }
            } catch {
                close(fd)  // the client sees EOF and reports it
            }
        }
    }

    private static func serve(_ socket: FramedSocket, replyFrame: [UInt8]) {
        defer { socket.close() }
        do {
            while try socket.readFrameBody() != nil {
                try socket.writeAll(replyFrame)
            }
        } catch {
            return  // a client that breaks off ends only its own connection
        }
    }
}
