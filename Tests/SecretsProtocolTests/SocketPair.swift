import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A connected AF_UNIX stream pair. Both ends time out reads after 5 s, so a reader that
/// wrongly waits for more bytes fails the test instead of hanging it.
func makeSocketPair() throws -> (Int32, Int32) {
    var fds: [Int32] = [-1, -1]
    guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
        throw POSIXError(.init(rawValue: errno) ?? .EIO)
    }
    var timeout = timeval(tv_sec: 5, tv_usec: 0)
    for fd in fds {
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }
    return (fds[0], fds[1])
}

/// Writes all of `bytes` to the socket `fd`; returns false on error. Uses MSG_NOSIGNAL so a
/// reader that gave up early fails the test instead of killing the process with SIGPIPE.
@discardableResult
func writeRaw(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    var offset = 0
    return bytes.withUnsafeBytes { raw in
        while offset < raw.count {
            let n = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }
}

/// Runs `body` on its own thread; `join()` waits for it and returns what it returned.
final class TestThread<Result: Sendable>: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let result = Mutex<Result?>(nil)

    init(_ body: @escaping @Sendable () -> Result) {
        let thread = Thread { [self] in
            let value = body()
            result.withLock { $0 = value }
            done.signal()
        }
        thread.start()
    }

    /// Waits up to 30 s; nil if the thread did not finish.
    func join() -> Result? {
        guard done.wait(timeout: .now() + 30) == .success else { return nil }
        return result.withLock { $0 }
    }
}

/// Reads and discards whatever is left on `fd` until the peer closes (or the 5 s receive
/// timeout), so a writer thread blocked on a full socket can finish before the reader closes.
func drain(_ fd: Int32) {
    var scratch = [UInt8](repeating: 0, count: 64 * 1024)
    while scratch.withUnsafeMutableBytes({ read(fd, $0.baseAddress!, $0.count) }) > 0 {}
}

/// A reproducible generator (SplitMix64), so a failing random case can be replayed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
