import SecretsCore
import SecretsCrypto

/// Holds the unsealed master key, and the cache of value keys derived from it, while the
/// agent is unlocked, both in the shared `KeyArena`. Locking wipes the cache and drops the
/// key; the key's pages are zeroed and returned to the arena as soon as the last in-flight
/// request lets go.
final class Keyring: Sendable {
    /// What an operation needs from an unlocked agent.
    struct Keys: Sendable {
        let masterKey: SecureBytes
        let valueKeys: ValueKeyCache
    }

    private let keys = ReadMostly<Keys?>(nil)

    var isLocked: Bool { keys.read { $0 == nil } }

    private let arena: KeyArena

    init(arena: KeyArena = .shared) {
        self.arena = arena
    }

    /// Installs a copy of a freshly unwrapped master key, replacing (and so wiping) any
    /// previous one. The caller's copy can be released as soon as this returns.
    func install(_ unwrapped: SecureBytes) {
        let installed = Keys(masterKey: unwrapped.copy(protectWhenIdle: true, arena: arena),
                             valueKeys: ValueKeyCache(keyArena: arena))
        let previous = keys.write { current -> Keys? in
            defer { current = installed }
            return current
        }
        previous?.valueKeys.removeAll()
    }

    /// Forgets the master key and wipes the value keys derived from it.
    func lock() {
        let dropped = keys.write { current -> Keys? in
            defer { current = nil }
            return current
        }
        dropped?.valueKeys.removeAll()
        // `dropped` is released here, outside the lock: sodium_free zeroes the master key.
    }

    /// The keys for one operation.
    /// - Throws: `SecretsError.locked` when the agent is locked.
    func current() throws(SecretsError) -> Keys {
        guard let current = keys.read({ $0 }) else { throw SecretsError.locked }
        return current
    }
}
