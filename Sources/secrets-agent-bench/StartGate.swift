#if canImport(Glibc)
import Glibc
#endif

/// Holds the load clients until every one is connected and warmed up, then lets them all
/// go at once, so a timed window holds only steady-state requests.
final class StartGate: @unchecked Sendable {
    // @unchecked Sendable: `arrived` and `decision` are read and written only with `mutex`
    // held; the pthread objects live in heap memory that never moves, so sharing the
    // pointers between threads is how they are meant to be used.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var arrived = 0
    private var decision: Bool?

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Called by a client: counts it as ready, then blocks until `open(proceed:)`.
    /// - Returns: whether to run (false: the run was called off).
    func arriveAndWait() -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        arrived += 1
        pthread_cond_broadcast(condition)
        while decision == nil { pthread_cond_wait(condition, mutex) }
        return decision!
    }

    /// Called by the runner: blocks until `count` clients have arrived.
    func waitForArrivals(_ count: Int) {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while arrived < count { pthread_cond_wait(condition, mutex) }
    }

    /// Releases every waiting client, telling them whether to run.
    func open(proceed: Bool) {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        decision = proceed
        pthread_cond_broadcast(condition)
    }
}
