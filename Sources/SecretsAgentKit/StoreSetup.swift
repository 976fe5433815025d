#if canImport(Glibc)
import Glibc
#endif
import SecretsCore
import SecretsCrypto
import SecretsStore

/// `secrets-agent init`: a new store with a fresh random master key, wrapped in one keyslot.
public enum StoreSetup {
    /// Creates the store at `storePath` (its directory is created 0700 when missing).
    /// - Returns: the new store id, hex.
    /// - Throws: `.alreadyExists` when a store is there, `.invalidArgument` for an unsafe
    ///   directory or a cipher the CPU lacks.
    public static func initialize(storePath: String, method: UnlockMethod, cipher: AEADAlgorithm = .xchacha20poly1305,
                                  argon2: Argon2idParameters = .moderate) throws(SecretsError) -> String {
        guard AEAD.isAvailable(cipher) else {
            throw .invalidArgument("cipher \(cipher.rawValue) is not available on this CPU (use the default, xchacha20poly1305)")
        }
        try PrivateDirectory.prepare(containing: storePath)
        let storeID = SecureRandom.bytes(16)
        let masterKey = SecureBytes.random(count: 32, protectWhenIdle: true)
        // The store first: its checks are quick, the keyslot's Argon2id is not.
        let store = try SecretStore.create(at: storePath, storeID: storeID, cipher: cipher)
        defer { store.close() }
        do {
            let slot = try Keyslots.record(for: method, masterKey: masterKey, storeID: storeID, argon2: argon2,
                                           nowUnixMs: Clock.nowUnixMs())
            _ = try store.addKeyslot(slot)
        } catch {
            store.close()
            for suffix in ["", "-wal", "-shm"] { unlink(storePath + suffix) }  // a store no key opens
            throw error
        }
        return Hex.encode(storeID)
    }
}
