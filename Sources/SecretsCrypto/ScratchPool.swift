internal import CSodium
internal import Synchronization

/// Locked scratch memory for per-request crypto (a value's key and plaintext), reused
/// rather than allocated per request: every `sodium_malloc` maps, locks and guards fresh
/// pages and every `sodium_free` unmaps them, which costs far more than the cryptography
/// and, in a threaded agent, interrupts every CPU to flush its TLB. Slots are wiped
/// before they are handed back, so nothing outlives the request that used it.
final class ScratchPool: Sendable {
    /// Up to 8 idle slots of 32 bytes plus one 64 KiB value, in the shared key arena:
    /// about 0.5 MiB of locked memory.
    static let shared = ScratchPool(idleSlots: 8, slotByteCount: 32 + 64 * 1024, arena: .shared)

    private let idleSlots: Int
    private let slotByteCount: Int
    private let arena: KeyArena?
    private let idle = Mutex<[SecureBytes]>([])

    init(idleSlots: Int, slotByteCount: Int, arena: KeyArena? = nil) {
        self.idleSlots = idleSlots
        self.slotByteCount = slotByteCount
        self.arena = arena
    }

    /// Lends `byteCount` bytes of zeroed locked memory to `body` and wipes them afterwards.
    /// Requests larger than a slot get memory of their own.
    func withScratch<R>(byteCount: Int, _ body: (UnsafeMutableRawBufferPointer) -> R) -> R {
        guard byteCount <= slotByteCount else {
            return SecureBytes(count: byteCount).withUnsafeMutableBytes(body)
        }
        let slot = idle.withLock { $0.popLast() } ?? SecureBytes(count: slotByteCount, arena: arena)
        defer {
            idle.withLock { slots in
                if slots.count < idleSlots { slots.append(slot) }
            }
        }
        return slot.withUnsafeMutableBytes { raw in
            let view = UnsafeMutableRawBufferPointer(rebasing: raw[0..<byteCount])
            defer { if byteCount > 0 { sodium_memzero(view.baseAddress!, byteCount) } }
            return body(view)
        }
    }
}
