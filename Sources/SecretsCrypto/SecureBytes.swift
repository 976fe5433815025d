internal import CSodium
internal import Synchronization

/// A fixed-size buffer for key material and secret values, in memory that never reaches
/// swap or a core file and is zeroed when freed.
///
/// The bytes live in a `sodium_malloc` region (guard pages, canary, `mlock`ed) marked
/// `MADV_DONTDUMP`; `deinit` releases it with `sodium_free`, which zeroes it first. Given a
/// `KeyArena`, they live in pages of that arena instead, which are wiped and made
/// inaccessible when released.
/// With `protectWhenIdle` the region is also `mprotect`ed to no access whenever no caller
/// is inside `withUnsafeBytes` or `withUnsafeMutableBytes`.
///
/// The bytes are reachable only through those two methods; `description`,
/// `debugDescription` and `customMirror` show `[REDACTED]`.
///
/// Thread safety: any number of threads may read at once; mutable access is exclusive.
/// Calling `withUnsafeMutableBytes` from inside an access to the same instance is a
/// programming error (it blocks or traps).
public final class SecureBytes: @unchecked Sendable, CustomStringConvertible,
    CustomDebugStringConvertible, CustomReflectable
{
    // @unchecked Sendable is sound because every stored property is immutable, and the one
    // piece of shared mutable state, the bytes at `region` together with their page
    // protection, is only touched under `exclusivity`: readers hold it shared and
    // writers exclusively, so no read overlaps a write. The page protection of shared
    // readers changes only under the `readers` mutex, which counts them, so the first
    // reader opens the region and the last one closes it without racing each other.

    /// The number of bytes.
    public let count: Int
    private let region: UnsafeMutableRawPointer
    private let arena: KeyArena?
    private let arenaPages: KeyArena.Pages?
    private let protectWhenIdle: Bool
    private let exclusivity = ReadWriteLock()
    private let readers = Mutex(0)

    /// Allocates `count` zero bytes of secure memory.
    ///
    /// - Parameters:
    ///   - count: the size in bytes; 0 is allowed.
    ///   - protectWhenIdle: make the region inaccessible whenever nobody is using it
    ///     (costs two `mprotect` calls per access; use it for long-lived keys).
    ///   - arena: take whole pages of this arena; when it is full, fall back to memory of
    ///     its own.
    /// - Precondition: `count >= 0`. Stops the process if secure memory cannot be allocated.
    public init(count: Int, protectWhenIdle: Bool = false, arena: KeyArena? = nil) {
        precondition(count >= 0, "count must not be negative")
        Sodium.ensureInitialized()
        if let arena, let lent = arena.take(byteCount: count) {
            self.region = lent.pointer
            self.arena = arena
            self.arenaPages = lent.pages
        } else {
            let allocated = max(count, 1)
            guard let region = sodium_malloc(allocated) else {
                fatalError("secrets-agent: cannot allocate \(count) bytes of secure memory: sodium_malloc failed")
            }
            sodium_memzero(region, allocated)
            Self.excludeFromCoreDumps(region, count: allocated)
            self.region = region
            self.arena = nil
            self.arenaPages = nil
        }
        self.count = count
        self.protectWhenIdle = protectWhenIdle
        if protectWhenIdle {
            closeRegion()
        }
    }

    /// Allocates secure memory holding a copy of `bytes`. The source is not wiped.
    public convenience init(copying bytes: some Collection<UInt8>, protectWhenIdle: Bool = false,
                            arena: KeyArena? = nil) {
        self.init(count: bytes.count, protectWhenIdle: protectWhenIdle, arena: arena)
        withUnsafeMutableBytes { $0.copyBytes(from: bytes) }
    }

    /// Allocates secure memory holding a copy of `buffer`. The source is not wiped.
    public convenience init(copying buffer: UnsafeRawBufferPointer, protectWhenIdle: Bool = false,
                            arena: KeyArena? = nil) {
        self.init(count: buffer.count, protectWhenIdle: protectWhenIdle, arena: arena)
        withUnsafeMutableBytes { $0.copyMemory(from: buffer) }
    }

    /// Returns `count` bytes from the system's secure random source, in secure memory.
    public static func random(count: Int, protectWhenIdle: Bool = false, arena: KeyArena? = nil) -> SecureBytes {
        let bytes = SecureBytes(count: count, protectWhenIdle: protectWhenIdle, arena: arena)
        bytes.withUnsafeMutableBytes { SecureRandom.fill($0) }
        return bytes
    }

    /// A copy of these bytes in `arena` (for moving a freshly derived key into the arena).
    public func copy(protectWhenIdle: Bool, arena: KeyArena) -> SecureBytes {
        withUnsafeBytes { SecureBytes(copying: $0, protectWhenIdle: protectWhenIdle, arena: arena) }
    }

    /// Whether the bytes live in a `KeyArena`.
    public var isInArena: Bool { arena != nil }

    deinit {
        if let arena, let arenaPages {
            arena.giveBack(arenaPages)
        } else {
            sodium_free(region)
        }
    }

    /// Calls `body` with read access to the bytes. The pointer must not escape `body`.
    /// Several threads may be inside at once.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try exclusivity.withShared {
            if protectWhenIdle {
                readers.withLock { count in
                    if count == 0 { openRegion(writable: false) }
                    count += 1
                }
            }
            defer {
                if protectWhenIdle {
                    readers.withLock { count in
                        count -= 1
                        if count == 0 { closeRegion() }
                    }
                }
            }
            return try body(UnsafeRawBufferPointer(start: region, count: count))
        }
    }

    /// Calls `body` with write access to the bytes. The pointer must not escape `body`.
    /// Waits until no other thread is reading or writing.
    public func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try exclusivity.withExclusive {
            if protectWhenIdle { openRegion(writable: true) }
            defer { if protectWhenIdle { closeRegion() } }
            return try body(UnsafeMutableRawBufferPointer(start: region, count: count))
        }
    }

    /// Compares two buffers in time that depends only on their length (`sodium_memcmp`).
    /// Returns `false` when the lengths differ; lengths are not secret here.
    public func constantTimeEquals(_ other: SecureBytes) -> Bool {
        guard count == other.count else { return false }
        return withUnsafeBytes { mine in
            other.withUnsafeBytes { theirs in
                sodium_memcmp(mine.baseAddress!, theirs.baseAddress!, count) == 0
            }
        }
    }

    /// Copies the bytes into an ordinary array, which is not locked or zeroed.
    /// Only for tests and for the edge that must print or send the value.
    public func copyToArray() -> [UInt8] {
        withUnsafeBytes { Array($0) }
    }

    /// Always `[REDACTED]`.
    public var description: String { "[REDACTED]" }

    /// Always `[REDACTED]`.
    public var debugDescription: String { "[REDACTED]" }

    /// A mirror with no children, so `dump` and debuggers show nothing but `[REDACTED]`.
    public var customMirror: Mirror {
        Mirror(self, children: KeyValuePairs<String, Any>(), displayStyle: nil)
    }

    private func openRegion(writable: Bool) {
        if let arena, let arenaPages {
            arena.protect(arenaPages, writable ? .readWrite : .readOnly)
            return
        }
        let result = writable ? sodium_mprotect_readwrite(region) : sodium_mprotect_readonly(region)
        precondition(result == 0, "cannot unprotect secure memory: mprotect failed")
    }

    /// Best effort: if the kernel refuses, the bytes stay readable but are still locked,
    /// excluded from core dumps and zeroed on free.
    private func closeRegion() {
        if let arena, let arenaPages {
            arena.protect(arenaPages, .none)
            return
        }
        _ = sodium_mprotect_noaccess(region)
    }
}
