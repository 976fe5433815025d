#if canImport(Glibc)
import Glibc
#endif

/// A POSIX thread running one `@Sendable` closure: joinable for the load clients (the
/// runner waits for every one), detached for the echo server's connections.
struct BenchThread {
    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    private let thread: pthread_t

    /// Starts a thread that `join()` must be called on.
    /// - Throws: `.setup` when the system refuses another thread.
    static func start(_ body: @escaping @Sendable () -> Void) throws(BenchFailure) -> BenchThread {
        BenchThread(thread: try create(body, detached: false))
    }

    /// Starts a thread that cleans up after itself.
    /// - Throws: `.setup` when the system refuses another thread.
    static func detach(_ body: @escaping @Sendable () -> Void) throws(BenchFailure) {
        _ = try create(body, detached: true)
    }

    /// Waits for the thread to return.
    func join() {
        pthread_join(thread, nil)
    }

    private static func create(_ body: @escaping @Sendable () -> Void, detached: Bool) throws(BenchFailure) -> pthread_t {
        let retained = Unmanaged.passRetained(Body(body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(detached ? PTHREAD_CREATE_DETACHED : PTHREAD_CREATE_JOINABLE))
        pthread_attr_setstacksize(&attributes, 512 * 1024)
        var thread = pthread_t()
        let result = pthread_create(&thread, &attributes, { raw in
            let body = Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue()
            body.run()
            return nil
        }, retained)
        guard result == 0 else {
            Unmanaged<Body>.fromOpaque(retained).release()
            throw .setup("cannot start a thread: \(String(cString: strerror(result))) (raise the process or thread limit)")
        }
        return thread
    }
}
