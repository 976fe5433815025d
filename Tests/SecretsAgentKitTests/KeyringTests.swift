import Foundation
@testable import SecretsAgentKit
import SecretsCore
@testable import SecretsCrypto
import Testing

@Suite struct KeyringTests {
    @Test func aNewKeyringIsLocked() {
        let keyring = Keyring()
        #expect(keyring.isLocked)
        let error = #expect(throws: SecretsError.self) { try keyring.current().masterKey }
        #expect(error == .locked)
        #expect(error?.message == "agent is locked (run: secrets-agent unlock)")
    }

    @Test func installUnlocksAndLockForgets() throws {
        let keyring = Keyring()
        let key = SecureBytes.random(count: 32)
        keyring.install(key)
        #expect(!keyring.isLocked)
        let installed = try keyring.current().masterKey
        #expect(installed !== key, "the keyring keeps its own copy")
        #expect(installed.isInArena, "in the locked key arena")
        #expect(installed.constantTimeEquals(key))

        keyring.lock()
        #expect(keyring.isLocked)
        #expect(throws: SecretsError.locked) { try keyring.current().masterKey }
        keyring.lock()  // locking twice is harmless
        #expect(keyring.isLocked)
    }

    @Test func installReplacesThePreviousKey() throws {
        let keyring = Keyring()
        let first = SecureBytes.random(count: 32)
        let second = SecureBytes.random(count: 32)
        keyring.install(first)
        keyring.install(second)
        #expect(try keyring.current().masterKey.constantTimeEquals(second))
    }

    @Test func lockingDropsTheKeyringsReference() throws {
        let keyring = Keyring()
        weak var dropped: SecureBytes?
        keyring.install(SecureBytes.random(count: 32))
        dropped = try keyring.current().masterKey
        #expect(dropped != nil, "the keyring holds the key while unlocked")
        keyring.lock()
        #expect(dropped == nil, "after lock nothing keeps the key alive, so it is freed and zeroed")
    }

    @Test func anInFlightUserKeepsTheKeyUntilDone() throws {
        let keyring = Keyring()
        keyring.install(SecureBytes(copying: [UInt8](repeating: 7, count: 32)))
        let borrowed = try keyring.current().masterKey
        keyring.lock()
        let intact = borrowed.copyToArray() == [UInt8](repeating: 7, count: 32)
        #expect(intact, "a request that already had the key can finish")
        #expect(keyring.isLocked)
    }

    /// Puts one derived key in `cache`, as a Get would.
    static func cacheOneKey(_ cache: ValueKeyCache) {
        var key = [UInt8](repeating: 0, count: 32)
        key.withUnsafeMutableBytes { out in
            cache.key(forSalt: Array(repeating: 1, count: 32), into: out) { derived in
                _ = derived.initializeMemory(as: UInt8.self, repeating: 0x42)
            }
        }
    }

    @Test func eachUnlockStartsWithAnEmptyValueKeyCache() throws {
        let keyring = Keyring()
        keyring.install(SecureBytes.random(count: 32))
        let keys = try keyring.current()
        #expect(keys.valueKeys.count == 0)
        Self.cacheOneKey(keys.valueKeys)
        #expect(keys.valueKeys.count == 1)
        #expect(try keyring.current().valueKeys === keys.valueKeys, "one cache per unlock")
    }

    @Test func lockWipesTheValueKeys() throws {
        let keyring = Keyring()
        keyring.install(SecureBytes.random(count: 32))
        let cache = try keyring.current().valueKeys
        Self.cacheOneKey(cache)
        keyring.lock()
        #expect(cache.count == 0, "keys derived from the forgotten master key are wiped")
    }

    @Test func installWipesThePreviousValueKeys() throws {
        let keyring = Keyring()
        keyring.install(SecureBytes.random(count: 32))
        let old = try keyring.current().valueKeys
        Self.cacheOneKey(old)
        keyring.install(SecureBytes.random(count: 32))
        #expect(old.count == 0)
        let fresh = try keyring.current().valueKeys
        #expect(fresh !== old)
        #expect(fresh.count == 0)
    }

    @Test func concurrentReadersAndLockersAgree() async {
        let keyring = Keyring()
        let key = SecureBytes.random(count: 32)
        await withTaskGroup(of: Bool.self) { group in
            for i in 0..<200 {
                group.addTask {
                    switch i % 4 {
                    case 0: keyring.install(key); return true
                    case 1: keyring.lock(); return true
                    default:
                        do throws(SecretsError) { return try keyring.current().masterKey.constantTimeEquals(key) } catch { return error == .locked }
                    }
                }
            }
            for await ok in group { #expect(ok) }
        }
    }
}
