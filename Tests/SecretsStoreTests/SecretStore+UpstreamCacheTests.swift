import SecretsCore
import SecretsCrypto
@testable import SecretsStore
import Testing

@Suite struct SecretStoreUpstreamCacheTests {
    func entry(_ name: String, version: UInt64, at ms: Int64) throws -> CachedValue {
        CachedValue(name: try SecretName(name), environment: try Environment("production"), version: version,
                    sealed: SealedValue(algorithm: .xchacha20poly1305, salt: [UInt8](repeating: 1, count: 32),
                                        nonce: [UInt8](repeating: 2, count: 24), ciphertext: [3, 4, 5]),
                    fetchedAtUnixMs: ms)
    }

    @Test func aCachedValueIsStoredReplacedConfirmedAndRemoved() throws {
        let dir = try TestDirectory()
        let store = try dir.createStore()
        defer { store.close() }
        let name = try SecretName("openai/key"), env = try Environment("production")
        #expect(try store.cachedValue(name: name, environment: env) == nil)
        try store.storeCached(try entry("openai/key", version: 1, at: 1000))
        try store.storeCached(try entry("openai/key", version: 2, at: 2000))
        #expect(try store.cachedValue(name: name, environment: env) == (try entry("openai/key", version: 2, at: 2000)))
        try store.confirmCached(name: name, environment: env, version: 1, nowUnixMs: 9000)
        #expect(try store.cachedValue(name: name, environment: env)?.fetchedAtUnixMs == 2000, "another version is not confirmed")
        try store.confirmCached(name: name, environment: env, version: 2, nowUnixMs: 9000)
        #expect(try store.cachedValue(name: name, environment: env)?.fetchedAtUnixMs == 9000)
        try store.storeCached(try entry("db/pass", version: 5, at: 1))
        #expect(try store.cachedValues().map(\.name.rawValue) == ["db/pass", "openai/key"])
        #expect(try store.removeCached(name: name, environment: env))
        #expect(try !store.removeCached(name: name, environment: env))
        #expect(try store.cachedValues().count == 1)
        #expect(try store.secretCount() == 0, "the cache is not a local secret")
    }

    @Test func theCacheBindingCannotBeALocalSecretsBinding() throws {
        let binding = CachedValue.binding(storeID: [1], name: try SecretName("a"), environment: try Environment("production"), version: 1)
        #expect(binding.environment == "upstream:production")
        #expect(throws: SecretsError.self) { try Environment(binding.environment) }
    }
}
