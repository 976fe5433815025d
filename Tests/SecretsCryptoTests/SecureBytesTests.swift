import Foundation
import SecretsCrypto
import Synchronization
import Testing

@Suite struct SecureBytesTests {
    @Test func newBytesAreZeroAndCountZeroWorks() {
        #expect(SecureBytes(count: 16).copyToArray() == [UInt8](repeating: 0, count: 16))
        let empty = SecureBytes(count: 0, protectWhenIdle: true)
        #expect(empty.count == 0)
        #expect(empty.copyToArray() == [])
        #expect(empty.withUnsafeMutableBytes { $0.count } == 0)
        #expect(empty.constantTimeEquals(SecureBytes(count: 0)))
    }

    @Test func copyingInitializersCopyTheBytes() {
        let source: [UInt8] = [1, 2, 3, 250]
        #expect(SecureBytes(copying: source).copyToArray() == source)
        #expect(SecureBytes(copying: source[1...]).copyToArray() == [2, 3, 250])
        #expect(source.withUnsafeBytes { SecureBytes(copying: $0, protectWhenIdle: true) }.copyToArray() == source)
    }

    @Test func mutableAccessWritesThrough() {
        let bytes = SecureBytes(count: 4, protectWhenIdle: true)
        bytes.withUnsafeMutableBytes { $0[2] = 0x7f }
        #expect(bytes.copyToArray() == [0, 0, 0x7f, 0])
    }

    @Test func randomIsNotZeroAndNotRepeated() {
        let first = SecureBytes.random(count: 32)
        let second = SecureBytes.random(count: 32, protectWhenIdle: true)
        #expect(first.count == 32)
        #expect(first.copyToArray().contains { $0 != 0 })
        #expect(!first.constantTimeEquals(second))
    }

    @Test func constantTimeEqualsComparesContentAndLength() {
        let bytes = SecureBytes(copying: [1, 2, 3])
        #expect(bytes.constantTimeEquals(SecureBytes(copying: [1, 2, 3], protectWhenIdle: true)))
        #expect(bytes.constantTimeEquals(bytes))
        #expect(!bytes.constantTimeEquals(SecureBytes(copying: [1, 2, 4])))
        #expect(!bytes.constantTimeEquals(SecureBytes(copying: [1, 2])))
        #expect(!bytes.constantTimeEquals(SecureBytes(copying: [1, 2, 3, 0])))
    }

    @Test func everyTextualFormIsRedacted() {
        let bytes = SecureBytes(copying: Array("hunter2-password".utf8))
        #expect(bytes.description == "[REDACTED]")
        #expect(bytes.debugDescription == "[REDACTED]")
        #expect(String(describing: bytes) == "[REDACTED]")
        #expect(String(reflecting: bytes) == "[REDACTED]")
        #expect("\(bytes)" == "[REDACTED]")
        #expect(Mirror(reflecting: bytes).children.isEmpty)
        var dumped = ""
        dump(bytes, to: &dumped)
        #expect(dumped == "- [REDACTED] #0\n")
        var dumpedInside = ""
        dump(["key": bytes], to: &dumpedInside)
        #expect(dumpedInside.contains("[REDACTED]") && !dumpedInside.contains("hunter2"))
    }

    /// Counts events from several threads.
    private final class Tally: Sendable {
        private let state = Mutex((current: 0, maximum: 0, failures: 0))

        func enter() { state.withLock { $0.current += 1; $0.maximum = max($0.maximum, $0.current) } }
        func leave() { state.withLock { $0.current -= 1 } }
        func fail() { state.withLock { $0.failures += 1 } }
        var maximum: Int { state.withLock { $0.maximum } }
        var failures: Int { state.withLock { $0.failures } }
    }

    /// Runs `body(index)` on `count` separate threads and waits for all of them.
    private func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            Thread {
                body(index)
                group.leave()
            }.start()
        }
        group.wait()
    }

    @Test func protectedBytesServeConcurrentReaders() throws {
        let expected: [UInt8] = Array(0..<64)
        let secret = SecureBytes(copying: expected, protectWhenIdle: true)
        let tally = Tally()
        onThreads(8) { _ in
            for _ in 0..<20 {
                secret.withUnsafeBytes { bytes in
                    tally.enter()
                    defer { tally.leave() }
                    usleep(500)
                    if !bytes.elementsEqual(expected) { tally.fail() }
                }
            }
        }
        #expect(tally.failures == 0)
        #expect(tally.maximum > 1, "readers never overlapped")
        #if os(Linux)
        #expect(try MemoryMapping.of(secret).permissions == "---p")
        #endif
    }

    @Test func writersExcludeReaders() {
        let secret = SecureBytes(count: 256, protectWhenIdle: true)
        let tally = Tally()
        onThreads(4) { index in
            for round in 0..<300 {
                if index == 0 {
                    secret.withUnsafeMutableBytes { bytes in
                        for offset in bytes.indices { bytes[offset] = UInt8(truncatingIfNeeded: round) }
                    }
                } else {
                    secret.withUnsafeBytes { bytes in
                        if bytes.contains(where: { $0 != bytes[0] }) { tally.fail() }
                    }
                }
            }
        }
        #expect(tally.failures == 0, "a reader saw a half-written buffer")
    }

#if os(Linux)
    @Test func idleProtectionFollowsAccess() {
        let secret = SecureBytes(copying: [1, 2, 3], protectWhenIdle: true)
        let address = secret.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
        func permissions() -> String? { try? MemoryMapping.containing(address).permissions }
        #expect(permissions() == "---p")
        secret.withUnsafeBytes { _ in
            #expect(permissions() == "r--p")
            secret.withUnsafeBytes { _ in #expect(permissions() == "r--p") }
            #expect(permissions() == "r--p")
        }
        secret.withUnsafeMutableBytes { _ in #expect(permissions() == "rw-p") }
        #expect(permissions() == "---p")
    }

    @Test func unprotectedBytesStayReadableAndAllAreExcludedFromCoreDumps() throws {
        let plain = try MemoryMapping.of(SecureBytes.random(count: 32))
        let protected = try MemoryMapping.of(SecureBytes.random(count: 5000, protectWhenIdle: true))
        #expect(plain.permissions == "rw-p")
        #expect(plain.flags.contains("dd"))
        #expect(protected.flags.contains("dd"))
    }
#endif
}
