internal import CBenchFloor
#if canImport(Glibc)
import Glibc
#endif

/// A C floor client (CBenchFloor): sends frames as large as a real get request and checks
/// the size of each reply. Both measuring loops run in C, so the C floor has no Swift in it.
final class CFloorClient: RoundTripClient {
    private let client: OpaquePointer
    private let socketPath: String

    /// Connects to the C floor at `socketPath`.
    /// - Throws: `.setup` when nothing answers there.
    init(socketPath: String, requestBodyByteCount: Int, replyBodyByteCount: Int) throws(BenchFailure) {
        guard let client = cbf_client_connect(socketPath, UInt32(requestBodyByteCount), UInt32(replyBodyByteCount)) else {
            throw .setup("cannot reach the C floor at \(socketPath): \(Self.reason())")
        }
        self.client = client
        self.socketPath = socketPath
    }

    deinit { cbf_client_close(client) }

    func roundTrip() throws(BenchFailure) {
        var nanoseconds: UInt64 = 0
        guard cbf_client_round_trips(client, 1, &nanoseconds) == 0 else { throw lost() }
    }

    func timedRoundTrips(_ count: Int, appendingTo times: inout [UInt64]) throws(BenchFailure) {
        guard count > 0 else { return }
        let start = times.count
        times.append(contentsOf: repeatElement(0, count: count))
        let result = times.withUnsafeMutableBufferPointer { buffer in
            cbf_client_round_trips(client, count, buffer.baseAddress! + start)
        }
        guard result == 0 else { throw lost() }
    }

    func roundTrips(until deadline: UInt64) throws(BenchFailure) -> (requests: Int, end: UInt64) {
        var requests: UInt64 = 0
        var end: UInt64 = 0
        guard cbf_client_run_until(client, deadline, &requests, &end) == 0 else { throw lost() }
        return (Int(requests), end)
    }

    private func lost() -> BenchFailure {
        .setup("lost the C floor at \(socketPath): \(Self.reason())")
    }

    private static func reason() -> String {
        errno == EPROTO ? "it closed the connection or sent a reply of another size"
            : String(cString: strerror(errno)).lowercased()
    }
}
