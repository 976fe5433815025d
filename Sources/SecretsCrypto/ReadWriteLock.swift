#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A pthread read-write lock: any number of shared holders, or one exclusive holder.
///
/// Shared access may nest on one thread. Exclusive access must not be requested while the
/// same thread holds the lock in any mode: that is a programming error (glibc reports
/// nested exclusive access as EDEADLK, which traps here; exclusive inside shared blocks).
struct ReadWriteLock: ~Copyable {
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    init() {
        lock = .allocate(capacity: 1)
        lock.initialize(to: pthread_rwlock_t())
        let result = pthread_rwlock_init(lock, nil)
        precondition(result == 0, "pthread_rwlock_init failed with error \(result)")
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deinitialize(count: 1)
        lock.deallocate()
    }

    /// Runs `body` while holding the lock shared with other readers.
    func withShared<R>(_ body: () throws -> R) rethrows -> R {
        let result = pthread_rwlock_rdlock(lock)
        precondition(result == 0, "pthread_rwlock_rdlock failed with error \(result)")
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }

    /// Runs `body` while holding the lock exclusively.
    func withExclusive<R>(_ body: () throws -> R) rethrows -> R {
        let result = pthread_rwlock_wrlock(lock)
        precondition(result == 0, "pthread_rwlock_wrlock failed with error \(result) (nested mutable access?)")
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }
}
