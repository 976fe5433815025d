internal import CBenchFloor
#if canImport(Glibc)
import Glibc
#endif

/// The C floor's server (CBenchFloor): the framed echo of `EchoServer`, written in C, so
/// the floor the targets judge against is the least any server could cost.
final class CFloorServer: @unchecked Sendable {
    // @unchecked Sendable: `server` is set once in init and used only by `stop()`, which
    // the owner calls once, after every client is done.
    /// Where it listens.
    let socketPath: String
    private var server: OpaquePointer?

    /// Listens at `socketPath` and answers every frame with `replyBodyByteCount` bytes.
    /// - Throws: `.setup` when the socket cannot be bound or the thread not started.
    init(socketPath: String, replyBodyByteCount: Int) throws(BenchFailure) {
        guard let server = cbf_server_start(socketPath, UInt32(replyBodyByteCount)) else {
            throw .setup("cannot start the C floor on \(socketPath): \(String(cString: strerror(errno)).lowercased()) (check the temporary directory)")
        }
        self.socketPath = socketPath
        self.server = server
    }

    /// Stops accepting and removes the socket. Safe to call twice.
    func stop() {
        cbf_server_stop(server)
        server = nil
    }
}
