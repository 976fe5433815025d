import Synchronization
import SecretsCore
import SecretsCrypto

/// Holds the unsealed master key while the agent is unlocked. Locking drops the key; its
/// `SecureBytes` region is zeroed and freed as soon as the last in-flight request lets go.
final class Keyring: Sendable {
    private let key = Mutex<SecureBytes?>(nil)

    var isLocked: Bool { key.withLock { $0 == nil } }

    /// Installs a freshly unwrapped master key, replacing (and so wiping) any previous one.
    func install(_ masterKey: SecureBytes) {
        key.withLock { $0 = masterKey }
    }

    /// Forgets the master key.
    func lock() {
        let dropped = key.withLock { current -> SecureBytes? in
            defer { current = nil }
            return current
        }
        _ = dropped  // released here, outside the lock: sodium_free zeroes it
    }

    /// The master key for one operation.
    /// - Throws: `SecretsError.locked` when the agent is locked.
    func masterKey() throws(SecretsError) -> SecureBytes {
        guard let current = key.withLock({ $0 }) else { throw SecretsError.locked }
        return current
    }
}
