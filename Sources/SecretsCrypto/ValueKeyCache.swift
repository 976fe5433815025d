internal import CSodium

/// Per-version value keys (DEKs), cached in one locked arena so that reading a hot secret
/// does not unprotect the master key.
///
/// Why: the master key stays `PROT_NONE` between uses (DESIGN §4), so every derivation
/// costs two `mprotect` calls, and under concurrent readers those serialize on the
/// process's memory map and interrupt every CPU to flush TLBs. A DEK opens exactly one
/// version of one value, so caching it exposes no more than that value, which the agent
/// handles in the clear on every read anyway. The arena is one `sodium_malloc` region
/// (locked, guard pages, excluded from core dumps), never swapped, and wiped by
/// `removeAll()` (on lock) and when freed.
///
/// Keyed by the version's random 32-byte salt: DEK = HKDF(MK, salt, …), so a salt names
/// its key uniquely, a rotation brings a new salt, and nothing needs invalidating. A
/// ciphertext moved to another row still fails to open: the associated data, not the
/// key, binds it to its row.
public final class ValueKeyCache: Sendable {
    private static let keyByteCount = 32
    private struct Index {
        var slots: [[UInt8]: Int] = [:]
        var salts: [[UInt8]?]
        var next = 0
    }

    /// Keys held at most; the oldest is replaced when full.
    public let capacity: Int
    private let arena: SecureBytes
    private let index: ReadMostly<Index>

    /// An empty cache of `capacity` keys (32 bytes of locked memory each), in `keyArena`
    /// when given.
    public init(capacity: Int = 4096, keyArena: KeyArena? = nil) {
        precondition(capacity > 0)
        self.capacity = capacity
        arena = SecureBytes(count: capacity * ValueKeyCache.keyByteCount, arena: keyArena)
        index = ReadMostly(Index(salts: Array(repeating: nil, count: capacity)))
    }

    /// Writes the key for `salt` into `key`: from the cache, else from `derive`, which
    /// must fill `key`; a derived key is then cached.
    func key(forSalt salt: [UInt8], into key: UnsafeMutableRawBufferPointer,
             derive: (UnsafeMutableRawBufferPointer) -> Void) {
        precondition(key.count == ValueKeyCache.keyByteCount)
        let hit = index.read { state -> Bool in  // shared: hits do not wait for each other
            guard let slot = state.slots[salt] else { return false }
            copy(fromSlot: slot, into: key)
            return true
        }
        if hit { return }
        derive(key)
        index.write { state in
            guard state.slots[salt] == nil else { return }
            let slot = state.next
            state.next = (slot + 1) % capacity
            if let evicted = state.salts[slot] { state.slots[evicted] = nil }
            state.salts[slot] = salt
            state.slots[salt] = slot
            arena.withUnsafeMutableBytes { raw in
                (raw.baseAddress! + slot * ValueKeyCache.keyByteCount)
                    .copyMemory(from: key.baseAddress!, byteCount: ValueKeyCache.keyByteCount)
            }
        }
    }

    /// How many keys are cached.
    public var count: Int { index.read { $0.slots.count } }

    /// Wipes every cached key.
    public func removeAll() {
        index.write { state in
            state = Index(salts: Array(repeating: nil, count: capacity))
            arena.withUnsafeMutableBytes { raw in sodium_memzero(raw.baseAddress!, raw.count) }
        }
    }

    private func copy(fromSlot slot: Int, into key: UnsafeMutableRawBufferPointer) {
        arena.withUnsafeBytes { raw in  // shared: readers of the arena do not wait for each other
            key.baseAddress!.copyMemory(from: raw.baseAddress! + slot * ValueKeyCache.keyByteCount,
                                        byteCount: ValueKeyCache.keyByteCount)
        }
    }
}
