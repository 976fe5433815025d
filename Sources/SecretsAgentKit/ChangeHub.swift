#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import SecretsCore
import SecretsProtocol

/// Fans out change events (a secret written, rotated or deleted) to the connections that
/// asked to Watch. Events carry metadata only, never a value.
///
/// Each subscription has a bounded queue and a wake-up pipe, so its connection thread can
/// `poll` the client socket and the pipe together: it wakes for an event or for the client
/// going away, with no timer. A watcher that falls `queueLimit` events behind is cut off
/// rather than letting the agent's memory grow.
final class ChangeHub: Sendable {
    static let queueLimit = 1024

    /// One watcher: what it may see and what it has not yet been sent.
    final class Subscription: Sendable {
        let filter: @Sendable (SecretsAgent_V1_ChangeEvent) -> Bool
        /// Readable when events are waiting; the connection polls it.
        let wakeFD: Int32
        private let writeFD: Int32
        private let state = Mutex<(events: [SecretsAgent_V1_ChangeEvent], overflowed: Bool)>(([], false))

        fileprivate init?(filter: @escaping @Sendable (SecretsAgent_V1_ChangeEvent) -> Bool) {
            var fds: [Int32] = [-1, -1]
            // Glibc's module map does not export pipe2; the agent never execs, so setting
            // the flags right after pipe() leaves no window for a leak.
            guard pipe(&fds) == 0 else { return nil }
            for fd in fds {
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            }
            self.filter = filter
            wakeFD = fds[0]
            writeFD = fds[1]
        }

        deinit {
            close(wakeFD)
            close(writeFD)
        }

        fileprivate func offer(_ event: SecretsAgent_V1_ChangeEvent) {
            guard filter(event) else { return }
            state.withLock { state in
                if state.events.count >= ChangeHub.queueLimit { state.overflowed = true } else { state.events.append(event) }
            }
            var byte: UInt8 = 1
            _ = write(writeFD, &byte, 1)  // a full pipe already means "wake up"
        }

        /// Takes every waiting event; `overflowed` when some were dropped.
        func drain() -> (events: [SecretsAgent_V1_ChangeEvent], overflowed: Bool) {
            var scratch = [UInt8](repeating: 0, count: 64)
            while read(wakeFD, &scratch, scratch.count) > 0 {}
            return state.withLock { state in
                defer { state = ([], false) }
                return state
            }
        }
    }

    private let subscribers = Mutex<[ObjectIdentifier: Subscription]>([:])

    /// A new subscription, or `nil` when the process is out of file descriptors.
    func subscribe(filter: @escaping @Sendable (SecretsAgent_V1_ChangeEvent) -> Bool) -> Subscription? {
        guard let subscription = Subscription(filter: filter) else { return nil }
        subscribers.withLock { $0[ObjectIdentifier(subscription)] = subscription }
        return subscription
    }

    func unsubscribe(_ subscription: Subscription) {
        _ = subscribers.withLock { $0.removeValue(forKey: ObjectIdentifier(subscription)) }
    }

    /// How many connections are watching.
    var watcherCount: Int { subscribers.withLock { $0.count } }

    /// Sends `event` to every subscriber whose filter admits it.
    func publish(_ event: SecretsAgent_V1_ChangeEvent) {
        let current = subscribers.withLock { Array($0.values) }
        for subscription in current { subscription.offer(event) }
    }

    /// Publishes a change of `name` in `environment`.
    func publish(_ kind: SecretsAgent_V1_ChangeKind, name: SecretName, environment: Environment, version: UInt64, atUnixMs: Int64) {
        var event = SecretsAgent_V1_ChangeEvent()
        event.name = name.rawValue
        event.environment = environment.rawValue
        event.version = version
        event.kind = kind
        event.atUnixMs = atUnixMs
        publish(event)
    }
}
