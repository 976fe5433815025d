internal import CSodium
internal import Synchronization

/// One locked region that holds the agent's key material: the master key, the audit key,
/// the cache of value keys and the scratch memory per-request crypto works in.
///
/// Why one region: `sodium_malloc` locks every allocation with `mlock` but ignores the
/// result, so once RLIMIT_MEMLOCK is used up its pages silently stop being locked and may
/// reach swap. The arena is allocated and locked once, at start, and the result is kept in
/// `isLocked`, so the agent can say in `status` whether its keys are really locked instead
/// of assuming it. The region also has `sodium_malloc`'s guard pages and canary, is
/// excluded from core dumps, and is zeroed when freed.
///
/// The arena hands out whole pages, so each allocation can be `mprotect`ed on its own.
/// Pages nobody holds are wiped and kept `PROT_NONE`. When the arena is full, callers get
/// memory of their own (`SecureBytes` falls back to `sodium_malloc`) and
/// `overflowCount` counts it.
public final class KeyArena: @unchecked Sendable {
    // @unchecked Sendable is sound because the region's bookkeeping (`pagesInUse`) is only
    // touched under its mutex, and each range of pages belongs to one `SecureBytes`, which
    // guards its own bytes; the remaining stored properties are immutable.

    /// The arena the agent uses: 1 MiB, allocated and locked on first use.
    public static let shared = KeyArena(byteCount: 1 << 20)

    /// The usable size in bytes (a whole number of pages).
    public let byteCount: Int
    /// Whether `mlock` succeeded for the whole region.
    public let isLocked: Bool
    /// The page size the arena allocates in.
    public let pageSize: Int

    private let allocation: UnsafeMutableRawPointer
    private let allocationByteCount: Int
    private let base: UnsafeMutableRawPointer
    private let pagesInUse: Mutex<[Bool]>
    private let overflows = Atomic<Int>(0)

    /// A run of pages lent to one owner.
    struct Pages: Sendable {
        let first: Int
        let count: Int
    }

    /// Allocates and locks at least `byteCount` bytes (rounded up to whole pages).
    /// Stops the process if the memory cannot be allocated at all.
    public init(byteCount: Int) {
        precondition(byteCount > 0)
        Sodium.ensureInitialized()
        pageSize = KeyArena.systemPageSize()
        let pageCount = (byteCount + pageSize - 1) / pageSize
        self.byteCount = pageCount * pageSize
        // One spare page, so the pages handed out can start on a page boundary whatever
        // offset sodium_malloc returns.
        allocationByteCount = self.byteCount + pageSize
        guard let allocation = sodium_malloc(allocationByteCount) else {
            fatalError("secrets-agent: cannot allocate the \(self.byteCount)-byte key arena: sodium_malloc failed")
        }
        self.allocation = allocation
        let address = UInt(bitPattern: allocation)
        let aligned = (address + UInt(pageSize) - 1) / UInt(pageSize) * UInt(pageSize)
        base = allocation + Int(aligned - address)
        sodium_memzero(allocation, allocationByteCount)
        // sodium_malloc already tried; this call's result is the one that tells the truth.
        isLocked = sodium_mlock(allocation, allocationByteCount) == 0
        SecureBytes.excludeFromCoreDumps(allocation, count: allocationByteCount)
        pagesInUse = Mutex(Array(repeating: false, count: pageCount))
        KeyArena.setProtection(base, byteCount: self.byteCount, .none)
    }

    deinit {
        KeyArena.setProtection(base, byteCount: byteCount, .readWrite)
        sodium_free(allocation)
    }

    /// How many allocations did not fit and got memory of their own.
    public var overflowCount: Int { overflows.load(ordering: .relaxed) }

    /// Bytes currently lent out.
    public var bytesInUse: Int { pagesInUse.withLock { $0.filter { $0 }.count } * pageSize }

    /// Lends enough whole, zeroed, read-write pages for `byteCount` bytes, or `nil` when no
    /// run that long is free.
    func take(byteCount: Int) -> (pointer: UnsafeMutableRawPointer, pages: Pages)? {
        let wanted = max(1, (byteCount + pageSize - 1) / pageSize)
        let pages = pagesInUse.withLock { used -> Pages? in
            var runStart = 0
            for index in used.indices {
                if used[index] {
                    runStart = index + 1
                } else if index - runStart + 1 == wanted {
                    for taken in runStart...index { used[taken] = true }
                    return Pages(first: runStart, count: wanted)
                }
            }
            return nil
        }
        guard let pages else {
            overflows.add(1, ordering: .relaxed)
            return nil
        }
        let pointer = base + pages.first * pageSize
        KeyArena.setProtection(pointer, byteCount: pages.count * pageSize, .readWrite)
        return (pointer, pages)
    }

    /// Wipes `pages`, makes them inaccessible and returns them to the arena.
    func giveBack(_ pages: Pages) {
        let pointer = base + pages.first * pageSize
        let length = pages.count * pageSize
        KeyArena.setProtection(pointer, byteCount: length, .readWrite)
        sodium_memzero(pointer, length)
        KeyArena.setProtection(pointer, byteCount: length, .none)
        pagesInUse.withLock { used in
            for index in pages.first..<(pages.first + pages.count) { used[index] = false }
        }
    }

    /// Changes the protection of lent pages (for `SecureBytes(protectWhenIdle:)`).
    func protect(_ pages: Pages, _ access: PageAccess) {
        KeyArena.setProtection(base + pages.first * pageSize, byteCount: pages.count * pageSize, access)
    }

    /// Page protections the arena uses.
    enum PageAccess {
        case none, readOnly, readWrite
    }
}
