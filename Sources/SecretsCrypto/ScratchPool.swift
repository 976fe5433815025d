internal import CSodium
internal import Synchronization

/// Locked scratch memory for per-request crypto (a value's key and plaintext), reused
/// rather than allocated per request: every `sodium_malloc` maps, locks and guards fresh
/// pages and every `sodium_free` unmaps them, which costs far more than the cryptography
/// and, in a threaded agent, interrupts every CPU to flush its TLB. Slots are wiped
/// before they are handed back, so nothing outlives the request that used it.
///
/// A slot is taken and given back with one atomic operation each on a bitmask of busy
/// slots, not under a lock: with 8 clients on 2 CPUs, a `Mutex` around an idle list here
/// was a tenth of the agent's CPU time, spent spinning (measured with `perf`).
final class ScratchPool: Sendable {
    /// 8 slots of 32 bytes plus one 64 KiB value, in the shared key arena: about 0.5 MiB
    /// of locked memory, allocated at first use.
    static let shared = ScratchPool(slotCount: 8, slotByteCount: 32 + 64 * 1024, arena: .shared)

    private let slots: [SecureBytes]
    private let slotByteCount: Int
    /// Bit i set: `slots[i]` is lent out.
    private let busy = Atomic<UInt64>(0)

    init(slotCount: Int, slotByteCount: Int, arena: KeyArena? = nil) {
        precondition(slotCount > 0 && slotCount <= UInt64.bitWidth)
        self.slotByteCount = slotByteCount
        slots = (0..<slotCount).map { _ in SecureBytes(count: slotByteCount, arena: arena) }
    }

    /// Lends `byteCount` bytes of zeroed locked memory to `body` and wipes them afterwards.
    /// Requests larger than a slot, or made while every slot is lent out, get memory of
    /// their own.
    func withScratch<R>(byteCount: Int, _ body: (UnsafeMutableRawBufferPointer) -> R) -> R {
        guard byteCount <= slotByteCount, let index = take() else {
            return SecureBytes(count: byteCount).withUnsafeMutableBytes(body)
        }
        defer { busy.bitwiseAnd(~(UInt64(1) << index), ordering: .releasing) }
        return slots[index].withUnsafeMutableBytes { raw in
            let view = UnsafeMutableRawBufferPointer(rebasing: raw[0..<byteCount])
            defer { if byteCount > 0 { sodium_memzero(view.baseAddress!, byteCount) } }
            return body(view)
        }
    }

    /// How many slots are lent out now.
    var lentCount: Int { busy.load(ordering: .relaxed).nonzeroBitCount }

    /// Marks the lowest free slot busy. - Returns: its index; nil when all are lent out.
    private func take() -> Int? {
        var mask = busy.load(ordering: .relaxed)
        while true {
            let index = (~mask).trailingZeroBitCount
            guard index < slots.count else { return nil }
            let (exchanged, current) = busy.compareExchange(expected: mask, desired: mask | (UInt64(1) << index),
                                                            ordering: .acquiring)
            if exchanged { return index }
            mask = current
        }
    }
}
