@testable import SecretsCrypto
import Testing

/// Value keys are derived once per salt, served from the locked arena after, and wiped.
@Suite struct ValueKeyCacheTests {
    func key(_ cache: ValueKeyCache, salt: [UInt8], fill: UInt8, derivations: inout Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        out.withUnsafeMutableBytes { buffer in
            cache.key(forSalt: salt, into: buffer) { target in
                derivations += 1
                target.initializeMemory(as: UInt8.self, repeating: fill)
            }
        }
        return out
    }

    @Test func derivesOncePerSaltThenHits() {
        let cache = ValueKeyCache(capacity: 4)
        var derivations = 0
        let a = [UInt8](repeating: 1, count: 32), b = [UInt8](repeating: 2, count: 32)
        #expect(key(cache, salt: a, fill: 0xAA, derivations: &derivations) == Array(repeating: 0xAA, count: 32))
        #expect(key(cache, salt: a, fill: 0x00, derivations: &derivations) == Array(repeating: 0xAA, count: 32))
        #expect(key(cache, salt: b, fill: 0xBB, derivations: &derivations) == Array(repeating: 0xBB, count: 32))
        #expect(derivations == 2)
        #expect(cache.count == 2)
    }

    @Test func evictsTheOldestWhenFull() {
        let cache = ValueKeyCache(capacity: 2)
        var derivations = 0
        let salts = (1...3).map { [UInt8](repeating: UInt8($0), count: 32) }
        for (i, salt) in salts.enumerated() { _ = key(cache, salt: salt, fill: UInt8(i), derivations: &derivations) }
        #expect(cache.count == 2)
        _ = key(cache, salt: salts[0], fill: 9, derivations: &derivations)
        #expect(derivations == 4, "the first salt was evicted and derived again")
    }

    @Test func removeAllForgetsEveryKey() {
        let cache = ValueKeyCache(capacity: 8)
        var derivations = 0
        let salt = [UInt8](repeating: 7, count: 32)
        _ = key(cache, salt: salt, fill: 0x11, derivations: &derivations)
        cache.removeAll()
        #expect(cache.count == 0)
        #expect(key(cache, salt: salt, fill: 0x22, derivations: &derivations) == Array(repeating: 0x22, count: 32))
        #expect(derivations == 2)
    }

    @Test func cachedOpenMatchesUncachedOpen() throws {
        let masterKey = SecureBytes.random(count: 32, protectWhenIdle: true)
        let binding = ValueBinding(storeID: [1, 2, 3], name: "a/b", environment: "production", version: 4)
        let value = Array("cached-value-0123456789".utf8)
        let sealed = try value.withUnsafeBytes { raw in
            try ValueSealing.seal(raw, masterKey: masterKey, binding: binding, algorithm: .xchacha20poly1305)
        }
        let cache = ValueKeyCache()
        for _ in 0..<3 {
            let opened = try ValueSealing.open(sealed, masterKey: masterKey, binding: binding, keyCache: cache) { Array($0) }
            #expect(opened == value)
        }
        #expect(cache.count == 1)
        var moved = binding
        moved.version = 5
        #expect(throws: CryptoError.self) {
            try ValueSealing.open(sealed, masterKey: masterKey, binding: moved, keyCache: cache) { Array($0) }
        }
    }
}
