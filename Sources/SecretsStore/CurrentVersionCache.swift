import SecretsCore
import SecretsCrypto

/// The current sealed version of recently read secrets, so that hot reads take neither
/// the connection's lock nor SQLite. Holds ciphertext only, never a value.
///
/// Only sound while this process holds the store exclusively (`open(exclusive: true)`):
/// every write then goes through this `SecretStore`, which updates the cache while it
/// still holds the connection's lock, so cache updates happen in commit order and a
/// reader that starts after a write was acknowledged sees it.
///
/// Two generations bound its size: entries go into `recent`; when `recent` is full it
/// becomes `older` (the previous `older` is dropped), and a hit in `older` moves the
/// entry back into `recent`. Every operation is O(1), and a secret read at least once per
/// generation stays cached. (Evicting one entry at `startIndex` instead, as this once did,
/// packed the hash table into one long probe run: a random get at 100,000 secrets spent
/// most of its time comparing keys.)
final class CurrentVersionCache: Sendable {
    struct Key: Hashable, Sendable {
        let name: String
        let environment: String
    }

    private struct Generations {
        var recent: [Key: StoredVersion] = [:]
        var older: [Key: StoredVersion] = [:]
    }

    /// Entries per generation; at most twice this many are held.
    private let capacity: Int
    private let generations = ReadMostly(Generations())

    init(capacity: Int = 5_000) {
        self.capacity = capacity
    }

    func lookup(_ key: Key) -> StoredVersion? {
        // A hit in `recent` (the hot path) only reads: readers do not wait for each other.
        if let version = generations.read({ $0.recent[key] }) { return version }
        return generations.write { generations in
            if let version = generations.recent[key] { return version }
            guard let version = generations.older.removeValue(forKey: key) else { return nil }
            Self.insert(version, for: key, into: &generations, capacity: capacity)
            return version
        }
    }

    /// Remembers `version` as the current one for `key`. Call with the connection's lock held.
    func store(_ version: StoredVersion, for key: Key) {
        generations.write { generations in
            generations.older.removeValue(forKey: key)
            Self.insert(version, for: key, into: &generations, capacity: capacity)
        }
    }

    /// Forgets `key`. Call with the connection's lock held.
    func remove(_ key: Key) {
        generations.write { generations in
            generations.recent.removeValue(forKey: key)
            generations.older.removeValue(forKey: key)
        }
    }

    /// How many entries are held (both generations).
    var count: Int { generations.read { $0.recent.count + $0.older.count } }

    private static func insert(_ version: StoredVersion, for key: Key, into generations: inout Generations,
                               capacity: Int) {
        if generations.recent.count >= capacity, generations.recent[key] == nil {
            generations.older = generations.recent
            generations.recent = [:]
            generations.recent.reserveCapacity(capacity)
        }
        generations.recent[key] = version
    }
}
