#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import SecretsCore

/// Copies one of the child's output streams to the CLI's, through the redactor: every
/// chunk read is written as soon as it is redacted, except a tail that could be the start
/// of a secret (at most the longest value − 1 bytes), so there is no added latency beyond
/// one read and memory stays bounded.
final class RedactingPump: @unchecked Sendable {
    // @unchecked Sendable: `redactor` is only touched under its mutex; the descriptors are
    // immutable; `finished` is atomic.
    let source: Int32
    let destination: Int32
    private let redactor: Mutex<Redactor>
    private let childEnded = Atomic<Bool>(false)
    private let done = Atomic<Bool>(false)

    init(source: Int32, destination: Int32, patterns: [Redactor.Pattern]) {
        self.source = source
        self.destination = destination
        redactor = Mutex(Redactor(patterns: patterns))
    }

    /// Swaps in a new set of values (after a rotation) without losing what is held back:
    /// the tail the old redactor kept is fed to the new one.
    func replacePatterns(_ patterns: [Redactor.Pattern]) {
        redactor.withLock { current in
            let held = current.finish()
            current = Redactor(patterns: patterns)
            let out = current.feed(held)
            write(out)
        }
    }

    /// The child is gone: drain what is left, then stop.
    func childDidEnd() { childEnded.store(true, ordering: .relaxed) }

    var isDone: Bool { done.load(ordering: .relaxed) }

    /// Runs until the source ends, or the child ended and the source stayed quiet for
    /// 200 ms (a grandchild may still hold it open).
    func run() {
        defer { done.store(true, ordering: .relaxed) }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        defer { _ = buffer.withUnsafeMutableBytes { $0.initializeMemory(as: UInt8.self, repeating: 0) } }
        while true {
            var descriptor = pollfd(fd: source, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 200)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if ready == 0 {
                if childEnded.load(ordering: .relaxed) { break }
                continue
            }
            let count = buffer.withUnsafeMutableBytes { Glibc.read(source, $0.baseAddress!, $0.count) }
            if count < 0, errno == EINTR || errno == EAGAIN { continue }
            guard count > 0 else { break }  // EOF, or EIO from a pty whose slave closed
            redactor.withLock { redactor in
                let out = buffer.withUnsafeBytes { redactor.feed(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                write(out)
            }
        }
        redactor.withLock { redactor in write(redactor.finish()) }
    }

    private func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(destination, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return }
            offset += n
        }
    }
}
