import SecretsCore
import Synchronization

/// The current sealed version of recently read secrets, so that hot reads take neither
/// the connection's lock nor SQLite. Holds ciphertext only, never a value.
///
/// Only sound while this process holds the store exclusively (`open(exclusive: true)`):
/// every write then goes through this `SecretStore`, which updates the cache while it
/// still holds the connection's lock, so cache updates happen in commit order and a
/// reader that starts after a write was acknowledged sees it.
final class CurrentVersionCache: Sendable {
    struct Key: Hashable, Sendable {
        let name: String
        let environment: String
    }

    private let capacity: Int
    private let entries = Mutex<[Key: StoredVersion]>([:])

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    func lookup(_ key: Key) -> StoredVersion? {
        entries.withLock { $0[key] }
    }

    /// Remembers `version` as the current one for `key`. Call with the connection's lock held.
    func store(_ version: StoredVersion, for key: Key) {
        entries.withLock { entries in
            if entries.count >= capacity, entries[key] == nil {
                entries.remove(at: entries.startIndex)
            }
            entries[key] = version
        }
    }

    /// Forgets `key`. Call with the connection's lock held.
    func remove(_ key: Key) {
        entries.withLock { _ = $0.removeValue(forKey: key) }
    }
}
