/// A value read by many threads and rarely changed, behind a pthread read-write lock:
/// readers share it without waiting for each other.
///
/// For the agent's per-request state (the unlocked keys, the audit key, the caches'
/// indexes): with 8 clients on 2 CPUs, a `Mutex` around each of these made every reader
/// wait for the others, and its spinning slow path was a fifth of the agent's CPU time
/// (measured with `perf`).
public final class ReadMostly<Value>: @unchecked Sendable {
    // @unchecked Sendable: `value` is only touched under `lock`, shared to read and
    // exclusive to change; `Value` must itself be safe to hand between threads.
    private let lock = ReadWriteLock()
    private var value: Value

    public init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with the value, alongside other readers.
    public func read<R>(_ body: (Value) throws -> R) rethrows -> R {
        try lock.withShared { try body(value) }
    }

    /// Runs `body` with the value to change, alone.
    public func write<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        try lock.withExclusive { try body(&value) }
    }
}
