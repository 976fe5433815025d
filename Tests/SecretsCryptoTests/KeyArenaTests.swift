import Foundation
import Testing
@testable import SecretsCrypto

@Suite struct KeyArenaTests {
    @Test func allocationsShareOneLockedRegionOnPageBoundaries() throws {
        let arena = KeyArena(byteCount: 64 * 1024)
        #expect(arena.isLocked, "root (or a sufficient RLIMIT_MEMLOCK) can lock 64 KiB")
        let first = SecureBytes(count: 32, protectWhenIdle: true, arena: arena)
        let second = SecureBytes(count: arena.pageSize + 1, arena: arena)
        #expect(first.isInArena && second.isInArena)
        let firstAddress = first.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
        let secondAddress = second.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
        #expect(firstAddress % UInt(arena.pageSize) == 0)
        #expect(secondAddress == firstAddress + UInt(arena.pageSize), "the next free run follows the first page")
        #expect(arena.bytesInUse == 3 * arena.pageSize)
    }

    @Test func releasedPagesAreWipedAndReused() {
        let arena = KeyArena(byteCount: 4 * 4096)
        var address: UInt = 0
        do {
            let key = SecureBytes(copying: [UInt8](repeating: 0xA5, count: 32), arena: arena)
            address = key.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
        }
        #expect(arena.bytesInUse == 0)
        let reused = SecureBytes(count: 32, arena: arena)
        #expect(reused.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) } == address)
        #expect(reused.copyToArray() == [UInt8](repeating: 0, count: 32), "the previous key's bytes are gone")
    }

    @Test func aFullArenaFallsBackToMemoryOfItsOwnAndCountsIt() {
        let arena = KeyArena(byteCount: 4096)
        let pages = arena.byteCount / arena.pageSize
        let held = (0..<pages).map { _ in SecureBytes(count: 1, arena: arena) }
        #expect(held.allSatisfy { $0.isInArena })
        let overflow = SecureBytes(copying: [1, 2, 3], arena: arena)
        #expect(!overflow.isInArena)
        #expect(overflow.copyToArray() == [1, 2, 3])
        #expect(arena.overflowCount == 1)
    }

#if os(Linux)
    @Test func idleArenaPagesAreInaccessibleAndExcludedFromCoreDumps() throws {
        let arena = KeyArena(byteCount: 16 * 1024)
        let key = SecureBytes.random(count: 32, protectWhenIdle: true, arena: arena)
        let address = key.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
        let idle = try MemoryMapping.containing(address)
        #expect(idle.permissions == "---p")
        #expect(idle.flags.contains("dd"))
        #expect(idle.flags.contains("lo"), "the arena's pages are mlocked")
        key.withUnsafeBytes { _ in #expect((try? MemoryMapping.containing(address).permissions) == "r--p") }
        // A page nobody holds is inaccessible too.
        let free = address + UInt(arena.pageSize)
        #expect((try MemoryMapping.containing(free)).permissions == "---p")
    }
#endif
}
